import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DataSource, QueryRunner } from 'typeorm';
import type { Database, ReadOptions, Unit, WriteOptions } from '../database';
import { classifyFailure, CommitOutcomeUnknownError, DatabaseUnavailableError } from '../database-errors';
import { ChangeListener } from './change-listener';
import { connectWithRetry } from './connect-with-retry';
import { createPostgresDataSource } from './postgres-data-source';
import { describeEndpoint } from './postgres-endpoint';
import { migratePostgres } from './postgres-migrate';
import type { PostgresSettings } from './postgres-settings';
import { ReaderConnection } from './reader-connection';
import { noteRecentWriter, wroteWithin } from './recent-writer-rows';
import { RecentWriters } from './recent-writers';

/** A transaction that failed before COMMIT is retried this many times in all, on fresh connections. */
const WRITE_ATTEMPTS = 3;

/**
 * Connects the writer (retrying while it is unreachable, as during a failover) and, beside it,
 * the reader, which the start waits for only one attempt (see reader-connection.ts).
 */
export async function openPostgresDatabase(settings: PostgresSettings, logger: Logger): Promise<Database> {
  const guard = (dataSource: DataSource) => guardEveryConnection(dataSource, logger);
  const reader = settings.reader
    ? new ReaderConnection(
        () => createPostgresDataSource(settings, 'reader', logger),
        { role: 'reader', target: describeEndpoint(settings.reader) },
        logger,
        guard,
      )
    : undefined;
  let writer: DataSource;
  try {
    writer = await connectWithRetry(
      () => createPostgresDataSource(settings, 'writer', logger),
      { role: 'writer', target: describeEndpoint(settings.writer) },
      settings.startupRetryMs,
      logger,
    );
  } catch (error) {
    await reader?.close();
    throw error;
  }
  guard(writer);
  await reader?.attempted();
  return new PostgresDatabase(writer, reader, settings, logger);
}

type Pool = { on(event: 'connect', listener: (client: { on(event: 'error', listener: (error: Error) => void): void }) => void): void };

/**
 * Every pooled connection gets an error listener of its own from birth. The pool covers idle
 * connections and TypeORM the checked-out ones, but a server that shuts down can send its
 * termination notice in the same packet as "ready", before TypeORM has attached its listener,
 * and an 'error' event without a listener takes the process down.
 */
function guardEveryConnection(dataSource: DataSource, logger: Logger): void {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  pool.on('connect', (client) => client.on('error', (error) => logger.debug({ err: error }, 'database connection failed')));
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  private readonly recentWriters: RecentWriters;
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    /** The writer's. */
    readonly dataSource: DataSource,
    private readonly reader: ReaderConnection | undefined,
    private readonly settings: PostgresSettings,
    private readonly logger: Logger,
  ) {
    this.recentWriters = new RecentWriters(settings.readYourWritesMs);
  }

  async read<T>(unit: Unit<T>, options: ReadOptions<T> = {}): Promise<T> {
    const reader = this.reader?.current;
    if (!reader || (await this.wroteLately(options.forUser))) return this.readPrimary(unit);
    let result: T;
    try {
      result = await this.once(reader, unit);
    } catch (error) {
      if (classifyFailure(error) !== 'transient') throw this.translate(error);
      // The replica is unreachable (or being replaced): the writer can answer instead.
      this.logger.warn({ err: error, ...this.reader?.target }, 'read replica failed; reading from the writer');
      return this.readPrimary(unit);
    }
    // A miss may only mean the replica has not replayed the write yet.
    return options.confirmOnWriterIf?.(result) ? this.readPrimary(unit) : result;
  }

  async readPrimary<T>(unit: Unit<T>): Promise<T> {
    try {
      return await this.once(this.dataSource, unit);
    } catch (error) {
      if (classifyFailure(error) !== 'transient') throw this.translate(error);
      // Reads are always safe to repeat; one more try on a fresh connection rides out a dropped one.
      try {
        return await this.once(this.dataSource, unit);
      } catch (retryError) {
        throw this.translate(retryError);
      }
    }
  }

  async write<T>(unit: Unit<T>, options: WriteOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const runner = this.runnerOf(this.dataSource);
      let committing = false;
      let result: T;
      try {
        await runner.startTransaction();
        result = await unit(runner.manager);
        if (options.byUser !== undefined && this.reader && this.settings.readYourWritesMs > 0) {
          await noteRecentWriter(runner, options.byUser, this.settings.readYourWritesMs);
        }
        committing = true;
        await runner.commitTransaction();
      } catch (error) {
        const failure = classifyFailure(error);
        await this.abandon(runner, failure === 'transient' ? error : undefined);
        // A connection lost during COMMIT leaves the outcome unknown: retrying could apply it twice.
        // If it did commit, the user's next reads must see it.
        if (failure === 'transient' && committing) {
          if (options.byUser !== undefined) this.recentWriters.note(options.byUser);
          throw new CommitOutcomeUnknownError(error);
        }
        if (failure === 'transient' && attempt < WRITE_ATTEMPTS) {
          this.logger.warn({ err: error, attempt }, 'transaction failed on a transient error; retrying');
          await delay(50 * attempt);
          continue;
        }
        throw this.translate(error);
      }
      // Committed: from here on nothing may send the unit round again.
      await runner.release();
      if (options.byUser !== undefined) this.recentWriters.note(options.byUser);
      return result;
    }
  }

  async watch(table: string, listener: () => void): Promise<() => Promise<void>> {
    let listening!: () => void;
    const firstAttempt = new Promise<void>((resolve) => (listening = resolve));
    // The channel the migration's trigger notifies: the table and its schema.
    const changes = new ChangeListener(this.settings, `${table}:${this.settings.schema}`, listener, this.logger, listening);
    this.listeners.add(changes);
    await firstAttempt;
    return async () => {
      this.listeners.delete(changes);
      await changes.close();
    };
  }

  migrate(): Promise<string[]> {
    return migratePostgres(this.dataSource, this.settings.schema);
  }

  async ping(): Promise<void> {
    await this.readPrimary((manager) => manager.query('SELECT 1'));
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((listener) => listener.close()));
    await this.reader?.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /**
   * Whether the user changed something within the read-your-writes window: this task's memory
   * first, then the writer's table, which knows the writes other tasks took (a load balancer
   * sends a client's next request anywhere). A writer that cannot say (failing over) leaves the
   * read on the replica rather than failing it.
   */
  private async wroteLately(userId: number | undefined): Promise<boolean> {
    if (userId === undefined || this.settings.readYourWritesMs <= 0) return false;
    if (this.recentWriters.has(userId)) return true;
    try {
      return await this.once(this.dataSource, (manager) => wroteWithin(manager, userId));
    } catch (error) {
      if (classifyFailure(error) === 'other') throw error;
      this.logger.debug({ err: error }, 'writer did not say who wrote lately; reading the replica');
      return false;
    }
  }

  private runnerOf(dataSource: DataSource): QueryRunner {
    if (!dataSource.isInitialized) throw new DatabaseUnavailableError();
    return dataSource.createQueryRunner();
  }

  /** Runs the unit on one connection of the given pool; a broken connection is discarded, not reused. */
  private async once<T>(dataSource: DataSource, unit: Unit<T>): Promise<T> {
    const runner = this.runnerOf(dataSource);
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
