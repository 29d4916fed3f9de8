import type { Logger } from 'pino';
import type { DatabaseSettings } from './database-settings';
import { openDatabase } from './open-database';

/**
 * Connects (with the start-up retry budget), applies the pending migrations under the migration
 * lock, and closes again; returns the names it applied. What `npm run migrate` and the serverless
 * tier's migration function run.
 */
export async function runMigrations(settings: DatabaseSettings, logger: Logger): Promise<string[]> {
  const db = await openDatabase(settings, logger);
  try {
    const applied = await db.migrate();
    logger.info({ database: db.kind, applied }, applied.length ? 'migrations applied' : 'schema up to date');
    return applied;
  } finally {
    await db.close();
  }
}
