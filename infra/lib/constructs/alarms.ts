import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { addAlarm, createAlarmTopic } from './alarm-topic';

export interface AlarmsProps {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  readonly service: ecs.FargateService;
  readonly cluster: rds.IDatabaseCluster;
  /** Below this much freeable memory (MiB) on any database instance, alarm. */
  readonly freeableMemoryThresholdMiB: number;
  /** Who is emailed when an alarm fires; nobody is subscribed when undefined. */
  readonly email?: string;
  /**
   * Share of requests answered with a 5xx (by the ALB or the service), in percent, that alarms.
   * @default 1
   */
  readonly errorRatePercent?: number;
  /**
   * p99 target response time that alarms.
   * @default Duration.seconds(1)
   */
  readonly p99Latency?: Duration;
}

/**
 * The alarms that page someone, all to one encrypted SNS topic: ALB 5xx rate, p99 latency and
 * unhealthy hosts; ECS CPU and memory; Aurora CPU, freeable memory, replica lag and deadlocks.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const errorRate = props.errorRatePercent ?? 1;
    if (errorRate <= 0 || errorRate >= 100) {
      throw new Error(`Alarms need an error rate between 0 and 100 percent, not ${errorRate}.`);
    }

    this.topic = createAlarmTopic(this, props.email);

    const minute = Duration.minutes(1);
    const fiveMinutes = Duration.minutes(5);
    const lb = props.loadBalancer.metrics;
    const tg = props.targetGroup.metrics;

    this.add('Http5xxRate', {
      metric: new cloudwatch.MathExpression({
        // Quiet periods (under 50 requests) never alarm on a handful of errors.
        expression: 'IF(FILL(requests, 0) >= 50, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)',
        usingMetrics: {
          requests: lb.requestCount({ period: fiveMinutes }),
          elb5xx: lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: fiveMinutes }),
          target5xx: tg.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: fiveMinutes }),
        },
        period: fiveMinutes,
        label: '5xx responses (%)',
      }),
      threshold: errorRate,
      evaluationPeriods: 1,
      alarmDescription: `More than ${errorRate}% of requests answered 5xx over 5 minutes.`,
    });
    this.add('P99Latency', {
      metric: tg.targetResponseTime({ statistic: 'p99', period: minute }),
      threshold: (props.p99Latency ?? Duration.seconds(1)).toSeconds(),
      evaluationPeriods: 5,
      alarmDescription: 'The slowest 1% of responses took longer than the threshold for 5 minutes.',
    });
    this.add('UnhealthyHosts', {
      metric: tg.unhealthyHostCount({ statistic: 'Maximum', period: minute }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      alarmDescription: 'A task has failed its readiness check for 3 minutes.',
    });
    this.add('ServiceCpu', {
      metric: props.service.metricCpuUtilization({ period: minute }),
      threshold: 85,
      evaluationPeriods: 5,
      alarmDescription: 'Service CPU above 85% for 5 minutes: scaling (at 60%) is maxed out or too slow.',
    });
    this.add('ServiceMemory', {
      metric: props.service.metricMemoryUtilization({ period: minute }),
      threshold: 85,
      evaluationPeriods: 5,
      alarmDescription: 'Service memory above 85% for 5 minutes: a leak, or scaling (at 70%) is maxed out.',
    });
    this.add('DatabaseCpu', {
      metric: props.cluster.metricCPUUtilization({ period: minute, statistic: 'Maximum' }),
      threshold: 80,
      evaluationPeriods: 5,
      alarmDescription: 'An Aurora instance above 80% CPU for 5 minutes.',
    });
    this.add('DatabaseFreeableMemory', {
      metric: props.cluster.metricFreeableMemory({ period: minute, statistic: 'Minimum' }),
      threshold: props.freeableMemoryThresholdMiB * 1024 * 1024,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 5,
      alarmDescription: `An Aurora instance has had less than ${props.freeableMemoryThresholdMiB} MiB freeable memory for 5 minutes.`,
    });
    this.add('ReplicaLag', {
      metric: props.cluster.metric('AuroraReplicaLagMaximum', { period: minute, statistic: 'Maximum' }),
      threshold: 1000,
      evaluationPeriods: 5,
      alarmDescription: 'A reader has lagged the writer by more than 1 s for 5 minutes: DB_READER_HOST serves stale data.',
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
