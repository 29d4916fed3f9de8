import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';

/**
 * cfn-lint warnings we accept, each with the reason. Any other warning fails like an error, so
 * that a new one is either fixed or added here on purpose.
 */
const ACCEPTED_CFN_LINT_WARNINGS: Record<string, string> = {
  W3005:
    'aws-cdk-lib renders an explicit DependsOn next to a GetAtt on the same role in its own VPC default-security-group custom resource; redundant, harmless, not our code.',
};

describe('cfn-lint on the synthesized templates', () => {
  let staging: Synthesized;
  let prod: Synthesized;
  beforeAll(() => ({ staging, prod } = synthesizedEnvironments()));

  const cfnLint = findOnPath('cfn-lint');
  if (!cfnLint && !process.env.CI) {
    console.warn('cfn-lint is not on PATH: skipping the cfn-lint check (CI fails instead of skipping). Install it with pip install cfn-lint.');
  }
  (cfnLint || process.env.CI ? test : test.skip)('cfn-lint finds no error (and no unaccepted warning) in either template', () => {
    if (!cfnLint) throw new Error('cfn-lint must be on PATH in CI, where this check may not be skipped.');

    // WHEN cfn-lint checks both templates against their region
    const run = spawnSync(cfnLint, ['--format', 'json', '--regions', prod.config.region, '--', staging.templatePath, prod.templatePath], {
      encoding: 'utf8',
    });
    expect(run.error).toBeUndefined();
    const matches: Array<{ Level: string; Rule: { Id: string }; Message: string; Filename: string }> = JSON.parse(run.stdout || '[]');

    // THEN nothing but the accepted warnings remains
    const findings = matches
      .filter((m) => m.Level !== 'Informational' && !(m.Level === 'Warning' && m.Rule.Id in ACCEPTED_CFN_LINT_WARNINGS))
      .map((m) => `${m.Level} ${m.Rule.Id} in ${path.basename(m.Filename)}: ${m.Message}`);
    expect(findings).toEqual([]);
    // The exit code is a bit set: 2 errors, 4 warnings, 8 informational; 1 means cfn-lint itself failed.
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
