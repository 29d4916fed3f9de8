import fs from 'node:fs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { loadInfraConfig } from '../../infra/lib/config';
import { defineApp, synthesize, type SynthesizedApp } from '../helpers/infra-synth';
import { acknowledgedNagRules, nagReport } from '../helpers/template-checks';

/** The AwsSolutions rules this app acknowledges (each with its reason in the construct that needs it). */
const ACKNOWLEDGED_NAG_RULES = {
  // ECS2 and IAM5 twice: the API's and the worker's task definitions and execution roles.
  staging: ['EC23', 'ECS2', 'ECS2', 'IAM5[Resource::*]', 'IAM5[Resource::*]', 'RDS10', 'RDS6', 'S1', 'SMG4'],
  prod: ['EC23', 'ECS2', 'ECS2', 'IAM5[Resource::*]', 'IAM5[Resource::*]', 'RDS6', 'S1', 'SMG4'],
};

describe('compliance of the synthesized templates', () => {
  let staging: SynthesizedApp;
  let prod: SynthesizedApp;
  beforeAll(() => {
    staging = synthesize('staging');
    prod = synthesize('prod');
  });
  afterAll(() => [staging, prod].forEach((s) => s?.dispose()));

  test('cdk-nag AwsSolutions finds nothing unacknowledged in either environment, errors or warnings', () => {
    for (const { app } of [staging, prod]) {
      const report = nagReport(app);
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    }
  });

  test('every acknowledged cdk-nag rule is named and explained in a sentence, and the list is the expected one', () => {
    for (const s of [staging, prod]) {
      // GIVEN every acknowledgment recorded in the construct tree
      const acknowledged = acknowledgedNagRules(s.app);

      // THEN they are exactly the reviewed ones, and each reason is words, not a placeholder
      expect(acknowledged.map((a) => a.rule).sort()).toEqual(ACKNOWLEDGED_NAG_RULES[s.config.envName]);
      for (const { reason } of acknowledged) {
        expect(reason.split(/\s+/).length).toBeGreaterThanOrEqual(12);
        expect(reason).toMatch(/[.]$/);
      }
    }
  });

  test('cdk-nag is wired into the app: an unencrypted, unlogged bucket stops synthesis', () => {
    // GIVEN the app as bin/app.ts builds it, plus a bucket that breaks AwsSolutions rules
    const { app, stack } = defineApp(loadInfraConfig((key) => (key === 'env' ? 'staging' : undefined)));
    new s3.Bucket(stack, 'Careless');
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    try {
      // WHEN it is synthesized THEN synthesis fails, naming the rule and the bucket
      expect(() => app.synth()).toThrow(/AwsSolutions-S1'[\s\S]*validation-report\.json/);
      expect(() => app.synth()).toThrow(/OrderService-staging\/Careless\/Resource/);
    } finally {
      stderr.mockRestore();
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});
