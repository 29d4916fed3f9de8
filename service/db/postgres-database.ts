import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DataSource, QueryRunner, ReplicationMode } from 'typeorm';
import type { PostgresSettings } from './database-settings';
import { createPostgresDataSource } from './data-source';
import type { Database, ReadOptions, Unit, WriteOptions } from './database';
import { classifyFailure, DatabaseUnavailableError } from './database-errors';
import { RecentWriters } from './recent-writers';
import { connectWithRetry } from './connect-with-retry';

/** A transaction that failed before COMMIT is retried this many times in all, on fresh connections. */
const WRITE_ATTEMPTS = 3;

/** Connects (retrying while the database is unreachable, as during a failover) and opens the door. */
export async function openPostgresDatabase(settings: PostgresSettings, logger: Logger): Promise<Database> {
  const dataSource = await connectWithRetry(() => createPostgresDataSource(settings, logger), settings, logger);
  guardEveryConnection(dataSource, logger);
  return new PostgresDatabase(dataSource, settings, logger);
}

type Pool = { on(event: 'connect', listener: (client: { on(event: 'error', listener: (error: Error) => void): void }) => void): void };

/**
 * Every pooled connection gets an error listener of its own from birth. The pool covers idle
 * connections and TypeORM the checked-out ones, but a server that shuts down can send its
 * termination notice in the same packet as "ready", before TypeORM has attached its listener,
 * and an 'error' event without a listener takes the process down.
 */
function guardEveryConnection(dataSource: DataSource, logger: Logger): void {
  const driver = dataSource.driver as unknown as { master: Pool; slaves: Pool[] };
  for (const pool of [driver.master, ...driver.slaves]) {
    pool.on('connect', (client) => client.on('error', (error) => logger.debug({ err: error }, 'database connection failed')));
  }
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  private readonly recentWriters: RecentWriters;
  private readonly hasReader: boolean;

  constructor(
    readonly dataSource: DataSource,
    settings: PostgresSettings,
    private readonly logger: Logger,
  ) {
    this.recentWriters = new RecentWriters(settings.readYourWritesMs);
    this.hasReader = settings.reader !== undefined;
  }

  async read<T>(unit: Unit<T>, options: ReadOptions<T> = {}): Promise<T> {
    if (!this.hasReader || this.recentWriters.has(options.forUser)) return this.readPrimary(unit);
    let result: T;
    try {
      result = await this.once('slave', unit);
    } catch (error) {
      if (classifyFailure(error) !== 'transient') throw this.translate(error);
      // The replica is unreachable (or being replaced): the writer can answer instead.
      this.logger.warn({ err: error }, 'read replica failed; reading from the writer');
      return this.readPrimary(unit);
    }
    // A miss may only mean the replica has not replayed the write yet.
    return options.confirmOnWriterIf?.(result) ? this.readPrimary(unit) : result;
  }

  async readPrimary<T>(unit: Unit<T>): Promise<T> {
    try {
      return await this.once('master', unit);
    } catch (error) {
      if (classifyFailure(error) !== 'transient') throw this.translate(error);
      // Reads are always safe to repeat; one more try on a fresh connection rides out a dropped one.
      try {
        return await this.once('master', unit);
      } catch (retryError) {
        throw this.translate(retryError);
      }
    }
  }

  async write<T>(unit: Unit<T>, options: WriteOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const runner = this.runner('master');
      let committing = false;
      try {
        await runner.startTransaction();
        const result = await unit(runner.manager);
        committing = true;
        await runner.commitTransaction();
        await runner.release();
        if (options.byUser !== undefined) this.recentWriters.note(options.byUser);
        return result;
      } catch (error) {
        const failure = classifyFailure(error);
        await this.abandon(runner, failure === 'transient' ? error : undefined);
        // A failure during COMMIT leaves the outcome unknown: retrying could apply it twice.
        if (failure === 'transient' && !committing && attempt < WRITE_ATTEMPTS) {
          this.logger.warn({ err: error, attempt }, 'transaction failed on a transient error; retrying');
          await delay(50 * attempt);
          continue;
        }
        throw this.translate(error);
      }
    }
  }

  async ping(): Promise<void> {
    await this.readPrimary((manager) => manager.query('SELECT 1'));
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private runner(mode: ReplicationMode): QueryRunner {
    if (!this.dataSource.isInitialized) throw new DatabaseUnavailableError();
    return this.dataSource.createQueryRunner(mode);
  }

  /** Runs the unit on one connection of the given pool; a broken connection is discarded, not reused. */
  private async once<T>(mode: ReplicationMode, unit: Unit<T>): Promise<T> {
    const runner = this.runner(mode);
    try {
      const result = await unit(runner.manager);
      await runner.release();
      return result;
    } catch (error) {
      await this.abandon(runner, classifyFailure(error) === 'transient' ? error : undefined);
      throw error;
    }
  }

  /** Rolls back if needed and returns the connection; with `brokenBy` the pool destroys it. */
  private async abandon(runner: QueryRunner, brokenBy: unknown): Promise<void> {
    if (runner.isTransactionActive && !brokenBy) await runner.rollbackTransaction().catch(() => undefined);
    const release = (runner as QueryRunner & { releasePostgresConnection?: (err?: unknown) => Promise<void> })
      .releasePostgresConnection;
    if (brokenBy && release) await release.call(runner, brokenBy).catch(() => undefined);
    else await runner.release().catch(() => undefined);
  }

  private translate(error: unknown): unknown {
    return classifyFailure(error) === 'other' && this.dataSource.isInitialized ? error : new DatabaseUnavailableError(error);
  }
}
