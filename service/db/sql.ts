import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { postgresDialect } from './postgres/postgres-dialect';
import type { SqlDialect } from './sql-dialect';
import { sqliteDialect } from './sqlite/sqlite-dialect';

/**
 * How the repositories reach the database: hand-written, portable SQL with `?` placeholders, run
 * through the unit's EntityManager. TypeORM's QueryBuilder rebuilds its SQL and hydrates entities
 * on every call, and on SQLite it inlines numeric parameters into the text, so every id made a new
 * prepared statement; this SQL keeps one text per statement, which both drivers cache
 * (better-sqlite3's runner by SQL text; on PostgreSQL it saves the query building and hydration).
 */
export function dialectOf(manager: EntityManager): SqlDialect {
  return manager.connection.driver.options.type === 'postgres' ? postgresDialect : sqliteDialect;
}

/**
 * The statement as the driver takes it. TypeORM passes its query argument on to pg's
 * client.query untouched, and pg takes a query config (a named statement) there, though
 * TypeORM's type says string.
 */
function statementOf(manager: EntityManager, portable: string): string {
  return dialectOf(manager).statement(portable) as string;
}

/** Rows of a SELECT (or of an INSERT ... RETURNING) through the manager's connection. */
export function selectRows<T>(manager: EntityManager, portable: string, parameters: unknown[]): Promise<T[]> {
  return manager.query(statementOf(manager, portable), parameters);
}

/** Runs an INSERT, UPDATE or DELETE inside a transaction; returns how many rows it changed. */
export async function changeRows(manager: EntityManager, portable: string, parameters: unknown[]): Promise<number> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('changeRows() runs inside a write transaction');
  const result = await runner.query(statementOf(manager, portable), parameters, true);
  return result.affected ?? 0;
}

/**
 * The rows an INSERT, UPDATE or DELETE ... RETURNING gives back, inside a transaction. Not through
 * selectRows: for an UPDATE, TypeORM's PostgreSQL runner answers [rows, count] instead of the rows.
 */
export async function changeRowsReturning<T>(manager: EntityManager, portable: string, parameters: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('changeRowsReturning() runs inside a write transaction');
  const result = await runner.query(statementOf(manager, portable), parameters, true);
  return (result.records ?? []) as T[];
}

/** `?, ?, ?` for an IN list of `count` values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * Takes the lock called `name` until the transaction ends: false while another transaction, on
 * any instance, holds it. Where writes are serialized anyway (SQLite) it is always true.
 */
export async function tryTransactionLock(manager: EntityManager, name: string): Promise<boolean> {
  const statement = dialectOf(manager).tryTransactionLock;
  if (statement === undefined) return true;
  const key = createHash('sha256').update(name).digest().readBigInt64BE(0).toString();
  const [row] = await manager.query(statement, [key]);
  return row.locked === true;
}
