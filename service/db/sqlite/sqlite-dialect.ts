import type { SqlDialect } from '../sql-dialect';

const SPACE_SEPARATED = /^\d\d\d\d-\d\d-\d\d \d\d:\d\d/;
const WITHOUT_ZONE = /^\d\d\d\d-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d\d\d)?)?$/;

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
  // TypeORM's AbstractSqliteDriver.prepareHydratedValue for Date columns.
  readTimestamp: (value) => {
    if (value instanceof Date) return value;
    let text = String(value);
    if (SPACE_SEPARATED.test(text)) text = text.replace(' ', 'T');
    if (WITHOUT_ZONE.test(text)) text += 'Z';
    return new Date(text);
  },
  lockRowsOf: () => '',
  tryTransactionLock: undefined,
  dataModifyingCtes: false,
  syncIdSequence: () => undefined,
};
