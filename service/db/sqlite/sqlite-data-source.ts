import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { entities } from '../entities';
import { migrations } from '../migrations';
import type { SqliteSettings } from './sqlite-settings';

/** SQLite tuned for a local server: WAL lets readers run beside the writer, NORMAL is durable in WAL. */
export function createSqliteDataSource(settings: SqliteSettings): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: settings.path,
    entities,
    migrations,
    synchronize: false,
    logging: false,
    // better-sqlite3 waits this long for a lock held by another process (a migration run, say).
    timeout: 5000,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    },
  });
}
