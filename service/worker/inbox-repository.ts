import type { EntityManager } from 'typeorm';
import { changeRows, dialectOf } from '../db/sql';

const RECORD = 'INSERT INTO "inbox" (consumer, event_id, processed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING';

/**
 * Records that `consumer` handles `eventId` in this transaction; false when it already did. On
 * PostgreSQL a second transaction recording the same pair waits for the first on the primary key,
 * then finds it, so two deliveries handled at once still apply the effect once.
 */
export async function recordInInbox(manager: EntityManager, consumer: string, eventId: number, at: Date): Promise<boolean> {
  return (await changeRows(manager, RECORD, [consumer, eventId, dialectOf(manager).timestamp(at)])) === 1;
}
