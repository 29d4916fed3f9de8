import fs from 'node:fs';
import path from 'node:path';
import { Tags, Validations, type App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { OrderServiceConfig } from './config';
import { OrderServiceGlobalStack } from './order-service-global-stack';
import { OrderServiceStack } from './order-service-stack';
import { ServerlessOrderServiceStack } from './serverless-order-service-stack';

/**
 * Adds what the settings describe (what bin/app.ts does): with `regions`, the regional deployment's
 * stacks; otherwise the configured tier's one stack.
 */
export function defineDeployment(app: App, config: OrderServiceConfig, repositoryRoot = findRepositoryRoot(__dirname)): Stack[] {
  return config.regions ? defineRegionalApp(app, config, repositoryRoot).all : [defineTierApp(app, config, repositoryRoot)];
}

/** The stacks of a regional deployment. */
export interface RegionalStacks {
  /** One fargate-tier stack per region, by region, in the order of `regions`. */
  readonly regional: ReadonlyMap<string, OrderServiceStack>;
  /** The Route 53 records and the catalogue's source, in the first region. */
  readonly global: OrderServiceGlobalStack;
  /** Every stack, the regional ones first (the order they deploy in). */
  readonly all: Stack[];
}

/**
 * Adds a regional deployment (docs/regions.md): `OrderService-<env>-<region>` per region, each
 * with its own VPC, ALB, Fargate services and Aurora cluster holding its marketplaces' orders,
 * and `OrderService-<env>-global` in the first region, which deploys after them (it aims at their
 * names and replicates into their buckets). cdk-nag checks the whole app, as for one stack.
 */
export function defineRegionalApp(app: App, config: OrderServiceConfig, imageDirectory = findRepositoryRoot(__dirname)): RegionalStacks {
  const { regions } = config;
  if (config.tier !== 'fargate' || regions === undefined || regions.length === 0) {
    throw new Error(`defineRegionalApp builds the fargate tier in config.regions, and these settings have the ${config.tier} tier and ${regions?.length ? 'regions' : 'no regions'}.`);
  }
  const regional = new Map(
    regions.map((region) => [
      region.region,
      new OrderServiceStack(app, `OrderService-${config.envName}-${region.region}`, {
        config,
        imageDirectory,
        region,
        description: `Order service (${config.envName}, ${region.region}: ${region.marketplaces.join(', ')}): ALB, Fargate, Aurora PostgreSQL, catalogue copy`,
        terminationProtection: config.envName === 'prod',
      }),
    ]),
  );
  const global = new OrderServiceGlobalStack(app, `OrderService-${config.envName}-global`, {
    config: { ...config, regions },
    description: `Order service (${config.envName}, global): Route 53 marketplace and latency records with health checks, catalogue source`,
    terminationProtection: config.envName === 'prod',
  });
  for (const stack of regional.values()) global.addStackDependency(stack, 'its records aim at the regional names and it replicates into the regional catalogue buckets');
  const all = [...regional.values(), global];
  for (const stack of all) tag(stack, config);
  checkWithNag(app);
  return { regional, global, all };
}

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
  tag(stack, config);
  checkWithNag(app);
  return stack;
}

function tag(stack: Stack, config: OrderServiceConfig): void {
  // cfn-lint's resource schemas do not yet accept Tags on these two types (CloudFormation's newer
  // ones do); leaving them untagged costs nothing and keeps the templates valid for both.
  const tagOptions = { excludeResourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ApplicationAutoScaling::ScalableTarget'] };
  Tags.of(stack).add('service', 'order-service', tagOptions);
  Tags.of(stack).add('environment', config.envName, tagOptions);
}

function checkWithNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
}

/** The nearest folder above `from` with the Dockerfile: the same from infra/ (tests) and dist/infra/ (cdk). */
export function findRepositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'Dockerfile')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No folder above ${from} holds the Dockerfile and package.json.`);
  }
}
