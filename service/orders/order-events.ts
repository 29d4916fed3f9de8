import type { EntityManager } from 'typeorm';
import type { OrderEvent } from '../api-types';
import { changeRows, dialectOf, selectRows } from '../db/sql';
import { type EventRow, eventOf, EVENT_COLUMNS } from './order-event-rows';

export type OrderEventType = OrderEvent['type'];

export interface NewOrderEvent {
  readonly orderId: number;
  /** The order's owner. */
  readonly userId: number;
  /** The order's version after the change. */
  readonly orderVersion: number;
  readonly type: OrderEventType;
  readonly actorUserId: number;
  readonly at: Date;
  /** The part of the order the change replaced (null when it added something new)... */
  readonly from: Record<string, unknown> | null;
  /** ...and that part after it. Together they make each event readable on its own (an outbox). */
  readonly to: Record<string, unknown>;
}

const INSERT_EVENT =
  'INSERT INTO "order_events" (order_id, user_id, order_version, type, actor_user_id, occurred_at, from_state, to_state, published_at) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)';

/** Appends the event in the caller's transaction, so a change and its history commit together. */
export async function appendOrderEvent(manager: EntityManager, event: NewOrderEvent): Promise<void> {
  await changeRows(manager, INSERT_EVENT, [
    event.orderId,
    event.userId,
    event.orderVersion,
    event.type,
    event.actorUserId,
    dialectOf(manager).timestamp(event.at),
    event.from === null ? null : JSON.stringify(event.from),
    JSON.stringify(event.to),
  ]);
}

const LIST_EVENTS = `SELECT ${EVENT_COLUMNS} FROM "order_events" WHERE order_id = ? ORDER BY id`;

/** The order's history, oldest first. */
export async function listOrderEvents(manager: EntityManager, orderId: number): Promise<OrderEvent[]> {
  const dialect = dialectOf(manager);
  return (await selectRows<EventRow>(manager, LIST_EVENTS, [orderId])).map((row) => eventOf(row, dialect));
}
