import type { OrderEvent } from '../../service/api-types';
import type { Database } from '../../service/db/database';
import { listOrderEvents } from '../../service/orders/order-events';
import type { EventConsumer } from '../../service/worker/event-consumer';
import { recordInInbox } from '../../service/worker/inbox-repository';

/**
 * Handles `event` as the worker's EventProcessor does: one transaction that records it in the
 * consumer's inbox and, when that is new, runs the consumer. Resolves with whether it ran.
 */
export function handleAsWorker(db: Database, consumer: EventConsumer, event: OrderEvent): Promise<boolean> {
  return db.write(async (manager) => {
    if (!(await recordInInbox(manager, consumer.name, event.id, new Date()))) return false;
    await consumer.handle(manager, event);
    return true;
  });
}

/** The order's events, oldest first, as the outbox holds them. */
export function eventsOf(db: Database, orderId: number): Promise<OrderEvent[]> {
  return db.read((manager) => listOrderEvents(manager, orderId));
}
