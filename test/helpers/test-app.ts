import type { Server } from 'node:http';
import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import { createApp } from '../../service/app';
import { loadConfig } from '../../service/config';
import type { Database } from '../../service/db/database';
import { Lifecycle } from '../../service/health/lifecycle';
import { recordingApp } from './spec-recorder';
import { openTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  /** The app as a client sees it, with every response checked against openapi.yaml. */
  readonly app: Express;
  readonly db: Database;
  readonly lifecycle: Lifecycle;
  /** SQL with `?` placeholders against this app's database (cast counts: CAST(COUNT(*) AS INTEGER)). */
  readonly query: TestDatabase['query'];
  readonly blockOrderCreation: TestDatabase['blockOrderCreation'];
  readonly reopen: TestDatabase['reopen'];
  /** What a process of the service needs to open this app's database. */
  readonly env: TestDatabase['env'];
  /** Serves the app on a free local port (closed by close()), for real concurrent connections. */
  listen(host?: string): Server;
  /** Closes its servers, then its database. */
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Load the development users and products (default true). */
  readonly seed?: boolean;
  /** SQLite in a file rather than in memory, so that reopen() works. */
  readonly persistent?: boolean;
  readonly bodyLimitBytes?: number;
  /**
   * Variables for authentication and the order policy (AUTH_MODE, AUTH_JWKS_URL, ORDER_POLICY,
   * ...), read by the real loadConfig. Default: none, so the user_id header and the default policy.
   */
  readonly env?: Record<string, string>;
  /** Where the app logs; default nowhere. */
  readonly logger?: Logger;
}

/**
 * Waits until the app has received `target` requests in all (take `t.lifecycle.requestsReceived`
 * before sending), then a little longer, so that each request is where it blocks (the writer's
 * queue, a row lock) before the test goes on, however busy the machine.
 */
export async function untilReceived(t: TestApp, target: number, settleMs = 150): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (t.lifecycle.requestsReceived < target) {
    if (Date.now() > deadline) throw new Error(`only ${t.lifecycle.requestsReceived} of ${target} requests reached the app`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, settleMs));
}

/** The real app on a fresh, migrated database of this half of the suite (SQLite or PostgreSQL). */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase({ seed: options.seed ?? true, persistent: options.persistent });
  const lifecycle = new Lifecycle();
  const app = appOn(database.db, { ...options, lifecycle });
  const servers: Server[] = [];
  return {
    app,
    db: database.db,
    lifecycle,
    query: database.query,
    blockOrderCreation: database.blockOrderCreation,
    reopen: database.reopen,
    env: database.env,
    listen: (host) => {
      const server = app.listen(0, host ?? '127.0.0.1');
      servers.push(server);
      return server;
    },
    close: async () => {
      await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
      await database.dispose();
    },
  };
}

/** The real app, as tests see it, on a database the test opened itself. */
export function appOn(db: Database, options: Omit<TestAppOptions, 'seed'> & { lifecycle?: Lifecycle } = {}): Express {
  const { auth, orderPolicy, corsAllowedOrigins, marketplaces } = loadConfig(options.env ?? {});
  const app = createApp({
    db,
    logger: options.logger ?? pino({ level: 'silent' }),
    config: { bodyLimitBytes: options.bodyLimitBytes ?? 100 * 1024, auth, orderPolicy, corsAllowedOrigins, marketplaces },
    lifecycle: options.lifecycle ?? new Lifecycle(),
    validateResponses: true,
  });
  return recordingApp(app);
}
