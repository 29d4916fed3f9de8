import type { EntityManager } from 'typeorm';
import type { OrderEvent } from '../api-types';
import { OrderEventEntity } from '../db/entities';

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

/** Appends the event in the caller's transaction, so a change and its history commit together. */
export async function appendOrderEvent(manager: EntityManager, event: NewOrderEvent): Promise<void> {
  await manager.insert(OrderEventEntity, {
    orderId: event.orderId,
    userId: event.userId,
    orderVersion: event.orderVersion,
    type: event.type,
    actorUserId: event.actorUserId,
    occurredAt: event.at,
    fromState: event.from === null ? null : JSON.stringify(event.from),
    toState: JSON.stringify(event.to),
    publishedAt: null,
  });
}

/** The order's history, oldest first. */
export async function listOrderEvents(manager: EntityManager, orderId: number): Promise<OrderEvent[]> {
  const rows = await manager.find(OrderEventEntity, { where: { orderId }, order: { id: 'ASC' } });
  return rows.map((row) => ({
    id: row.id,
    orderId: row.orderId,
    userId: row.userId,
    orderVersion: row.orderVersion,
    type: row.type as OrderEventType,
    actorUserId: row.actorUserId,
    occurredAt: row.occurredAt.toISOString(),
    from: row.fromState === null ? null : JSON.parse(row.fromState),
    to: JSON.parse(row.toState),
  }));
}
