import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { deleteExpiredKeys } from './idempotency-repository';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Deletes expired idempotency keys now and then every hour; returns a function that stops it. */
export function purgeExpiredKeysPeriodically(db: Database, logger: Logger): () => void {
  const purge = () =>
    db
      .write((manager) => deleteExpiredKeys(manager, new Date()))
      .then(
        (deleted) => deleted > 0 && logger.info({ deleted }, 'expired idempotency keys purged'),
        (error: unknown) => logger.warn({ err: error }, 'purging expired idempotency keys failed; will retry'),
      );
  void purge();
  const timer = setInterval(purge, PURGE_EVERY_MS);
  // Never the reason the process stays up.
  timer.unref();
  return () => clearInterval(timer);
}
