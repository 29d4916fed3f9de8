/**
 * What differs between the two databases, in one place: the repositories write portable SQL with
 * `?` placeholders and ask the dialect for the rest, so nothing outside db/ asks which engine runs.
 */
export interface SqlDialect {
  readonly kind: 'sqlite' | 'postgres';
  /** The statement for this database: `?` becomes `$1, $2, ...` on PostgreSQL. Cached. */
  sql(portable: string): string;
  /**
   * What the driver is handed to run it: on PostgreSQL a named statement (pg's query config),
   * which each connection parses once and, after a few runs, plans once; the text elsewhere.
   */
  statement(portable: string): string | { readonly name: string; readonly text: string };
  /** A timestamp parameter, stored as TypeORM stores Date columns (UTC text on SQLite). */
  timestamp(date: Date): Date | string;
  /** A timestamp column's value, read as TypeORM reads Date columns. */
  readTimestamp(value: unknown): Date;
  /** A timestamp column's value as the contract shows it: Date.toISOString()'s text. */
  readInstant(value: unknown): string;
  /**
   * The clause that ends a SELECT to lock the rows it read from `alias` until the transaction
   * ends; with `skipLocked`, rows another transaction holds are left out instead of waited for.
   */
  lockRowsOf(alias: string, options?: { skipLocked?: boolean }): string;
  /** The statement that takes a lock named by a 64-bit key until the transaction ends, or none. */
  readonly tryTransactionLock: string | undefined;
  /**
   * Whether one statement may write several tables (data-modifying WITH): PostgreSQL's does, so a
   * write can hold its locks for one round trip; SQLite's does not (and serializes writers anyway).
   */
  readonly dataModifyingCtes: boolean;
  /** The statement that moves a table's id sequence past rows inserted with explicit ids, or none. */
  syncIdSequence(table: string): string | undefined;
}
