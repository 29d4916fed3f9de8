import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { PostgresSettings } from './database-settings';
import { classifyFailure } from './database-errors';

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5000;

/**
 * Initializes a data source, retrying with backoff while the database is unreachable (Aurora is
 * for tens of seconds during a failover) for at most `startupRetryMs`. Errors that waiting will
 * not fix (a wrong password, a missing database) fail at once.
 */
export async function connectWithRetry(
  create: () => DataSource,
  settings: Pick<PostgresSettings, 'startupRetryMs' | 'writer'>,
  logger: Logger,
): Promise<DataSource> {
  const deadline = Date.now() + settings.startupRetryMs;
  const target = `${settings.writer.host}:${settings.writer.port}/${settings.writer.database}`;
  for (let attempt = 1, wait = FIRST_DELAY_MS; ; attempt++, wait = Math.min(wait * 2, MAX_DELAY_MS)) {
    const dataSource = create();
    try {
      await dataSource.initialize();
      if (attempt > 1) logger.info({ attempt, target }, 'database reachable');
      return dataSource;
    } catch (error) {
      if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      if (classifyFailure(error) !== 'transient' || Date.now() + wait > deadline) {
        throw new Error(`Cannot connect to PostgreSQL at ${target} after ${attempt} attempt(s): ${reason}`);
      }
      logger.warn({ attempt, target, retryInMs: wait, reason }, 'database not reachable yet; retrying');
      await delay(wait);
    }
  }
}
