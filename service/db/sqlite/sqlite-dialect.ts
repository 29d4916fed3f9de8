import type { SqlDialect } from '../sql-dialect';

const SPACE_SEPARATED = /^\d\d\d\d-\d\d-\d\d \d\d:\d\d/;
const WITHOUT_ZONE = /^\d\d\d\d-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d\d\d)?)?$/;
/** How TypeORM and `timestamp` below write every timestamp: already toISOString()'s text but for two characters. */
const AS_WRITTEN = /^\d\d\d\d-\d\d-\d\d \d\d:\d\d:\d\d\.\d\d\d$/;

// TypeORM's AbstractSqliteDriver.prepareHydratedValue for Date columns.
function readTimestamp(value: unknown): Date {
  if (value instanceof Date) return value;
  let text = String(value);
  if (SPACE_SEPARATED.test(text)) text = text.replace(' ', 'T');
  if (WITHOUT_ZONE.test(text)) text += 'Z';
  return new Date(text);
}

/**
 * SQLite's writes are serialized on one connection (sqlite-database.ts), so a transaction already
 * holds every row and key it touches: it needs no row or advisory locks. INTEGER PRIMARY KEY
 * continues after the largest id by itself.
 */
export const sqliteDialect: SqlDialect = {
  kind: 'sqlite',
  sql: (portable) => portable,
  // TypeORM's DateUtils.mixedDateToUtcDatetimeString: "2026-11-26 10:15:30.000".
  statement: (portable) => portable,
  timestamp: (date) => date.toISOString().replace('T', ' ').replace('Z', ''),
  readTimestamp,
  // A list's rows carry several timestamps each; a Date for each was about 3% of its CPU.
  readInstant: (value) =>
    typeof value === 'string' && AS_WRITTEN.test(value) ? `${value.slice(0, 10)}T${value.slice(11)}Z` : readTimestamp(value).toISOString(),
  lockRowsOf: () => '',
  tryTransactionLock: undefined,
  dataModifyingCtes: false,
  syncIdSequence: () => undefined,
};
