import type http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Database } from './db/database';
import type { Lifecycle } from './health/lifecycle';

export interface ShutdownOptions {
  readonly server: http.Server;
  readonly db: Database;
  readonly lifecycle: Lifecycle;
  readonly logger: Logger;
  /** Keep serving (and reporting not ready) this long, so a load balancer stops routing here. */
  readonly drainMs: number;
  /** Then wait at most this long for in-flight requests. */
  readonly timeoutMs: number;
  /** Work beside the requests (the outbox relay) to finish before the database closes. */
  readonly stopBackgroundWork?: () => Promise<void>;
}

/**
 * Stops the service without dropping work: readiness turns not ready, the listener closes,
 * in-flight requests finish (bounded), the database closes, and the process exits 0.
 * ECS sends SIGTERM and, after stopTimeout, SIGKILL: all of this must fit inside it.
 * Requests cut off at the deadline (a client that stalled mid-body) are logged, not an exit
 * failure: the shutdown went as designed, and their writes, being transactional, left nothing
 * half-done. Only a shutdown that itself fails exits 1.
 */
export function installGracefulShutdown(options: ShutdownOptions): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    shutDown(options, signal).then(
      () => process.exit(0),
      (error: unknown) => {
        options.logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Returns true when in-flight requests had to be cut off. */
export async function shutDown(options: ShutdownOptions, signal: string): Promise<boolean> {
  const { server, db, lifecycle, logger } = options;
  logger.info({ signal }, 'shutting down: draining');
  lifecycle.startDraining();
  if (options.drainMs > 0) await delay(options.drainMs);

  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let forced = false;
  const deadline = setTimeout(() => {
    forced = true;
    logger.warn({ timeoutMs: options.timeoutMs, inFlight: lifecycle.inFlight }, 'shutdown: cutting off requests still in flight');
    server.closeAllConnections();
  }, options.timeoutMs);
  await closed;
  clearTimeout(deadline);

  await options.stopBackgroundWork?.();
  await db.close();
  logger.info('shutdown complete');
  return forced;
}
