import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { createPublisher } from '../outbox/create-publisher';
import { type DrainResult, OutboxRelay } from '../outbox/outbox-relay';
import { reportEventsLeft } from './events-left-metric';

/** How long a request may spend relaying before its answer goes out anyway (a queue that does not answer). */
export const REQUEST_RELAY_BUDGET_MS = 2000;

/** Only these can have committed an event; a read never waits for the relay. */
const CHANGING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface RequestRelay {
  /** Publishes what is claimable after a request, within the budget; never throws. */
  afterRequest(method: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API function's relay. Lambda freezes a container once its answer is returned, so a
 * long-lived relay cannot run there: after each changing request the handler drains the outbox
 * (the events that request committed, and any an earlier one left) before answering. A queue that
 * is down or slow never fails the request: the events stay in the outbox, the function writes the
 * EventsLeft metric, and the scheduled sweep (relay-handler.ts) sends them. Undefined when this
 * process relays nothing (RELAY_ENABLED=false, or no queue and no embedded worker).
 */
export function createRequestRelay(config: Config, db: Database, logger: Logger, budgetMs: number, functionName: string): RequestRelay | undefined {
  const publisher = config.messaging.relay.enabled ? createPublisher(config, db, logger) : undefined;
  if (!publisher) return undefined;
  const relay = new OutboxRelay(db, publisher, config.messaging.relay, logger);
  return {
    async afterRequest(method) {
      if (!CHANGING_METHODS.has(method.toUpperCase())) return;
      const drained = relay.drain(Date.now() + budgetMs).catch((error: unknown): DrainResult => {
        logger.warn({ err: error }, 'relaying after the request failed; the events stay in the outbox');
        return { sent: 0, left: true };
      });
      const result = await withinBudget(drained, budgetMs);
      if (!result) reportEventsLeft(logger, functionName, `the relay took longer than ${budgetMs} ms`);
      else if (result.left) reportEventsLeft(logger, functionName, 'the queue refused or missed some events');
    },
    close: () => relay.stop(),
  };
}

/** The drain's result, or undefined once `budgetMs` passed (it goes on if the container is not frozen; its lease protects the events). */
async function withinBudget(drained: Promise<DrainResult>, budgetMs: number): Promise<DrainResult | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), budgetMs)));
  try {
    return await Promise.race([drained, expired]);
  } finally {
    clearTimeout(timer);
  }
}
