import type { EnvReader } from '../env-reader';
import { POSTGRES_ONLY, type PostgresSettings, readPostgresSettings } from './postgres/postgres-settings';
import { type SqliteSettings, sqliteSettings } from './sqlite/sqlite-settings';

export type { PostgresSettings } from './postgres/postgres-settings';
export type { SqliteSettings } from './sqlite/sqlite-settings';
export type DatabaseSettings = SqliteSettings | PostgresSettings;

/**
 * PostgreSQL when DATABASE_URL or DB_HOST is set; SQLite otherwise, and then no PostgreSQL
 * setting may be set.
 */
export function readDatabaseSettings(read: EnvReader): DatabaseSettings {
  if (read.string('DATABASE_URL') || read.string('DB_HOST')) return readPostgresSettings(read);
  rejectStrayPostgresSettings(read);
  return sqliteSettings(read.string('SQLITE_PATH'));
}

/** DB_USER without DB_HOST is a half-made PostgreSQL configuration, not a wish for SQLite. */
function rejectStrayPostgresSettings(read: EnvReader): void {
  const stray = POSTGRES_ONLY.filter((name) => read.string(name) !== undefined);
  if (stray.length === 0) return;
  read.problem(
    `${stray.join(', ')} ${stray.length === 1 ? 'is a PostgreSQL setting' : 'are PostgreSQL settings'}, but neither ` +
      'DATABASE_URL nor DB_HOST is set, so the service would use SQLite: set DATABASE_URL or DB_HOST, or remove them',
  );
}
