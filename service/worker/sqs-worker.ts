import { once } from 'node:events';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from 'pino';
import { Consumer } from 'sqs-consumer';
import type { MessagingSettings } from '../messaging/messaging-settings';
import type { EventProcessor } from './event-processor';
import { type BatchMessage, processBatch } from './process-batch';

/** ReceiveMessage takes at most 10. */
const BATCH_SIZE = 10;

/**
 * Consumes the FIFO queue with sqs-consumer. Of each batch (processBatch: in order, an order's
 * later messages waiting behind a failed one) it deletes only the messages handled; the others
 * come back after the visibility timeout (a transient failure is retried, poison goes to the
 * dead-letter queue after the redrive count).
 */
export class SqsWorker {
  private readonly consumer: Consumer;
  private stopping = false;
  private batchInHand = false;

  constructor(
    sqs: SQSClient,
    queueUrl: string,
    private readonly processor: EventProcessor,
    settings: MessagingSettings['worker'],
    private readonly logger: Logger,
  ) {
    this.consumer = Consumer.create({
      queueUrl,
      sqs,
      batchSize: BATCH_SIZE,
      waitTimeSeconds: settings.waitTimeSeconds,
      visibilityTimeout: settings.visibilityTimeoutSeconds,
      // Every third of the timeout, the batch in hand stays hidden for another full timeout.
      heartbeatInterval: Math.floor(settings.visibilityTimeoutSeconds / 3) || undefined,
      messageSystemAttributeNames: ['ApproximateReceiveCount', 'MessageGroupId'],
      handleMessageBatch: (messages) => this.handleBatch(messages),
      // Its FIFO caveat is about handling one batch's messages in parallel; handleBatch goes in order.
      suppressFifoWarning: true,
    });
    this.consumer.on('response_processed', () => (this.batchInHand = false));
    this.consumer.on('error', (error) => this.logger.warn({ err: error }, 'queue error; the consumer keeps polling'));
  }

  start(): void {
    this.consumer.start();
  }

  /**
   * Stops polling and waits for the batch in hand, its deletes included. A receive still waiting
   * on the queue is abandoned: what it would bring is not handled and reappears after the
   * visibility timeout.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const finished = this.batchInHand ? once(this.consumer, 'response_processed') : Promise.resolve();
    this.consumer.stop();
    await finished;
    await this.processor.close();
  }

  private async handleBatch(messages: Message[]): Promise<Message[]> {
    // Arrived after stop(): leave it on the queue rather than start work the process will not finish.
    if (this.stopping) return [];
    this.batchInHand = true;
    const handled = await processBatch(messages.map(batchMessageOf), this.processor, this.logger);
    return messages.filter((message) => handled.has(message.MessageId ?? ''));
  }
}

function batchMessageOf(message: Message): BatchMessage {
  return {
    id: message.MessageId ?? '',
    group: message.Attributes?.MessageGroupId ?? '',
    body: message.Body ?? '',
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
  };
}
