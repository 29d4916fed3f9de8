import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthesizeTier, type TierSynthesized } from '../helpers/tier-synth';

/** cfn-lint warnings accepted, each with the reason; any other warning fails like an error. */
const ACCEPTED_CFN_LINT_WARNINGS: Record<string, string> = {
  W3005:
    'aws-cdk-lib renders an explicit DependsOn next to a GetAtt or Ref on the same resource: a Lambda function on its role, the API mapping on its domain, its own custom resources on their roles. Redundant and harmless.',
};

/** The AwsSolutions rules each template acknowledges (each with its reason in the construct that needs it); every rule once per construct. */
const ACKNOWLEDGED_NAG_RULES = {
  // IAM5 and L1 four times: the API, migration, worker and sweep functions (ServiceFunction's reasons).
  'serverless staging': ['APIG4', ...Array(4).fill('IAM5[Resource::*]'), ...Array(4).fill('L1'), 'RDS10', 'RDS6', 'SMG4'],
  'serverless prod': ['APIG4', ...Array(4).fill('IAM5[Resource::*]'), ...Array(4).fill('L1'), 'RDS6', 'SMG4'],
  // ECS2 and IAM5 twice: the API's and the worker's task definitions and execution roles.
  'fargate prod with PrivateLink': ['EC23', 'ECS2', 'ECS2', 'IAM5[Resource::*]', 'IAM5[Resource::*]', 'RDS6', 'S1', 'SMG4'],
};

describe('compliance of the serverless and PrivateLink templates', () => {
  const synthesized: Record<keyof typeof ACKNOWLEDGED_NAG_RULES, TierSynthesized> = {} as never;
  beforeAll(() => {
    synthesized['serverless staging'] = synthesizeTier('staging', { tier: 'serverless' });
    synthesized['serverless prod'] = synthesizeTier('prod', { tier: 'serverless' });
    synthesized['fargate prod with PrivateLink'] = synthesizeTier('prod', { privateLink: 'true', privateLinkPrincipals: 'arn:aws:iam::111122223333:root' });
  });
  afterAll(() => Object.values(synthesized).forEach((s) => s?.dispose()));

  test('cdk-nag AwsSolutions finds nothing unacknowledged, errors or warnings', () => {
    for (const { app } of Object.values(synthesized)) {
      const report = new AwsSolutionsChecks().validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
      expect(report.success).toBe(true);
    }
  });

  test('every acknowledged cdk-nag rule is named and explained in a sentence, and the list is the expected one', () => {
    for (const [name, s] of Object.entries(synthesized) as Array<[keyof typeof ACKNOWLEDGED_NAG_RULES, TierSynthesized]>) {
      const acknowledged: Array<{ rule: string; reason: string }> = [];
      for (const construct of s.app.node.findAll()) {
        for (const entry of construct.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            const rule = /^Annotation::AwsSolutions-(.+)$/i.exec(id)?.[1];
            if (rule) acknowledged.push({ rule, reason });
          }
        }
      }

      expect(acknowledged.map((a) => a.rule).sort()).toEqual(ACKNOWLEDGED_NAG_RULES[name]);
      for (const { reason } of acknowledged) {
        expect(reason.split(/\s+/).length).toBeGreaterThanOrEqual(12);
        expect(reason).toMatch(/[.]$/);
      }
    }
  });

  const cfnLint = findOnPath('cfn-lint');
  if (!cfnLint && !process.env.CI) {
    console.warn('cfn-lint is not on PATH: skipping the cfn-lint check (CI fails instead of skipping). Install it with pip install cfn-lint.');
  }
  (cfnLint || process.env.CI ? test : test.skip)('cfn-lint finds no error (and no unaccepted warning) in any of them', () => {
    if (!cfnLint) throw new Error('cfn-lint must be on PATH in CI, where this check may not be skipped.');
    const templates = Object.values(synthesized).map((s) => s.templatePath);

    const run = spawnSync(cfnLint, ['--format', 'json', '--regions', 'us-east-1', '--', ...templates], { encoding: 'utf8' });
    expect(run.error).toBeUndefined();
    const matches: Array<{ Level: string; Rule: { Id: string }; Message: string; Filename: string }> = JSON.parse(run.stdout || '[]');

    const findings = matches
      .filter((m) => m.Level !== 'Informational' && !(m.Level === 'Warning' && m.Rule.Id in ACCEPTED_CFN_LINT_WARNINGS))
      .map((m) => `${m.Level} ${m.Rule.Id} in ${path.basename(m.Filename)}: ${m.Message}`);
    expect(findings).toEqual([]);
    expect((run.status ?? 1) & (1 | 2)).toBe(0);
  });
});

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
