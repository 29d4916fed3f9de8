import { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { EmailIdentity } from './email-identity';
import type { EventQueue } from './event-queue';
import { ServiceFunction } from './service-function';

/** The worker function's timeout; the queue's visibility timeout must be six times it (AWS's advice for event sources). */
export const WORKER_TIMEOUT = Duration.seconds(30);

export interface EventFunctionsProps {
  readonly vpc: ec2.IVpc;
  readonly repositoryRoot: string;
  readonly databaseSecret: secretsmanager.ISecret;
  /** What every function of the tier is told (database, queue, mail, auth); each adds its own. */
  readonly environment: Record<string, string>;
  /** The order events queue, which the worker consumes and the sweep publishes to. */
  readonly events: EventQueue;
  /** The identity notifications are sent as: the worker may send as it. */
  readonly email: EmailIdentity;
  /** The API function, which relays its requests' events: the sweep watches its signals. */
  readonly apiFunction: lambda.IFunction;
  /**
   * Worker containers at once: each holds a database connection.
   * @default 2
   */
  readonly workerConcurrency?: number;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The serverless tier's asynchronous path beside the API function: the worker function behind an
 * SQS event source that reports partial batch failures, and the outbox sweep on an EventBridge
 * schedule (every minute, looking only when CloudWatch shows a signal; daily, forced).
 */
export class EventFunctions extends Construct {
  readonly worker: ServiceFunction;
  readonly sweep: ServiceFunction;
  readonly schedules: events.Rule[];

  constructor(scope: Construct, id: string, props: EventFunctionsProps) {
    super(scope, id);
    const concurrency = props.workerConcurrency ?? 2;
    if (!Number.isInteger(concurrency) || concurrency < 2 || concurrency > 1000) {
      throw new Error(`EventFunctions need a worker concurrency from 2 (the event source's least) to 1000, not ${concurrency}.`);
    }
    if (props.events.visibilityTimeout.toSeconds() < 6 * WORKER_TIMEOUT.toSeconds()) {
      throw new Error(`EventFunctions need the queue's visibility timeout to be at least six times the worker's ${WORKER_TIMEOUT.toSeconds()} s.`);
    }
    const common = { vpc: props.vpc, repositoryRoot: props.repositoryRoot, databaseSecret: props.databaseSecret, logRetention: props.logRetention, memoryMiB: 512 };

    this.worker = new ServiceFunction(this, 'Worker', {
      ...common,
      entry: 'worker-lambda.ts',
      // The API relays; the worker only consumes.
      environment: { ...props.environment, RELAY_ENABLED: 'false' },
      timeout: WORKER_TIMEOUT,
      reservedConcurrency: concurrency,
    });
    this.worker.function.addEventSource(
      new sources.SqsEventSource(props.events.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // Equal to the reservation: more would be throttled, fewer would leave containers idle.
        maxConcurrency: concurrency,
      }),
    );
    props.email.grantSend(this.worker.function);

    this.sweep = new ServiceFunction(this, 'Sweep', {
      ...common,
      entry: 'relay-lambda.ts',
      environment: { ...props.environment, RELAY_SWEEP_API_FUNCTION: props.apiFunction.functionName },
      // Under the schedule's minute, so that runs seldom overlap (their claims would keep them apart if they did).
      timeout: Duration.seconds(50),
      unscopedActions: { actions: ['cloudwatch:GetMetricData'], why: 'the sweep reads the API function`s EventsLeft and Errors before it touches the database' },
    });
    props.events.grantPublish(this.sweep.function);

    // No retries: the next run is at most a minute away, and a failed run is itself its signal.
    const target = (input?: object) =>
      new targets.LambdaFunction(this.sweep.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1), ...(input && { event: events.RuleTargetInput.fromObject(input) }) });
    this.schedules = [
      new events.Rule(this, 'EveryMinute', {
        description: 'Order service outbox sweep: looks when CloudWatch shows events may have been left',
        schedule: events.Schedule.rate(Duration.minutes(1)),
        targets: [target()],
      }),
      new events.Rule(this, 'Daily', {
        description: 'Order service outbox sweep: looks whatever the signals say (wakes a paused database once a day)',
        schedule: events.Schedule.rate(Duration.days(1)),
        targets: [target({ force: true })],
      }),
    ];
  }
}
