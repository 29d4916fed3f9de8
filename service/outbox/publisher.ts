import type { OrderEvent } from '../api-types';

/** What a publish left undone: the events not sent, each with why (they are tried again later). */
export interface PublishResult {
  readonly failed: ReadonlyMap<number, string>;
}

/** Where the relay puts committed events: an SQS queue, or this process's consumers. */
export interface Publisher {
  /**
   * Sends the events, which are of distinct orders (the relay claims one per order at a time), so
   * they may go in any order or in parallel. Resolves with the ones that failed; rejects when
   * none could be sent.
   */
  publish(events: readonly OrderEvent[]): Promise<PublishResult>;
  close(): Promise<void>;
}
