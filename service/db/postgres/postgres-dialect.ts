import type { SqlDialect } from '../sql-dialect';

const numbered = new Map<string, string>();

export const postgresDialect: SqlDialect = {
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
  // OF: an outer join's nullable side cannot be locked, and only the named table's rows need it.
  lockRowsOf: (alias, options) => ` FOR UPDATE OF ${alias}${options?.skipLocked ? ' SKIP LOCKED' : ''}`,
  // Transaction-scoped: it ends with the transaction, so a crashed request leaves nothing to clean up.
  tryTransactionLock: 'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
  dataModifyingCtes: true,
  syncIdSequence: (table) => `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM "${table}"))`,
};
