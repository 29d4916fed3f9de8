import type { EntityManager } from 'typeorm';
import { changeRows, dialectOf, selectRows } from '../db/sql';

export async function userExists(manager: EntityManager, id: number): Promise<boolean> {
  return (await selectRows(manager, 'SELECT 1 AS found FROM "users" WHERE id = ?', [id])).length > 0;
}

/** A user an identity provider knows: their id, and the address stored for them (null: none). */
export interface ExternalUser {
  readonly id: number;
  readonly email: string | null;
}

/** The user an identity provider knows as `externalId`, or null before their first request. */
export async function findUserByExternalId(manager: EntityManager, externalId: string): Promise<ExternalUser | null> {
  const [row] = await selectRows<ExternalUser>(manager, 'SELECT id, email FROM "users" WHERE external_id = ?', [externalId]);
  return row ? { id: row.id, email: row.email } : null;
}

const INSERT_USER_IF_ABSENT =
  'INSERT INTO "users" (external_id, name, email, created_at) VALUES (?, \'\', ?, ?) ON CONFLICT (external_id) DO NOTHING';

/**
 * Creates the user of `externalId` unless a row exists, then returns it. ON CONFLICT DO NOTHING
 * (both engines speak it) makes concurrent first requests safe: one inserts, the others wait for
 * it on the unique index and then read its row. Call inside a write transaction. The name stays
 * empty: of the token's personal data the service keeps only the address it mails.
 */
export async function insertUserIfAbsent(manager: EntityManager, externalId: string, at: Date, email: string | null = null): Promise<ExternalUser> {
  await changeRows(manager, INSERT_USER_IF_ABSENT, [externalId, email, dialectOf(manager).timestamp(at)]);
  const user = await findUserByExternalId(manager, externalId);
  if (user === null) throw new Error('the user row vanished right after INSERT ... ON CONFLICT DO NOTHING');
  return user;
}

/** Stores the address notifications go to. Call inside a write transaction. */
export async function updateUserEmail(manager: EntityManager, id: number, email: string): Promise<void> {
  await changeRows(manager, 'UPDATE "users" SET email = ? WHERE id = ?', [email, id]);
}
