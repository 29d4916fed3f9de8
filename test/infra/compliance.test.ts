import fs from 'node:fs';
import { Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadInfraConfig } from '../../infra/lib/config';
import { defineApp, synthesize, type SynthesizedApp } from '../helpers/infra-synth';

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
      const report = new AwsSolutionsChecks().validateScope(app);
      expect(report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
      expect(report.success).toBe(true);
    }
  });

  test('every acknowledged cdk-nag rule is named and explained in a sentence, and the list is the expected one', () => {
    for (const s of [staging, prod]) {
      // GIVEN every acknowledgment recorded in the construct tree
      const acknowledged: Array<{ rule: string; reason: string }> = [];
      for (const construct of s.app.node.findAll()) {
        for (const entry of construct.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
            const rule = /^Annotation::AwsSolutions-(.+)$/i.exec(id)?.[1];
            if (rule) acknowledged.push({ rule, reason });
          }
        }
      }

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
