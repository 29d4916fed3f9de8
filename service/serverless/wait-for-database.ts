import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Database } from '../db/database';
import { DatabaseUnavailableError } from '../db/database-errors';
import { FIRST_DELAY_MS, MAX_DELAY_MS, reasonOf } from '../db/postgres/connect-with-retry';
import type { DatabaseSettings } from '../db/database-settings';

/**
 * After this long without a request, the container checks that the database answers before the
 * next one. Aurora pauses only after minutes without any connection, and this container held one
 * until its last request, so a shorter gap cannot have met a pause.
 */
export const IDLE_BEFORE_CHECK_MS = 60_000;

/**
 * For the functions that are invoked rather than requested (the worker, the sweep): before each
 * invocation, waits out a pause (waitForDatabase) when the container sat idle long enough to have
 * met one; false when the database stayed unreachable. A cold container needs none: opening the
 * database already retries for DB_STARTUP_RETRY_MS.
 */
export function resumeAfterIdle(settings: DatabaseSettings, db: Database, logger: Logger): () => Promise<boolean> {
  let lastAt: number | undefined;
  return async () => {
    const idle = lastAt !== undefined && Date.now() - lastAt >= IDLE_BEFORE_CHECK_MS;
    const answering = settings.kind !== 'postgres' || !idle || (await waitForDatabase(db, settings.startupRetryMs, logger));
    lastAt = Date.now();
    return answering;
  };
}

/**
 * Pings the database until it answers, with the start-up backoff, for at most `budgetMs`; returns
 * false when it stayed unreachable that long. Aurora Serverless v2 pauses after minutes without a
 * connection and resumes when one is attempted, which takes about 15 seconds: a request arriving
 * then waits here instead of getting a 503 from the few quick attempts an ordinary request makes.
 * Only unavailability is waited out: any other failure (a wrong password, say) is not a pause,
 * and the request meets it. A ping still connecting when the budget ends is not waited for (one
 * can take two connect timeouts), so the caller can still answer before API Gateway gives up.
 */
export async function waitForDatabase(db: Database, budgetMs: number, logger: Logger): Promise<boolean> {
  const started = Date.now();
  for (let attempt = 1, wait = FIRST_DELAY_MS; ; attempt++, wait = Math.min(wait * 2, MAX_DELAY_MS)) {
    try {
      await withinBudget(db.ping(), budgetMs - (Date.now() - started));
      if (attempt > 1) logger.info({ attempt, waitedMs: Date.now() - started }, 'database answering again');
      return true;
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) return true;
      if (Date.now() + wait - started > budgetMs) {
        logger.error({ attempt, waitedMs: Date.now() - started, reason: reasonOf(error) }, 'database still not answering; giving up');
        return false;
      }
      logger.warn({ attempt, retryInMs: wait, reason: reasonOf(error) }, 'database not answering (resuming from a pause?); waiting');
      await delay(wait);
    }
  }
}

/** The ping, or a DatabaseUnavailableError once `remainingMs` has passed (the ping then ends on its own). */
async function withinBudget(ping: Promise<void>, remainingMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DatabaseUnavailableError()), Math.max(0, remainingMs));
  });
  ping.catch(() => undefined);
  try {
    await Promise.race([ping, expired]);
  } finally {
    clearTimeout(timer);
  }
}
