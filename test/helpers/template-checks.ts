import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** cdk-nag AwsSolutions on an app: each violation as `rule: construct paths`, and whether it passed. */
export function nagReport(app: App): { violations: string[]; success: boolean } {
  const report = new AwsSolutionsChecks().validateScope(app);
  return {
    violations: report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
    success: report.success,
  };
}

/** Every AwsSolutions acknowledgment recorded in the app's construct tree, with its reason. */
export function acknowledgedNagRules(app: App): Array<{ rule: string; reason: string }> {
  const acknowledged: Array<{ rule: string; reason: string }> = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = /^Annotation::AwsSolutions-(.+)$/i.exec(id)?.[1];
        if (rule) acknowledged.push({ rule, reason });
      }
    }
  }
  return acknowledged;
}

/**
 * cfn-lint's path, or undefined (with a printed reason) on a developer machine without it. In CI
 * the check is never skipped: cfnLintTest fails there instead.
 */
export const CFN_LINT = findOnPath('cfn-lint');
if (!CFN_LINT && !process.env.CI) {
  console.warn('cfn-lint is not on PATH: skipping the cfn-lint check (CI fails instead of skipping). Install it with pip install cfn-lint.');
}

/** A test that needs cfn-lint: skipped without it outside CI, failed without it in CI. */
export const cfnLintTest = CFN_LINT || process.env.CI ? test : test.skip;

/**
 * cfn-lint on templates against one region: what it found that is neither informational nor an
 * accepted warning, and its exit status (a bit set: 1 cfn-lint failed, 2 errors, 4 warnings).
 */
export function cfnLintFindings(region: string, templates: string[], acceptedWarnings: Record<string, string>): { findings: string[]; status: number } {
  if (!CFN_LINT) throw new Error('cfn-lint must be on PATH in CI, where this check may not be skipped.');
  const run = spawnSync(CFN_LINT, ['--format', 'json', '--regions', region, '--', ...templates], { encoding: 'utf8' });
  if (run.error) throw run.error;
  const matches: Array<{ Level: string; Rule: { Id: string }; Message: string; Filename: string }> = JSON.parse(run.stdout || '[]');
  const findings = matches
    .filter((m) => m.Level !== 'Informational' && !(m.Level === 'Warning' && m.Rule.Id in acceptedWarnings))
    .map((m) => `${m.Level} ${m.Rule.Id} in ${path.basename(m.Filename)}: ${m.Message}`);
  return { findings, status: run.status ?? 1 };
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
