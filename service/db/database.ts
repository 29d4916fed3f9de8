import type { DataSource, EntityManager } from 'typeorm';

export type DatabaseKind = 'sqlite' | 'postgres';

/** Work that runs with an EntityManager; it must not call back into the Database. */
export type Unit<T> = (manager: EntityManager) => Promise<T>;

/**
 * The one door to the database. Route code says what kind of work it does (a read, or a
 * transactional write) and the implementation decides how: SQLite serializes everything on its
 * single connection; PostgreSQL uses a pool.
 */
export interface Database {
  readonly kind: DatabaseKind;
  readonly dataSource: DataSource;
  /** A read whose result is only shown to the client (no write depends on it). */
  read<T>(unit: Unit<T>): Promise<T>;
  /** A read that a change depends on: always the writer, never a lagging replica. */
  readPrimary<T>(unit: Unit<T>): Promise<T>;
  /** One transaction on the writer: everything in it commits, or nothing does. */
  write<T>(unit: Unit<T>): Promise<T>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
