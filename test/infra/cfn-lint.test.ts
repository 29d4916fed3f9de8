import { synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';
import { cfnLintFindings, cfnLintTest } from '../helpers/template-checks';

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

  cfnLintTest('cfn-lint finds no error (and no unaccepted warning) in either template', () => {
    // WHEN cfn-lint checks both templates against their region
    const { findings, status } = cfnLintFindings(prod.config.region, [staging.templatePath, prod.templatePath], ACCEPTED_CFN_LINT_WARNINGS);

    // THEN nothing but the accepted warnings remains
    expect(findings).toEqual([]);
    // The exit code is a bit set: 2 errors, 4 warnings, 8 informational; 1 means cfn-lint itself failed.
    expect(status & (1 | 2)).toBe(0);
  });
});
