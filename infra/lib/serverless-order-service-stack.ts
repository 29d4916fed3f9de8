import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { Database } from './constructs/database';
import { EmailIdentity } from './constructs/email-identity';
import { EventFunctions, WORKER_TIMEOUT } from './constructs/event-functions';
import { EventQueue } from './constructs/event-queue';
import { HttpApi } from './constructs/http-api';
import { Migrations } from './constructs/migrations';
import { Network } from './constructs/network';
import { QueueAlarms } from './constructs/queue-alarms';
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
 * the deployment; the order events queue with its worker and outbox sweep functions; alarms.
 * Composes only.
 */
export class ServerlessOrderServiceStack extends Stack {
  readonly network: Network;
  readonly database: Database;
  readonly api: ServiceFunction;
  readonly migrations: Migrations;
  readonly httpApi: HttpApi;
  readonly events: EventQueue;
  readonly email: EmailIdentity;
  readonly eventFunctions: EventFunctions;
  readonly alarms: ServerlessAlarms;
  readonly queueAlarms: QueueAlarms;
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
    const hostedZone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', { hostedZoneId: config.hostedZoneId, zoneName: config.zoneName });

    // Named apart from the fargate tier's queue: both stacks live side by side during a move.
    this.events = new EventQueue(this, 'Events', { queueName: `order-events-${config.envName}-serverless`, visibilityTimeout: Duration.seconds(6 * WORKER_TIMEOUT.toSeconds()) });
    this.email = new EmailIdentity(this, 'Email', { domain: config.mail.domain, hostedZone });
    // Every function loads the same configuration (service/config.ts), so each is told all of it.
    const environment = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      AUTH_MODE: 'jwt',
      AUTH_JWKS_URL: config.auth.jwksUrl,
      AUTH_ISSUER: config.auth.issuer,
      AUTH_AUDIENCE: config.auth.audience,
      DB_HOST: writer.hostname,
      DB_PORT: writer.port.toString(),
      // A container handles one invocation at a time: one connection each, so reserved concurrency caps them.
      DB_POOL_SIZE: '1',
      DB_STARTUP_RETRY_MS: String(RESUME_BUDGET.toMilliseconds()),
      QUEUE_URL: this.events.queue.queueUrl,
      // With a queue nothing runs the consumers in-process; said outright, not left to a default.
      WORKER_EMBEDDED: 'false',
      // Every function validates the mail settings and production defaults to SES, which needs a
      // sender; only the worker's role may send. AWS_REGION is the runtime's own.
      MAIL_TRANSPORT: 'ses',
      MAIL_FROM: config.mail.from,
    };

    this.api = new ServiceFunction(this, 'Api', {
      vpc,
      repositoryRoot: props.repositoryRoot,
      entry: 'lambda.ts',
      databaseSecret: this.database.secret,
      environment,
      memoryMiB: sizes.memoryMiB,
      timeout: Duration.seconds(28),
      reservedConcurrency: sizes.reservedConcurrency,
      logRetention,
      docsPage: true,
    });

    // The API function relays its requests' events after they commit; it never receives.
    this.events.grantPublish(this.api.function);

    this.eventFunctions = new EventFunctions(this, 'EventFunctions', {
      vpc,
      repositoryRoot: props.repositoryRoot,
      databaseSecret: this.database.secret,
      environment,
      events: this.events,
      email: this.email,
      apiFunction: this.api.function,
      logRetention,
    });

    this.migrations = new Migrations(this, 'Migrations', {
      vpc,
      repositoryRoot: props.repositoryRoot,
      databaseSecret: this.database.secret,
      databaseHost: writer.hostname,
      databasePort: writer.port.toString(),
      runAfter: [this.database],
      runBefore: [this.api.function, this.eventFunctions.worker.function, this.eventFunctions.sweep.function],
      logRetention,
    });
    this.database.allowConnectionsFrom(this.api);
    this.database.allowConnectionsFrom(this.migrations.function);
    this.database.allowConnectionsFrom(this.eventFunctions.worker);
    this.database.allowConnectionsFrom(this.eventFunctions.sweep);

    this.httpApi = new HttpApi(this, 'Http', {
      handler: this.api.function,
      domainName: config.domainName,
      hostedZone,
      rateLimit: sizes.apiRateLimit,
      burstLimit: sizes.apiRateLimit * 2,
      logRetention,
    });

    this.alarms = new ServerlessAlarms(this, 'Alarms', {
      api: this.httpApi.api,
      function: this.api.function,
      reservedConcurrency: sizes.reservedConcurrency,
      migrationFunction: this.migrations.function.function,
      workerFunction: this.eventFunctions.worker.function,
      sweepFunction: this.eventFunctions.sweep.function,
      cluster: this.database.cluster,
      databaseMaxCapacity: sizes.databaseMaxCapacity,
      email: config.alarmEmail,
    });

    this.queueAlarms = new QueueAlarms(this, 'QueueAlarms', {
      topic: this.alarms.topic,
      queue: this.events.queue,
      deadLetterQueue: this.events.deadLetterQueue,
    });

    new CfnOutput(this, 'Url', { value: `https://${config.domainName}` });
    new CfnOutput(this, 'ApiFunctionName', { value: this.api.function.functionName });
    new CfnOutput(this, 'MigrationFunctionName', { value: this.migrations.function.function.functionName });
    new CfnOutput(this, 'WorkerFunctionName', { value: this.eventFunctions.worker.function.functionName });
    new CfnOutput(this, 'SweepFunctionName', { value: this.eventFunctions.sweep.function.functionName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.events.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'DatabaseClusterIdentifier', { value: this.database.cluster.clusterIdentifier });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
  }

  /** Explicit zones, so that nothing is looked up at synth time. */
  override get availabilityZones(): string[] {
    return [...this.zones];
  }
}
