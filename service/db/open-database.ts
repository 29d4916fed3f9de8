import type { Logger } from 'pino';
import type { DatabaseSettings } from './database-settings';
import type { Database } from './database';
import { openPostgresDatabase } from './postgres/postgres-database';
import { openSqliteDatabase } from './sqlite/sqlite-database';

/** Connects to the configured database. */
export function openDatabase(settings: DatabaseSettings, logger: Logger): Promise<Database> {
  return settings.kind === 'postgres' ? openPostgresDatabase(settings, logger) : openSqliteDatabase(settings);
}
