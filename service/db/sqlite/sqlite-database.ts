import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Database, Unit } from '../database';
import { classifyFailure, DatabaseUnavailableError } from '../database-errors';
import { applyMigrations } from '../migrations';
import { SerialLock } from './serial-lock';
import { createSqliteDataSource } from './sqlite-data-source';
import type { SqliteSettings } from './sqlite-settings';

/** Opens (creating the file and its folder when needed) the SQLite database. */
export async function openSqliteDatabase(settings: SqliteSettings): Promise<Database> {
  if (settings.path !== ':memory:') fs.mkdirSync(path.dirname(settings.path), { recursive: true });
  const dataSource = createSqliteDataSource(settings);
  await dataSource.initialize();
  const lock = new SerialLock();
  const committed = new EventEmitter();
  // Listeners are the outbox relays of this process: a handful, never a leak.
  committed.setMaxListeners(0);

  /** A closed database, or one locked by another process past the busy timeout, is unavailable. */
  const guarded = <T>(work: () => Promise<T>) =>
    lock.run(async () => {
      if (!dataSource.isInitialized) throw new DatabaseUnavailableError();
      try {
        return await work();
      } catch (error) {
        throw classifyFailure(error) === 'other' ? error : new DatabaseUnavailableError(error);
      }
    });
  const read = <T>(unit: Unit<T>) => guarded(() => unit(dataSource.manager));

  return {
    kind: 'sqlite',
    dataSource,
    read,
    // One file, one connection: there is no replica to avoid.
    readPrimary: read,
    write: <T>(unit: Unit<T>) =>
      guarded(async () => {
        const runner = dataSource.createQueryRunner();
        // IMMEDIATE takes the write lock up front, so a second process waits (busy timeout)
        // instead of failing when a deferred transaction tries to upgrade its lock.
        await runner.query('BEGIN IMMEDIATE');
        try {
          const result = await unit(runner.manager);
          await runner.query('COMMIT');
          committed.emit('commit');
          return result;
        } catch (error) {
          // Some errors (SQLITE_FULL, say) already rolled back; the original error is what matters.
          await runner.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    watch: async (_table, listener) => {
      committed.on('commit', listener);
      return async () => void committed.off('commit', listener);
    },
    migrate: () => guarded(() => applyMigrations(dataSource)),
    ping: () => guarded(async () => void (await dataSource.query('SELECT 1'))),
    close: () =>
      lock.run(async () => {
        if (dataSource.isInitialized) await dataSource.destroy();
      }),
  };
}
