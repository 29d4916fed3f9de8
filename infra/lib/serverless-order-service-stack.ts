import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { Database } from './constructs/database';
import { HttpApi } from './constructs/http-api';
import { Migrations } from './constructs/migrations';
import { Network } from './constructs/network';
import { ServerlessAlarms } from './constructs/serverless-alarms';
import { ServiceFunction } from './constructs/service-function';
import type { OrderServiceConfig } from './config';
import { retentionDays } from './order-service-stack';

export interface ServerlessOrderServiceStackProps extends Omit<StackProps, 'env'> {
  /** One environment's validated settings; they also fix the stack's account and region. */
  readonly config: OrderServiceConfig;
  /** The repository root: the functions are bundled from service/ there. */
  readonly repositoryRoot: string;
}

/**
 * How long the first request after a pause may wait for Aurora: its ~15 s resume, with the
 * connection attempts' own timeouts (5 s), inside the function's 28 s and API Gateway's 29 s.
 */
const RESUME_BUDGET = Duration.seconds(20);

/**
 * One environment of the order service's serverless tier: Route 53 → API Gateway HTTP API →
 * Lambda (the same Express app) → Aurora Serverless v2 that pauses when idle; migrations run by
 * the deployment; alarms. Composes only.
 */
export class ServerlessOrderServiceStack extends Stack {
  readonly network: Network;
  readonly database: Database;
  readonly api: ServiceFunction;
  readonly migrations: Migrations;
  readonly httpApi: HttpApi;
  readonly alarms: ServerlessAlarms;
  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: ServerlessOrderServiceStackProps) {
    const { config } = props;
    super(scope, id, { ...props, env: { account: config.account, region: config.region } });
    this.zones = config.availabilityZones;
    const logRetention = retentionDays(config.logRetentionDays);
    const sizes = config.serverless;

    // One NAT gateway: the function calls the identity provider's JWKS and Secrets Manager.
    this.network = new Network(this, 'Network', { natGateways: 1, flowLogRetention: logRetention, interfaceEndpoints: false });
    const vpc = this.network.vpc;

    this.database = new Database(this, 'Database', {
      vpc,
      availabilityZones: config.availabilityZones,
      clusterIdentifier: `order-service-${config.envName}-serverless`,
      capacity: { kind: 'serverless', maxCapacity: sizes.databaseMaxCapacity, pauseAfter: Duration.minutes(sizes.autoPauseMinutes) },
      backupRetentionDays: config.database.backupRetentionDays,
      protect: config.database.protect,
      logRetention,
    });
    const writer = this.database.cluster.clusterEndpoint;

    this.api = new ServiceFunction(this, 'Api', {
      vpc,
      repositoryRoot: props.repositoryRoot,
      entry: 'lambda.ts',
      databaseSecret: this.database.secret,
      environment: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        AUTH_MODE: 'jwt',
        AUTH_JWKS_URL: config.auth.jwksUrl,
        AUTH_ISSUER: config.auth.issuer,
        AUTH_AUDIENCE: config.auth.audience,
        DB_HOST: writer.hostname,
        DB_PORT: writer.port.toString(),
        // A container serves one request at a time: one connection each, so reserved concurrency caps them.
        DB_POOL_SIZE: '1',
        DB_STARTUP_RETRY_MS: String(RESUME_BUDGET.toMilliseconds()),
      },
      memoryMiB: sizes.memoryMiB,
      timeout: Duration.seconds(28),
      reservedConcurrency: sizes.reservedConcurrency,
      logRetention,
      docsPage: true,
    });

    this.migrations = new Migrations(this, 'Migrations', {
      vpc,
      repositoryRoot: props.repositoryRoot,
      databaseSecret: this.database.secret,
      databaseHost: writer.hostname,
      databasePort: writer.port.toString(),
      runAfter: [this.database],
      runBefore: [this.api.function],
      logRetention,
    });
    this.database.allowConnectionsFrom(this.api);
    this.database.allowConnectionsFrom(this.migrations.function);

    this.httpApi = new HttpApi(this, 'Http', {
      handler: this.api.function,
      domainName: config.domainName,
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.hostedZoneId, zoneName: config.zoneName }),
      rateLimit: sizes.apiRateLimit,
      burstLimit: sizes.apiRateLimit * 2,
      logRetention,
    });

    this.alarms = new ServerlessAlarms(this, 'Alarms', {
      api: this.httpApi.api,
      function: this.api.function,
      reservedConcurrency: sizes.reservedConcurrency,
      migrationFunction: this.migrations.function.function,
      cluster: this.database.cluster,
      databaseMaxCapacity: sizes.databaseMaxCapacity,
      email: config.alarmEmail,
    });

    new CfnOutput(this, 'Url', { value: `https://${config.domainName}` });
    new CfnOutput(this, 'ApiFunctionName', { value: this.api.function.functionName });
    new CfnOutput(this, 'MigrationFunctionName', { value: this.migrations.function.function.functionName });
    new CfnOutput(this, 'DatabaseClusterIdentifier', { value: this.database.cluster.clusterIdentifier });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }

  /** Explicit zones, so that nothing is looked up at synth time. */
  override get availabilityZones(): string[] {
    return [...this.zones];
  }
}
