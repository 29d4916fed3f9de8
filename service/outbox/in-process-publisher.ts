import type { Logger } from 'pino';
import type { OrderEvent } from '../api-types';
import { orderEventMessage } from '../messaging/event-contract';
import type { EventProcessor } from '../worker/event-processor';
import type { Publisher, PublishResult } from './publisher';

/**
 * No queue (the embedded default): each event goes, as the JSON message SQS would carry, straight
 * to this process's EventProcessor, through the same contract check and the same inboxes as in
 * production. A failure leaves the event in the outbox for the next try. Poison cannot come from
 * our own outbox unless the code and the contract disagree: it is logged as an error and counts
 * as sent, as the worker leaves such a message to the dead-letter queue.
 */
export class InProcessPublisher implements Publisher {
  constructor(
    private readonly processor: EventProcessor,
    private readonly logger: Logger,
  ) {}

  async publish(events: readonly OrderEvent[]): Promise<PublishResult> {
    const failed = new Map<number, string>();
    for (const event of events) {
      try {
        const outcome = await this.processor.process(JSON.stringify(orderEventMessage(event)));
        if (!outcome.handled) this.logger.error({ eventId: event.id, reason: outcome.poison }, 'event could not be handled; dropped');
      } catch (error) {
        failed.set(event.id, error instanceof Error ? error.message : String(error));
      }
    }
    if (events.length > 0 && failed.size === events.length) throw new Error(`no event could be handled: ${[...failed.values()][0]}`);
    return { failed };
  }

  close(): Promise<void> {
    return this.processor.close();
  }
}
