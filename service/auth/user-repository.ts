import type { EntityManager } from 'typeorm';
import { changeRows, dialectOf, selectRows } from '../db/sql';

export async function userExists(manager: EntityManager, id: number): Promise<boolean> {
  return (await selectRows(manager, 'SELECT 1 AS found FROM "users" WHERE id = ?', [id])).length > 0;
}

/** The id of the user an identity provider knows as `externalId`, or null before their first request. */
export async function findUserIdByExternalId(manager: EntityManager, externalId: string): Promise<number | null> {
  const [row] = await selectRows<{ id: number }>(manager, 'SELECT id FROM "users" WHERE external_id = ?', [externalId]);
  return row ? row.id : null;
}

const INSERT_USER_IF_ABSENT = 'INSERT INTO "users" (external_id, name, created_at) VALUES (?, \'\', ?) ON CONFLICT (external_id) DO NOTHING';

/**
 * Creates the user of `externalId` unless a row exists, then returns its id. ON CONFLICT DO
 * NOTHING (both engines speak it) makes concurrent first requests safe: one inserts, the others
 * wait for it on the unique index and then read its row. Call inside a write transaction.
 * The name stays empty: the service keeps no personal data from the token.
 */
export async function insertUserIfAbsent(manager: EntityManager, externalId: string, at: Date): Promise<number> {
  await changeRows(manager, INSERT_USER_IF_ABSENT, [externalId, dialectOf(manager).timestamp(at)]);
  const id = await findUserIdByExternalId(manager, externalId);
  if (id === null) throw new Error('the user row vanished right after INSERT ... ON CONFLICT DO NOTHING');
  return id;
}
