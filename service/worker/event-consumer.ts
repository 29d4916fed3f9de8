import type { EntityManager } from 'typeorm';
import type { OrderEvent } from '../api-types';

/**
 * Something that acts on order events after they are committed (an email, a call to another
 * system). The worker runs each consumer's `handle` inside the transaction that records the event
 * in the consumer's inbox, keyed by (name, event id): a redelivered event finds its row and is
 * not handled again, and an effect that fails rolls the row back, so the event is tried again.
 */
export interface EventConsumer {
  /** The inbox key; never change it, or every event would be handled again. */
  readonly name: string;
  /**
   * Applies the event. Throwing leaves the event to be retried (SQS redelivers it); an event that
   * means nothing to this consumer is simply returned from.
   */
  handle(manager: EntityManager, event: OrderEvent): Promise<void>;
  /** Releases what it holds (a mail server's connections) when the process stops. */
  close?(): void | Promise<void>;
}
