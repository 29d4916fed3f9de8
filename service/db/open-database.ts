import type { DatabaseSettings } from '../config';
import type { Database } from './database';
import { openSqliteDatabase } from './sqlite-database';

/** Connects to the configured database. */
export function openDatabase(settings: DatabaseSettings): Promise<Database> {
  return openSqliteDatabase(settings);
}
