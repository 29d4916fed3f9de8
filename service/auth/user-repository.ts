import type { EntityManager } from 'typeorm';
import { UserEntity } from '../db/entities';
import { selectRows } from '../db/sql-dialect';

export async function userExists(manager: EntityManager, id: number): Promise<boolean> {
  return (await selectRows(manager, 'SELECT 1 AS found FROM "users" WHERE id = ?', [id])).length > 0;
}

/** The id of the user an identity provider knows as `externalId`, or null before their first request. */
export async function findUserIdByExternalId(manager: EntityManager, externalId: string): Promise<number | null> {
  const user = await manager.findOne(UserEntity, { select: { id: true }, where: { externalId } });
  return user ? user.id : null;
}

/**
 * Creates the user of `externalId` unless a row exists, then returns its id. INSERT ... ON CONFLICT
 * DO NOTHING (INSERT OR IGNORE on SQLite) makes concurrent first requests safe: one inserts, the
 * others wait for it on the unique index and then read its row. Call inside a write transaction.
 * The name stays empty: the service keeps no personal data from the token.
 */
export async function insertUserIfAbsent(manager: EntityManager, externalId: string, at: Date): Promise<number> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(UserEntity)
    .values({ externalId, name: '', createdAt: at })
    .orIgnore()
    .execute();
  const id = await findUserIdByExternalId(manager, externalId);
  if (id === null) throw new Error('the user row vanished right after INSERT ... ON CONFLICT DO NOTHING');
  return id;
}
