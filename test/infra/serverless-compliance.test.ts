import { acknowledgedNagRules, cfnLintFindings, cfnLintTest, nagReport } from '../helpers/template-checks';
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
      const report = nagReport(app);
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    }
  });

  test('every acknowledged cdk-nag rule is named and explained in a sentence, and the list is the expected one', () => {
    for (const [name, s] of Object.entries(synthesized) as Array<[keyof typeof ACKNOWLEDGED_NAG_RULES, TierSynthesized]>) {
      const acknowledged = acknowledgedNagRules(s.app);

      expect(acknowledged.map((a) => a.rule).sort()).toEqual(ACKNOWLEDGED_NAG_RULES[name]);
      for (const { reason } of acknowledged) {
        expect(reason.split(/\s+/).length).toBeGreaterThanOrEqual(12);
        expect(reason).toMatch(/[.]$/);
      }
    }
  });

  cfnLintTest('cfn-lint finds no error (and no unaccepted warning) in any of them', () => {
    const { findings, status } = cfnLintFindings('us-east-1', Object.values(synthesized).map((s) => s.templatePath), ACCEPTED_CFN_LINT_WARNINGS);

    expect(findings).toEqual([]);
    expect(status & (1 | 2)).toBe(0);
  });
});
