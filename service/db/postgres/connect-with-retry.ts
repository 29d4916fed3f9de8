import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { classifyFailure } from '../database-errors';
import type { PostgresRole } from './postgres-endpoint';

export const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 5000;

/** Which pool on which endpoint: a log line names the endpoint that actually failed. */
export interface ConnectTarget {
  readonly role: PostgresRole;
  /** host:port/database */
  readonly target: string;
}

/** One attempt: the data source connected, or the error, with nothing left open. */
export async function connectOnce(create: () => DataSource): Promise<DataSource> {
  const dataSource = create();
  try {
    return await dataSource.initialize();
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    // A pool made before a later step of the connection failed would stay open otherwise.
    else await dataSource.driver.disconnect().catch(() => undefined);
    throw error;
  }
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Connects the writer, retrying with backoff while the database is unreachable (Aurora is for
 * tens of seconds during a failover) for at most `retryMs`. Errors that waiting will not fix
 * (a wrong password, a missing database) fail at once.
 */
export async function connectWithRetry(
  create: () => DataSource,
  { role, target }: ConnectTarget,
  retryMs: number,
  logger: Logger,
): Promise<DataSource> {
  const deadline = Date.now() + retryMs;
  for (let attempt = 1, wait = FIRST_DELAY_MS; ; attempt++, wait = Math.min(wait * 2, MAX_DELAY_MS)) {
    try {
      const dataSource = await connectOnce(create);
      if (attempt > 1) logger.info({ attempt, role, target }, 'database reachable');
      return dataSource;
    } catch (error) {
      const reason = reasonOf(error);
      if (classifyFailure(error) !== 'transient' || Date.now() + wait > deadline) {
        throw new Error(`Cannot connect to the PostgreSQL ${role} at ${target} after ${attempt} attempt(s): ${reason}`);
      }
      logger.warn({ attempt, role, target, retryInMs: wait, reason }, 'database not reachable yet; retrying');
      await delay(wait);
    }
  }
}
