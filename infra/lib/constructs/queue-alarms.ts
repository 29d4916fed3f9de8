import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { addAlarm, type NotifyingAlarmProps } from './alarm-topic';
import type { WorkerService } from './worker-service';

export interface QueueAlarmsProps {
  /** The alarm topic (the Alarms construct's), notified when an alarm fires and when it clears. */
  readonly topic: sns.ITopic;
  /** The order events queue. */
  readonly queue: sqs.IQueue;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /**
   * The Fargate service that consumes the queue: its missing tasks alarm too.
   * @default - no task alarm (the serverless tier's worker is a function, with its own alarms)
   */
  readonly worker?: WorkerService;
  /**
   * Age of the oldest waiting event that alarms.
   * @default Duration.minutes(5)
   */
  readonly maxEventAge?: Duration;
  /**
   * How long the worker may run fewer tasks than it should before that alarms.
   * @default Duration.minutes(10)
   */
  readonly missingTasksFor?: Duration;
}

/**
 * The alarms of the event pipeline, on the same topic as the others: a dead letter (an event no
 * consumer could handle), an event waiting too long (the worker is down, stuck or too slow), and,
 * on Fargate, worker tasks that do not start.
 */
export class QueueAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: QueueAlarmsProps) {
    super(scope, id);
    const maxEventAge = props.maxEventAge ?? Duration.minutes(5);
    const missingTasksFor = props.missingTasksFor ?? Duration.minutes(10);
    if (maxEventAge.toSeconds() < 60) {
      throw new Error(`QueueAlarms need an event age of at least a minute to alarm on, not ${maxEventAge.toSeconds()} s.`);
    }
    const minute = Duration.minutes(1);
    const add = (alarmId: string, alarmProps: NotifyingAlarmProps) =>
      this.alarms.push(addAlarm(this, alarmId, props.topic, alarmProps));

    add('DeadLetters', {
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: minute }),
      threshold: 0,
      evaluationPeriods: 1,
      alarmDescription: 'An order event is in the dead-letter queue: no consumer could handle it (see the worker log), and later events of its order went on without it.',
    });
    add('OldestEvent', {
      metric: props.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: minute }),
      threshold: maxEventAge.toSeconds(),
      evaluationPeriods: 1,
      alarmDescription: `An order event has waited more than ${maxEventAge.toHumanString()}: the worker is down, failing or too slow.`,
    });
    const worker = props.worker;
    if (worker) {
      const periods = Math.max(1, Math.round(missingTasksFor.toMinutes({ integral: false })));
      add('WorkerTasksMissing', {
        metric: new cloudwatch.MathExpression({
          expression: 'desired - running',
          usingMetrics: { desired: worker.metricTaskCount('DesiredTaskCount'), running: worker.metricTaskCount('RunningTaskCount') },
          period: minute,
          label: 'Worker tasks missing',
        }),
        threshold: 0,
        evaluationPeriods: periods,
        alarmDescription: `The worker has run fewer tasks than it should for ${missingTasksFor.toHumanString()}: its tasks fail to start or keep stopping.`,
      });
    }
  }
}
