import type { Logger } from 'pino';
import type { EventProcessor } from './event-processor';

/** One received message, whoever received it (sqs-consumer's Message, a Lambda SQS record). */
export interface BatchMessage {
  /** The SQS message id: how the receiver names it back. */
  readonly id: string;
  /** Its MessageGroupId: the order. */
  readonly group: string;
  readonly body: string;
  readonly receiveCount: number;
}

export interface BatchOptions {
  /**
   * Asked before each message: false leaves it and the rest unhandled (out of time).
   * @default - always true
   */
  readonly mayStart?: () => boolean;
}

/**
 * Runs a FIFO batch through the processor in order and returns the ids of the messages handled;
 * the others go back to the queue. Once a message of an order fails, the later ones of that order
 * in the batch are left too, so an order's events are never applied out of order. Poison is left
 * as well rather than deleted: after the redrive count SQS moves it to the dead-letter queue, where
 * it can be looked at and redriven; later messages of its order wait behind it until then.
 */
export async function processBatch(
  messages: readonly BatchMessage[],
  processor: EventProcessor,
  logger: Logger,
  { mayStart = () => true }: BatchOptions = {},
): Promise<Set<string>> {
  const handled = new Set<string>();
  const waitingOrders = new Set<string>();
  for (const message of messages) {
    if (!mayStart()) break;
    if (waitingOrders.has(message.group)) continue;
    const seen = { messageId: message.id, receiveCount: message.receiveCount };
    try {
      const outcome = await processor.process(message.body);
      if (outcome.handled) {
        handled.add(message.id);
        continue;
      }
      logger.warn({ ...seen, reason: outcome.poison }, 'poison message: left for the dead-letter queue');
    } catch (error) {
      logger.warn({ ...seen, err: error }, 'message not handled; it is retried after the visibility timeout');
    }
    waitingOrders.add(message.group);
  }
  return handled;
}
