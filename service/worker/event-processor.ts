import type { Logger } from 'pino';
import type { OrderEvent } from '../api-types';
import type { Database } from '../db/database';
import { type MessageValidator, orderEventMessageValidator, SCHEMA_VERSION } from '../messaging/event-contract';
import { orderExists } from '../orders/order-repository';
import type { EventConsumer } from './event-consumer';
import { recordInInbox } from './inbox-repository';

/** What became of a message: handled, or poison (it can never be, and is left to the dead-letter queue). */
export type Outcome = { readonly handled: true; readonly event: OrderEvent } | { readonly handled: false; readonly poison: string };

/**
 * Handles one order event message for every consumer, whoever delivered it (the SQS worker, or
 * the relay in-process): checks it against asyncapi.yaml, then runs each consumer in its own
 * transaction behind its inbox row, so a redelivery changes nothing (a transaction of its own
 * also keeps a mail that was sent from being rolled back by another consumer's failure). A message that can never be
 * handled is poison: not JSON, another schema version, not the contract's shape, an unknown event
 * type, or an order that does not exist. Anything else that fails (the database, a mail server)
 * throws, and the message is tried again.
 */
export class EventProcessor {
  private readonly validate: MessageValidator = orderEventMessageValidator();

  constructor(
    private readonly db: Database,
    private readonly consumers: readonly EventConsumer[],
    private readonly logger: Logger,
  ) {}

  async process(body: string): Promise<Outcome> {
    const checked = this.check(body);
    if (!checked.handled) return checked;
    const { event } = checked;
    if (!(await this.db.readPrimary((manager) => orderExists(manager, event.orderId)))) {
      return { handled: false, poison: `order ${event.orderId} does not exist` };
    }
    for (const consumer of this.consumers) {
      const applied = await this.db.write(async (manager) => {
        if (!(await recordInInbox(manager, consumer.name, event.id, new Date()))) return false;
        await consumer.handle(manager, event);
        return true;
      });
      if (!applied) this.logger.info({ consumer: consumer.name, eventId: event.id }, 'event already handled by this consumer; skipped');
    }
    return checked;
  }

  /** Lets each consumer release what it holds; the processor is not used afterwards. */
  async close(): Promise<void> {
    for (const consumer of this.consumers) await consumer.close?.();
  }

  private check(body: string): Outcome {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { handled: false, poison: 'the body is not JSON' };
    }
    const version = (parsed as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (version !== SCHEMA_VERSION) {
      return { handled: false, poison: `schema version ${JSON.stringify(version)} is not one this worker reads (${SCHEMA_VERSION})` };
    }
    const violations = this.validate(parsed);
    if (violations.length) return { handled: false, poison: `the body does not match asyncapi.yaml: ${violations.join('; ')}` };
    return { handled: true, event: (parsed as { event: OrderEvent }).event };
  }
}
