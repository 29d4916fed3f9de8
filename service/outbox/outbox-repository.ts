import type { EntityManager } from 'typeorm';
import type { OrderEvent } from '../api-types';
import { changeRows, changeRowsReturning, dialectOf, placeholders, selectRows } from '../db/sql';
import { type EventRow, eventOf, EVENT_COLUMNS } from '../orders/order-event-rows';

/**
 * The next unpublished events a relay may send, oldest first: not leased by another relay (or
 * leased by one that ran out of time, a crashed one), and each the oldest unpublished event of its
 * order, so that two relays never send two events of one order at once, nor out of order. On
 * PostgreSQL the candidates another relay is claiming this very moment are skipped, not waited for.
 */
function claimSql(lockClause: string): string {
  return (
    `UPDATE "order_events" SET relay_lease_until = ?, publish_attempts = publish_attempts + 1 WHERE id IN (` +
    `SELECT e.id FROM "order_events" e WHERE e.published_at IS NULL AND (e.relay_lease_until IS NULL OR e.relay_lease_until < ?) ` +
    `AND NOT EXISTS (SELECT 1 FROM "order_events" p WHERE p.order_id = e.order_id AND p.published_at IS NULL AND p.id < e.id) ` +
    `ORDER BY e.id LIMIT ?${lockClause}) RETURNING ${EVENT_COLUMNS}, publish_attempts`
  );
}

export interface ClaimedEvent {
  readonly event: OrderEvent;
  /** How many times it has been claimed, this time included. */
  readonly attempts: number;
}

/** Leases up to `limit` events until `leaseUntil`; call inside a write transaction. */
export async function claimEvents(manager: EntityManager, limit: number, now: Date, leaseUntil: Date): Promise<ClaimedEvent[]> {
  const dialect = dialectOf(manager);
  const rows = await changeRowsReturning<EventRow & { publish_attempts: number }>(manager, claimSql(dialect.lockRowsOf('e', { skipLocked: true })), [
    dialect.timestamp(leaseUntil),
    dialect.timestamp(now),
    limit,
  ]);
  return rows.map((row) => ({ event: eventOf(row, dialect), attempts: row.publish_attempts })).sort((a, b) => a.event.id - b.event.id);
}

/** Marks sent events published: the outbox is done with them. */
export async function markPublished(manager: EntityManager, ids: readonly number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await changeRows(manager, `UPDATE "order_events" SET published_at = ?, relay_lease_until = NULL WHERE id IN (${placeholders(ids.length)})`, [
    dialectOf(manager).timestamp(at),
    ...ids,
  ]);
}

/** Leaves events that could not be sent alone until `retryAt`, then any relay may try again. */
export async function deferEvents(manager: EntityManager, ids: readonly number[], retryAt: Date): Promise<void> {
  if (ids.length === 0) return;
  await changeRows(manager, `UPDATE "order_events" SET relay_lease_until = ? WHERE id IN (${placeholders(ids.length)})`, [
    dialectOf(manager).timestamp(retryAt),
    ...ids,
  ]);
}

/** How many events wait to be published (for logs and the benchmark). */
export async function countUnpublished(manager: EntityManager): Promise<number> {
  const [row] = await selectRows<{ n: number | string }>(manager, 'SELECT COUNT(*) AS n FROM "order_events" WHERE published_at IS NULL', []);
  return Number(row.n);
}

/** Whether any event may be claimable now: a read, so that looking costs no write transaction. */
export async function anyClaimable(manager: EntityManager, now: Date): Promise<boolean> {
  const rows = await selectRows(
    manager,
    'SELECT 1 AS found FROM "order_events" WHERE published_at IS NULL AND (relay_lease_until IS NULL OR relay_lease_until < ?) LIMIT 1',
    [dialectOf(manager).timestamp(now)],
  );
  return rows.length > 0;
}
