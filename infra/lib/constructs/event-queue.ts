import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface EventQueueProps {
  /** The queue's name without `.fifo`; the dead-letter queue's adds `-dlq`. */
  readonly queueName: string;
  /**
   * How long a received message stays hidden from other consumers: a batch in hand must finish in it.
   * @default Duration.seconds(60)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Receives after which a message goes to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * How long an unconsumed event stays on the queue.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * How long a dead letter is kept for someone to look at and redrive.
   * @default Duration.days(14)
   */
  readonly deadLetterRetention?: Duration;
}

/**
 * The order events FIFO queue (asyncapi.yaml): one message group per order, deduplicated by the
 * MessageDeduplicationId the relay sets (the event id), high-throughput FIFO, long polling, and a
 * FIFO dead-letter queue after a few receives. Both queues are encrypted and refuse plain HTTP.
 */
export class EventQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  /** The queue's visibility timeout: the longest a received batch is worth working on. */
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: EventQueueProps) {
    super(scope, id);
    this.visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(60);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    const retentionPeriod = props.retentionPeriod ?? Duration.days(4);
    const deadLetterRetention = props.deadLetterRetention ?? Duration.days(14);
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(`EventQueue needs a maxReceiveCount from 1 to 1000, not ${maxReceiveCount}.`);
    }
    // A FIFO message keeps its first enqueue time in the dead-letter queue, so that queue must keep
    // messages longer than the source or a late dead letter would expire almost at once.
    if (deadLetterRetention.toSeconds() <= retentionPeriod.toSeconds()) {
      throw new Error(
        `EventQueue must keep dead letters longer than events, and ${deadLetterRetention.toHumanString()} is not longer than ${retentionPeriod.toHumanString()}.`,
      );
    }

    // SSE-SQS rather than a customer managed key: the messages are encrypted at rest all the same,
    // with no key to grant to the relay and the worker, no KMS request per batch and no key to pay
    // for; a key of our own would only add control over who may decrypt, which the queue policy and
    // the task roles already give.
    const common = { fifo: true, encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      ...common,
      queueName: `${props.queueName}-dlq.fifo`,
      retentionPeriod: deadLetterRetention,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...common,
      queueName: `${props.queueName}.fifo`,
      // The relay sets MessageDeduplicationId to the event id: two events with the same body are
      // still two events.
      contentBasedDeduplication: false,
      // High-throughput FIFO: the limits apply per order rather than to the whole queue.
      deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      visibilityTimeout: this.visibilityTimeout,
      receiveMessageWaitTime: Duration.seconds(20),
      retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }

  /**
   * Lets the relay publish: sqs:SendMessage only, which also authorizes SendMessageBatch. With
   * SSE-SQS there is no key to grant.
   */
  grantPublish(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grant(grantee, 'sqs:SendMessage');
  }

  /** Lets the worker receive, delete and hide messages again (batches too, and the heartbeat that extends a batch's visibility). */
  grantConsume(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grant(grantee, 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility');
  }
}
