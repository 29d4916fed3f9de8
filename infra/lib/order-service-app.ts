import fs from 'node:fs';
import path from 'node:path';
import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { OrderServiceConfig } from './config';
import { OrderServiceStack } from './order-service-stack';

/**
 * Adds one environment's stack to the app and checks the whole app with cdk-nag's AwsSolutions
 * pack: any unacknowledged finding interrupts synthesis, so it fails `cdk synth` and the tests.
 */
export function defineOrderServiceApp(app: App, config: OrderServiceConfig, imageDirectory = findRepositoryRoot(__dirname)): OrderServiceStack {
  const stack = new OrderServiceStack(app, `OrderService-${config.envName}`, {
    config,
    imageDirectory,
    description: `Order service (${config.envName}): Route 53, ALB, Fargate, Aurora PostgreSQL`,
    terminationProtection: config.envName === 'prod',
  });
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
