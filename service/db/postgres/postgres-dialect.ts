import { createHash } from 'node:crypto';
import type { SqlDialect } from '../sql-dialect';

const numbered = new Map<string, string>();
const named = new Map<string, { name: string; text: string }>();

/** pg parses timestamptz into a Date already. */
function readTimestamp(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

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
  // Named by the text's hash: one name never stands for two texts on a connection, and every
  // statement names its columns, so a migration that adds one only makes PostgreSQL plan again.
  statement: (portable) => {
    let statement = named.get(portable);
    if (statement === undefined) {
      const text = postgresDialect.sql(portable);
      statement = { name: `s${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
      named.set(portable, statement);
    }
    return statement;
  },
  timestamp: (date) => date,
  readTimestamp,
  readInstant: (value) => readTimestamp(value).toISOString(),
  // OF: an outer join's nullable side cannot be locked, and only the named table's rows need it.
  lockRowsOf: (alias, options) => ` FOR UPDATE OF ${alias}${options?.skipLocked ? ' SKIP LOCKED' : ''}`,
  // Transaction-scoped: it ends with the transaction, so a crashed request leaves nothing to clean up.
  tryTransactionLock: 'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
  dataModifyingCtes: true,
  syncIdSequence: (table) => `SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM "${table}"))`,
};
