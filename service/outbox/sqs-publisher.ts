import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { OrderEvent } from '../api-types';
import { orderEventMessage, SCHEMA_VERSION } from '../messaging/event-contract';
import type { Publisher, PublishResult } from './publisher';

/** SendMessageBatch takes at most 10 entries. */
const SQS_BATCH = 10;

/**
 * Publishes to the SQS FIFO queue: the order id is the message group (one order's events stay in
 * order), the event id the deduplication id (a resend within SQS's five minutes is dropped).
 */
export class SqsPublisher implements Publisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async publish(events: readonly OrderEvent[]): Promise<PublishResult> {
    const batches = Array.from({ length: Math.ceil(events.length / SQS_BATCH) }, (_, i) => events.slice(i * SQS_BATCH, (i + 1) * SQS_BATCH));
    const failed = new Map<number, string>();
    const outcomes = await Promise.allSettled(batches.map((batch) => this.sendBatch(batch, failed)));
    const rejected = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [{ batch: batches[i], reason: outcome.reason }] : []));
    for (const { batch, reason } of rejected) for (const event of batch) failed.set(event.id, reasonOf(reason));
    if (rejected.length === batches.length) throw rejected[0].reason;
    return { failed };
  }

  close(): Promise<void> {
    this.sqs.destroy();
    return Promise.resolve();
  }

  private async sendBatch(batch: readonly OrderEvent[], failed: Map<number, string>): Promise<void> {
    const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch.map(entryOf) }));
    for (const entry of result.Failed ?? []) failed.set(Number(entry.Id), `${entry.Code}: ${entry.Message ?? ''}`.trim());
  }
}

function entryOf(event: OrderEvent): SendMessageBatchRequestEntry {
  return {
    Id: String(event.id),
    MessageBody: JSON.stringify(orderEventMessage(event)),
    MessageGroupId: String(event.orderId),
    MessageDeduplicationId: `order-event-${event.id}`,
    MessageAttributes: {
      type: { DataType: 'String', StringValue: event.type },
      schemaVersion: { DataType: 'Number', StringValue: String(SCHEMA_VERSION) },
    },
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
