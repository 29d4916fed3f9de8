import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadInfraConfig, type EnvironmentName, type OrderServiceConfig, type SettingKey } from '../../infra/lib/config';
import { defineRegionalApp, type RegionalStacks } from '../../infra/lib/order-service-app';
import { CDK_CONTEXT, TEST_SETTINGS } from './infra-synth';

/** The three regions of the marketplaces, as `-c regions=...` names them. */
export const THREE_REGIONS = 'us-east-1,eu-central-1,ap-northeast-1';

export interface RegionsSynthesized {
  readonly config: OrderServiceConfig;
  readonly app: App;
  readonly stacks: RegionalStacks;
  readonly assembly: CloudAssembly;
  /** A stack's template. */
  template(stack: Stack): Template;
  /** A stack's template file on disk, for cfn-lint. */
  templatePath(stack: Stack): string;
  /** Removes the cloud assembly folder. */
  dispose(): void;
}

/**
 * Builds a regional deployment as infra/bin/app.ts does with `-c regions=...` (same flags, same
 * cdk-nag plugin), the environment's test settings plus `settings`. As in tier-synth.ts, the
 * Lambda functions are not bundled, so that template tests stay fast.
 */
export function synthesizeRegions(envName: EnvironmentName, settings: Partial<Record<SettingKey, string>> = {}): RegionsSynthesized {
  const all = { regions: THREE_REGIONS, ...TEST_SETTINGS[envName], ...settings };
  const config = loadInfraConfig((key) => (key === 'env' ? envName : all[key]));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `order-service-cdk-${envName}-regions-`));
  const app = new App({ outdir, context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const stacks = defineRegionalApp(app, config);
  const assembly = app.synth();
  const templates = new Map<Stack, Template>();
  return {
    config,
    app,
    stacks,
    assembly,
    template: (stack) => templates.get(stack) ?? templates.set(stack, Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template)).get(stack)!,
    templatePath: (stack) => path.join(assembly.directory, stack.templateFile),
    dispose: () => fs.rmSync(assembly.directory, { recursive: true, force: true }),
  };
}
