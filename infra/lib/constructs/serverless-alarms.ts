import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { addAlarm, createAlarmTopic } from './alarm-topic';

export interface ServerlessAlarmsProps {
  readonly api: apigwv2.IHttpApi;
  /** The API function and its reserved concurrency. */
  readonly function: lambda.IFunction;
  readonly reservedConcurrency: number;
  /** The migration function: its errors are failed deployments worth a look. */
  readonly migrationFunction: lambda.IFunction;
  /**
   * The queue worker function: its errors (a crash, a timeout, the database down; a failed message
   * is not one) and throttles.
   * @default - no worker alarms
   */
  readonly workerFunction?: lambda.IFunction;
  /**
   * The outbox sweep function: failing three minutes running (the queue or the database down, events waiting) and throttles.
   * @default - no sweep alarms
   */
  readonly sweepFunction?: lambda.IFunction;
  readonly cluster: rds.IDatabaseCluster;
  /** The cluster's maximum capacity in ACUs. */
  readonly databaseMaxCapacity: number;
  /** Who is emailed when an alarm fires; nobody is subscribed when undefined. */
  readonly email?: string;
  /**
   * Share of requests answered with a 5xx, in percent, that alarms.
   * @default 1
   */
  readonly errorRatePercent?: number;
  /**
   * p99 latency at API Gateway that alarms (a resume from a pause is one slow request, not five minutes of them).
   * @default Duration.seconds(3)
   */
  readonly p99Latency?: Duration;
}

/**
 * The serverless tier's alarms, all to one encrypted SNS topic: API 5xx rate and p99 latency;
 * function errors, throttles (reserved concurrency reached) and concurrency near that limit;
 * migration failures; Aurora capacity at its ceiling, CPU, and deadlocks.
 */
export class ServerlessAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServerlessAlarmsProps) {
    super(scope, id);
    const errorRate = props.errorRatePercent ?? 1;
    if (errorRate <= 0 || errorRate >= 100) {
      throw new Error(`ServerlessAlarms need an error rate between 0 and 100 percent, not ${errorRate}.`);
    }
    this.topic = createAlarmTopic(this, props.email);
    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);

    this.add('Http5xxRate', {
      metric: new cloudwatch.MathExpression({
        // Quiet periods (under 20 requests) never alarm on a handful of errors.
        expression: 'IF(FILL(requests, 0) >= 20, 100 * FILL(errors, 0) / requests, 0)',
        usingMetrics: {
          requests: props.api.metricCount({ period: fiveMinutes }),
          errors: props.api.metricServerError({ period: fiveMinutes }),
        },
        period: fiveMinutes,
        label: '5xx responses (%)',
      }),
      threshold: errorRate,
      evaluationPeriods: 1,
      alarmDescription: `More than ${errorRate}% of requests answered 5xx over 5 minutes.`,
    });
    this.add('P99Latency', {
      metric: props.api.metricLatency({ statistic: 'p99', period: minute }),
      threshold: (props.p99Latency ?? Duration.seconds(3)).toMilliseconds(),
      evaluationPeriods: 5,
      alarmDescription: 'The slowest 1% of responses took longer than the threshold for 5 minutes.',
    });
    this.add('FunctionErrors', {
      metric: props.function.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 0,
      evaluationPeriods: 1,
      alarmDescription: 'The API function failed (a timeout, a crash, settings it refuses): API Gateway answered 500 or 503.',
    });
    this.add('FunctionThrottles', {
      metric: props.function.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 0,
      evaluationPeriods: 1,
      alarmDescription: `Requests were refused because ${props.reservedConcurrency} containers (the reserved concurrency) were all busy.`,
    });
    const concurrencyThreshold = Math.max(1, Math.floor(props.reservedConcurrency * 0.8));
    this.add('FunctionConcurrency', {
      metric: props.function.metric('ConcurrentExecutions', { period: minute, statistic: 'Maximum' }),
      threshold: concurrencyThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      alarmDescription: `At least ${concurrencyThreshold} of ${props.reservedConcurrency} reserved containers busy for 5 minutes: raise reservedConcurrency (and databaseMaxCapacity), or move to the fargate tier.`,
    });
    this.add('MigrationErrors', {
      metric: props.migrationFunction.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
      threshold: 0,
      evaluationPeriods: 1,
      alarmDescription: 'A migration failed: the deployment was rolled back and the old code still serves.',
    });
    if (props.workerFunction) {
      this.add('WorkerErrors', {
        metric: props.workerFunction.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 0,
        evaluationPeriods: 1,
        alarmDescription: 'The worker function failed a whole batch (a crash, a timeout, the database unreachable): its messages return to the queue.',
      });
      this.add('WorkerThrottles', {
        metric: props.workerFunction.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 0,
        evaluationPeriods: 1,
        alarmDescription: 'The worker function was throttled: its reserved concurrency is below the event source`s maximum concurrency.',
      });
    }
    if (props.sweepFunction) {
      // One failed sweep is a queue hiccup the next run repairs; three in a row are an outage.
      this.add('SweepErrors', {
        metric: props.sweepFunction.metricErrors({ period: minute, statistic: 'Sum' }),
        threshold: 0,
        evaluationPeriods: 3,
        alarmDescription: 'The outbox sweep failed three minutes running: the queue or the database is unreachable and order events wait in the outbox.',
      });
      this.add('SweepThrottles', {
        metric: props.sweepFunction.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 0,
        evaluationPeriods: 1,
        alarmDescription: 'The outbox sweep was throttled: the account`s unreserved concurrency ran out.',
      });
    }
    this.add('DatabaseCapacity', {
      metric: props.cluster.metric('ServerlessDatabaseCapacity', { period: minute, statistic: 'Maximum' }),
      threshold: props.databaseMaxCapacity * 0.9,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 15,
      alarmDescription: `Aurora at 90% or more of its ${props.databaseMaxCapacity} ACU ceiling for 15 minutes: raise databaseMaxCapacity.`,
    });
    this.add('DatabaseCpu', {
      metric: props.cluster.metricCPUUtilization({ period: minute, statistic: 'Maximum' }),
      threshold: 80,
      evaluationPeriods: 5,
      alarmDescription: 'Aurora above 80% CPU for 5 minutes.',
    });
    this.add('Deadlocks', {
      metric: props.cluster.metricDeadlocks({ period: fiveMinutes, statistic: 'Maximum' }),
      threshold: 0,
      evaluationPeriods: 1,
      alarmDescription: 'PostgreSQL detected a deadlock: two transactions lock rows in opposite orders.',
    });
  }

  private add(id: string, props: Omit<cloudwatch.AlarmProps, 'treatMissingData'>): void {
    this.alarms.push(addAlarm(this, id, this.topic, props));
  }
}
