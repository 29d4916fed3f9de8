import type { OrderEvent } from '../api-types';
import type { SqlDialect } from '../db/sql-dialect';

/** The columns that make an OrderEvent, for every query that reads events. */
export const EVENT_COLUMNS = 'id, order_id, user_id, order_version, type, actor_user_id, occurred_at, from_state, to_state';

export interface EventRow {
  id: number;
  order_id: number;
  user_id: number;
  order_version: number;
  type: OrderEvent['type'];
  actor_user_id: number;
  occurred_at: unknown;
  from_state: string | null;
  to_state: string;
}

/** An order_events row as the contract's OrderEvent. */
export function eventOf(row: EventRow, dialect: SqlDialect): OrderEvent {
  return {
    id: row.id,
    orderId: row.order_id,
    userId: row.user_id,
    orderVersion: row.order_version,
    type: row.type,
    actorUserId: row.actor_user_id,
    occurredAt: dialect.readInstant(row.occurred_at),
    from: row.from_state === null ? null : JSON.parse(row.from_state),
    to: JSON.parse(row.to_state),
  };
}
