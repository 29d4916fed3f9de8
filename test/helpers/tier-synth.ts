import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadInfraConfig, type EnvironmentName, type OrderServiceConfig, type SettingKey } from '../../infra/lib/config';
import { defineTierApp } from '../../infra/lib/order-service-app';
import { CDK_CONTEXT } from './infra-synth';

export interface TierSynthesized {
  readonly config: OrderServiceConfig;
  readonly app: App;
  readonly stack: Stack;
  readonly template: Template;
  readonly assembly: CloudAssembly;
  /** The template file on disk, for cfn-lint. */
  readonly templatePath: string;
  dispose(): void;
}

/**
 * Builds one environment of any tier as infra/bin/app.ts does (same flags, same cdk-nag plugin).
 * The Lambda functions are not bundled unless `bundle` is set (CDK's bundling-stacks context), so
 * that template tests stay fast; `npm run synth` and the bundle test bundle for real.
 */
export function synthesizeTier(
  envName: EnvironmentName,
  settings: Partial<Record<SettingKey, string>> = {},
  { bundle = false }: { bundle?: boolean } = {},
): TierSynthesized {
  const config = loadInfraConfig((key) => (key === 'env' ? envName : settings[key]));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `order-service-cdk-${config.envName}-${config.tier}-`));
  const app = new App({ outdir, context: { ...CDK_CONTEXT, ...(!bundle && { 'aws:cdk:bundling-stacks': [] }) } });
  const stack = defineTierApp(app, config);
  const template = Template.fromStack(stack);
  const assembly = app.synth();
  return {
    config,
    app,
    stack,
    template,
    assembly,
    templatePath: path.join(assembly.directory, stack.templateFile),
    dispose: () => fs.rmSync(assembly.directory, { recursive: true, force: true }),
  };
}
