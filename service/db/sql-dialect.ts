import type { EntityManager } from 'typeorm';

/**
 * Hand-written SQL for the hot paths, written once with `?` placeholders and rendered per
 * database. TypeORM's QueryBuilder rebuilds its SQL and hydrates entities on every call, and on
 * SQLite it inlines numeric parameters into the text, so every id made a new prepared statement;
 * this SQL keeps one text per statement, which both drivers cache (better-sqlite3's runner by SQL
 * text; PostgreSQL plans it once per connection only with pg's named statements, which TypeORM
 * does not use, so there it saves the query building and hydration).
 */
export interface SqlDialect {
  readonly kind: 'sqlite' | 'postgres';
  /** The statement for this database: `?` becomes `$1, $2, ...` on PostgreSQL. Cached. */
  sql(portable: string): string;
  /** A timestamp parameter, stored as TypeORM stores Date columns (UTC text on SQLite). */
  timestamp(date: Date): Date | string;
  /** A timestamp column's value, read as TypeORM reads Date columns. */
  readTimestamp(value: unknown): Date;
}

const SQLITE_SPACE_SEPARATED = /^\d\d\d\d-\d\d-\d\d \d\d:\d\d/;
const SQLITE_WITHOUT_ZONE = /^\d\d\d\d-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d\d\d)?)?$/;

const sqlite: SqlDialect = {
  kind: 'sqlite',
  sql: (portable) => portable,
  // TypeORM's DateUtils.mixedDateToUtcDatetimeString: "2026-11-26 10:15:30.000".
  timestamp: (date) => date.toISOString().replace('T', ' ').replace('Z', ''),
  // TypeORM's AbstractSqliteDriver.prepareHydratedValue for Date columns.
  readTimestamp: (value) => {
    if (value instanceof Date) return value;
    let text = String(value);
    if (SQLITE_SPACE_SEPARATED.test(text)) text = text.replace(' ', 'T');
    if (SQLITE_WITHOUT_ZONE.test(text)) text += 'Z';
    return new Date(text);
  },
};

const numbered = new Map<string, string>();
const postgres: SqlDialect = {
  kind: 'postgres',
  sql: (portable) => {
    let text = numbered.get(portable);
    if (text === undefined) {
      let n = 0;
      text = portable.replace(/\?/g, () => `$${++n}`);
      numbered.set(portable, text);
    }
    return text;
  },
  timestamp: (date) => date,
  readTimestamp: (value) => (value instanceof Date ? value : new Date(String(value))),
};

export function dialectOf(manager: EntityManager): SqlDialect {
  return manager.connection.driver.options.type === 'postgres' ? postgres : sqlite;
}

/** Rows of a SELECT (or of an INSERT ... RETURNING) through the manager's connection. */
export function selectRows<T>(manager: EntityManager, portable: string, parameters: unknown[]): Promise<T[]> {
  return manager.query(dialectOf(manager).sql(portable), parameters);
}

/** Runs an INSERT, UPDATE or DELETE inside a transaction; returns how many rows it changed. */
export async function changeRows(manager: EntityManager, portable: string, parameters: unknown[]): Promise<number> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('changeRows() runs inside a write transaction');
  const result = await runner.query(dialectOf(manager).sql(portable), parameters, true);
  return result.affected ?? 0;
}

/** `?, ?, ?` for an IN list of `count` values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
