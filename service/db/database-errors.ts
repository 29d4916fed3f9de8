import { problemType, ServiceUnavailableError } from '../errors';

const NOTHING_CHANGED = 'The database is not reachable right now; nothing was changed. Retry shortly.';
const OUTCOME_UNKNOWN =
  'The connection to the database was lost while the change was being committed, so whether it was applied is unknown. ' +
  'Retry with the same Idempotency-Key, or read the order before changing it again.';

/**
 * The database cannot be reached (down, failing over, overloaded). Clients get 503 with
 * Retry-After, never a 500: the request was fine and nothing was half-written.
 */
export class DatabaseUnavailableError extends ServiceUnavailableError {
  constructor(cause?: unknown, detail = NOTHING_CHANGED) {
    super(detail, { title: 'Service temporarily unavailable', type: problemType('database-unavailable'), retryAfterSeconds: 2, cause });
  }
}

/**
 * The connection broke during COMMIT: the server may have committed before the answer was lost,
 * so the change is not retried here, and the client is not told that nothing was changed.
 */
export class CommitOutcomeUnknownError extends DatabaseUnavailableError {
  constructor(cause?: unknown) {
    super(cause, OUTCOME_UNKNOWN);
  }
}

export type Failure = 'transient' | 'unavailable' | 'other';

/** SQLSTATEs worth retrying: the connection or server went away, or a lock conflict that a retry resolves. */
const TRANSIENT_SQLSTATES = new Set([
  '25006', // read_only_sql_transaction: a connection still on the old writer after a failover
  '57P01', // admin_shutdown (pg_terminate_backend, a restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, or a standby being promoted)
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/**
 * TypeORM releases a query runner whose connection emitted an error, so the unit's next query
 * finds it released (through the runner, or through its EntityManager): the connection broke
 * under it.
 */
const BROKEN_RUNNER = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

/** pg reports a dropped or timed-out connection only in the message. */
const TRANSIENT_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|not queryable/i;

/**
 * transient: retrying the whole unit (on a fresh connection) may succeed;
 * unavailable: the database is there but refused in time (statement timeout), do not retry;
 * other: a bug or a constraint: let it surface.
 */
export function classifyFailure(error: unknown): Failure {
  for (const candidate of unwrap(error)) {
    const code = (candidate as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_NODE_CODES.has(code)) return 'transient';
      if (code === '57014') return 'unavailable'; // query_canceled: statement_timeout
    }
    if (candidate instanceof Error && (BROKEN_RUNNER.has(candidate.name) || TRANSIENT_MESSAGES.test(candidate.message))) return 'transient';
  }
  return 'other';
}

/** The error itself, what TypeORM wrapped (driverError), and what Node aggregated (IPv4 and IPv6 attempts). */
function unwrap(error: unknown): unknown[] {
  if (typeof error !== 'object' || error === null) return [];
  const nested = [
    (error as { driverError?: unknown }).driverError,
    (error as { cause?: unknown }).cause,
    ...((error as { errors?: unknown[] }).errors ?? []),
  ].filter((inner) => inner && inner !== error);
  return [error, ...nested.flatMap(unwrap)];
}
