import { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as triggers from 'aws-cdk-lib/triggers';
import { Construct, type IConstruct } from 'constructs';
import { ServiceFunction } from './service-function';

export interface MigrationsProps {
  readonly vpc: ec2.IVpc;
  /** The repository root (see ServiceFunction). */
  readonly repositoryRoot: string;
  /** The RDS-generated secret with the credentials. */
  readonly databaseSecret: secretsmanager.ISecret;
  /** The writer endpoint and its port. */
  readonly databaseHost: string;
  readonly databasePort: string;
  /** What must exist before the migrations run: the database, and the rule that lets this function reach it. */
  readonly runAfter: readonly IConstruct[];
  /** What must wait for them: the API function, so that it gets new code only on a migrated schema. */
  readonly runBefore: readonly IConstruct[];
  /** How long its log is kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * How long the function may run; the deployment waits as long.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
}

/**
 * The serverless tier's migrations, run by the deployment: service/migrate-lambda.ts as a function
 * and a CDK trigger that invokes it once the database is there and before the API function is
 * created or updated, whenever the function's code changes (a new migration changes the bundle).
 * A failure fails the deployment, and CloudFormation rolls the stack back with the old code.
 */
export class Migrations extends Construct {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: MigrationsProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.minutes(5);
    this.function = new ServiceFunction(this, 'Function', {
      vpc: props.vpc,
      repositoryRoot: props.repositoryRoot,
      entry: 'migrate-lambda.ts',
      databaseSecret: props.databaseSecret,
      environment: {
        DB_HOST: props.databaseHost,
        DB_PORT: props.databasePort,
        // The advisory lock holds one connection while the migrations run on another.
        DB_POOL_SIZE: '2',
        // A new or paused database: creation ends before the instance accepts connections, and a resume takes about 15 s.
        DB_STARTUP_RETRY_MS: String(Math.min(120_000, timeout.toMilliseconds() / 2)),
      },
      memoryMiB: 512,
      timeout,
      logRetention: props.logRetention,
    });
    new triggers.Trigger(this, 'Run', {
      handler: this.function.function,
      executeAfter: [...props.runAfter],
      executeBefore: [...props.runBefore],
      executeOnHandlerChange: true,
      timeout,
    });
  }
}
