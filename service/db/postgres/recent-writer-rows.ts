import type { EntityManager, QueryRunner } from 'typeorm';

/**
 * In the write's own transaction, so the mark commits with the change: until `windowMs` from now,
 * every task reads this user's data from the writer. Concurrent writes of one user queue on the row.
 */
export async function noteRecentWriter(runner: QueryRunner, userId: number, windowMs: number): Promise<void> {
  await runner.query(
    `INSERT INTO "recent_writers" (user_id, read_writer_until) VALUES ($1, now() + $2 * interval '1 millisecond')
     ON CONFLICT (user_id) DO UPDATE SET read_writer_until = EXCLUDED.read_writer_until`,
    [userId, windowMs],
  );
}

/** Whether the user's mark is still running: asked of the writer, one primary-key lookup. */
export async function wroteWithin(manager: EntityManager, userId: number): Promise<boolean> {
  const rows: unknown[] = await manager.query('SELECT 1 FROM "recent_writers" WHERE user_id = $1 AND read_writer_until > now()', [userId]);
  return rows.length > 0;
}
