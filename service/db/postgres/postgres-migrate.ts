import type { DataSource } from 'typeorm';
import { applyMigrations } from '../migrations';
import { quoteIdentifier } from './postgres-data-source';

/** Any constant shared by every instance: the key of the advisory lock that serializes migration runs. */
const MIGRATION_LOCK_KEY = 7_265_441_002;

/**
 * Applies pending migrations under an advisory lock, so that when several tasks start together
 * exactly one migrates and the others wait, then find nothing to do.
 */
export async function migratePostgres(writer: DataSource, schema: string): Promise<string[]> {
  const lockHolder = writer.createQueryRunner('master');
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await lockHolder.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    return await applyMigrations(writer);
  } finally {
    // Closing the session would release the lock too; unlock explicitly to hand over at once.
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lockHolder.release();
  }
}
