import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadInfraConfig, type EnvironmentName, type OrderServiceConfig, type SettingKey } from '../../infra/lib/config';
import { defineOrderServiceApp } from '../../infra/lib/order-service-app';
import type { OrderServiceStack } from '../../infra/lib/order-service-stack';

export const ROOT = path.resolve(__dirname, '..', '..');
/** What `cdk synth` runs with (cdk.json's feature flags, and the metadata the CLI asks for), so the tests see the same templates. */
export const CDK_CONTEXT: Record<string, unknown> = {
  ...JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context,
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
};

export interface Synthesized {
  readonly config: OrderServiceConfig;
  readonly app: App;
  readonly stack: OrderServiceStack;
  readonly template: Template;
  readonly assembly: CloudAssembly;
  /** The template file on disk, for cfn-lint. */
  readonly templatePath: string;
  /** Removes the cloud assembly folder. */
  dispose(): void;
}

/**
 * Builds one environment exactly as infra/bin/app.ts does (same flags, same cdk-nag plugin), but
 * with settings from the test instead of context or the environment, into a temporary folder.
 * Synthesis fails here if cdk-nag finds anything unacknowledged.
 */
export function synthesize(envName: EnvironmentName, settings: Partial<Record<SettingKey, string>> = {}): Synthesized {
  const config = loadInfraConfig((key) => (key === 'env' ? envName : settings[key]));
  const { app, stack } = defineApp(config);
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

/** An app with the environment's stack defined but not yet synthesized. */
export function defineApp(config: OrderServiceConfig): { app: App; stack: OrderServiceStack } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `order-service-cdk-${config.envName}-`));
  const app = new App({ outdir, context: CDK_CONTEXT });
  return { app, stack: defineOrderServiceApp(app, config) };
}

/** The logical id and properties of every resource of one type. */
export function resourcesOf(template: Template, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(template.findResources(type)).map(([id, resource]) => [id, resource.Properties ?? {}]);
}

/** The one resource of a type; fails when there is not exactly one. */
export function onlyResource(template: Template, type: string): [string, Record<string, any>] {
  const found = resourcesOf(template, type);
  if (found.length !== 1) throw new Error(`Expected one ${type}, found ${found.length}.`);
  return found[0];
}

/** The API task's only container definition. */
export function apiContainer(template: Template): Record<string, any> {
  return onlyContainer(template, 'ApiTask');
}

/** The only container definition of the task definition whose logical id starts with `prefix`. */
export function onlyContainer(template: Template, prefix: string): Record<string, any> {
  const taskDefinition = template.findResources('AWS::ECS::TaskDefinition')[logicalId(template, 'AWS::ECS::TaskDefinition', prefix)].Properties;
  expect(taskDefinition.ContainerDefinitions).toHaveLength(1);
  return taskDefinition.ContainerDefinitions[0];
}

/** Logical id of the only resource of a type whose id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`Expected one ${type} named ${prefix}*, found ${ids.join(', ') || 'none'}.`);
  return ids[0];
}
