import type { DataSource, EntityManager } from 'typeorm';

export type DatabaseKind = 'sqlite' | 'postgres';

/** Work that runs with an EntityManager; it must not call back into the Database. */
export type Unit<T> = (manager: EntityManager) => Promise<T>;

export interface ReadOptions<T> {
  /** The user reading: if they changed something moments ago, read from the writer. */
  readonly forUser?: number;
  /** A result from a replica that this returns true for (a miss) is confirmed on the writer. */
  readonly confirmOnWriterIf?: (result: T) => boolean;
}

export interface WriteOptions {
  /** The user making the change; their next reads must see it. */
  readonly byUser?: number;
}

/**
 * The one door to the database. Code says what kind of work it does (a read, a read a change
 * depends on, or a transactional write) and the implementation decides where it runs: SQLite
 * serializes everything on its single connection; PostgreSQL sends reads to a replica when one
 * is configured and retries what is safe to retry. Unreachable databases surface as
 * DatabaseUnavailableError (503).
 */
export interface Database {
  readonly kind: DatabaseKind;
  readonly dataSource: DataSource;
  /** A read whose result is only shown to the client (no write depends on it). */
  read<T>(unit: Unit<T>, options?: ReadOptions<T>): Promise<T>;
  /** A read that a change depends on: always the writer, never a lagging replica. */
  readPrimary<T>(unit: Unit<T>): Promise<T>;
  /** One transaction on the writer: everything in it commits, or nothing does. */
  write<T>(unit: Unit<T>, options?: WriteOptions): Promise<T>;
  /**
   * Calls `listener` after a transaction that may have inserted into `table` commits: on
   * PostgreSQL any instance's (the table's NOTIFY trigger), on SQLite this process's writes (every
   * one: SQLite cannot say which tables). Calls may be spurious, and one can be missed while the
   * database is unreachable: callers poll as well. Resolves once the first attempt to listen is
   * over, with a function that stops listening.
   */
  watch(table: string, listener: () => void): Promise<() => Promise<void>>;
  /** Applies the pending migrations (one instance at a time); returns the names it applied. */
  migrate(): Promise<string[]>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
