import fs from 'node:fs';
import path from 'node:path';
import { Tags, Validations, type App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { OrderServiceConfig } from './config';
import { OrderServiceStack } from './order-service-stack';
import { ServerlessOrderServiceStack } from './serverless-order-service-stack';

/** Adds the configured tier's stack for one environment (what bin/app.ts does). */
export function defineTierApp(app: App, config: OrderServiceConfig, repositoryRoot = findRepositoryRoot(__dirname)): Stack {
  return config.tier === 'serverless' ? defineServerlessOrderServiceApp(app, config, repositoryRoot) : defineOrderServiceApp(app, config, repositoryRoot);
}

/**
 * Adds one environment's stack of the fargate tier to the app and checks the whole app with
 * cdk-nag's AwsSolutions pack: any unacknowledged finding interrupts synthesis, so it fails
 * `cdk synth` and the tests.
 */
export function defineOrderServiceApp(app: App, config: OrderServiceConfig, imageDirectory = findRepositoryRoot(__dirname)): OrderServiceStack {
  if (config.tier !== 'fargate') throw new Error(`defineOrderServiceApp builds the fargate tier, not ${config.tier}: use defineTierApp.`);
  const stack = new OrderServiceStack(app, `OrderService-${config.envName}`, {
    config,
    imageDirectory,
    description: `Order service (${config.envName}): Route 53, ALB, Fargate, Aurora PostgreSQL`,
    terminationProtection: config.envName === 'prod',
  });
  return checked(app, stack, config);
}

/**
 * The same for the serverless tier. Its stack has a name of its own (`OrderService-<env>-serverless`),
 * so that switching tiers never replaces the other tier's database in place: both can run side
 * by side while the data moves (docs/serverless.md).
 */
export function defineServerlessOrderServiceApp(
  app: App,
  config: OrderServiceConfig,
  repositoryRoot = findRepositoryRoot(__dirname),
): ServerlessOrderServiceStack {
  const stack = new ServerlessOrderServiceStack(app, `OrderService-${config.envName}-serverless`, {
    config,
    repositoryRoot,
    description: `Order service (${config.envName}, serverless): Route 53, API Gateway, Lambda, Aurora Serverless v2`,
    terminationProtection: config.envName === 'prod',
  });
  return checked(app, stack, config);
}

function checked<S extends Stack>(app: App, stack: S, config: OrderServiceConfig): S {
  // cfn-lint's resource schemas do not yet accept Tags on these two types (CloudFormation's newer
  // ones do); leaving them untagged costs nothing and keeps the templates valid for both.
  const tagOptions = { excludeResourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ApplicationAutoScaling::ScalableTarget'] };
  Tags.of(stack).add('service', 'order-service', tagOptions);
  Tags.of(stack).add('environment', config.envName, tagOptions);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}

/** The nearest folder above `from` with the Dockerfile: the same from infra/ (tests) and dist/infra/ (cdk). */
export function findRepositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'Dockerfile')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No folder above ${from} holds the Dockerfile and package.json.`);
  }
}
