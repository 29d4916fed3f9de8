import type { Database } from './database';
import { quoteIdentifier } from './data-source';

/** Any constant shared by every instance: the key of the advisory lock that serializes migration runs. */
const MIGRATION_LOCK_KEY = 7_265_441_002;

/**
 * Applies pending migrations, all in one transaction; returns the names it applied. On PostgreSQL
 * the run holds an advisory lock, so when several tasks start together exactly one migrates and
 * the others wait, then find nothing to do.
 */
export async function migrate(db: Database): Promise<string[]> {
  if (db.kind !== 'postgres') return runMigrations(db);

  const lockHolder = db.dataSource.createQueryRunner('master');
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const schema = (db.dataSource.driver.options as { schema?: string }).schema;
    if (schema) await lockHolder.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    return await runMigrations(db);
  } finally {
    // Closing the session would release the lock too; unlock explicitly to hand over at once.
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockHolder.release();
  }
}

async function runMigrations(db: Database): Promise<string[]> {
  const applied = await db.dataSource.runMigrations({ transaction: 'all' });
  return applied.map((migration) => migration.name);
}
