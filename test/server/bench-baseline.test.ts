import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { ensureBuilt, ROOT } from '../helpers/built-service';
import { onPostgres } from '../helpers/test-database';

/** The benchmark's own code (bench/, plain CommonJS): what `npm run bench` runs before timing anything. */
interface BenchDatabase {
  serviceEnv: Record<string, string>;
  baselineEnv: Record<string, string>;
  drop(): Promise<void>;
}
interface BenchServer {
  url: string;
  stop(): Promise<void>;
  counts(): Promise<{ pgQueries: number; sqliteStatements: number } | null>;
}
const { freshDatabase } = require(path.join(ROOT, 'bench', 'lib', 'databases')) as {
  freshDatabase(kind: 'sqlite' | 'postgres', name: string, seed?: { pendingOrders?: number }): Promise<BenchDatabase>;
};
const { startServer } = require(path.join(ROOT, 'bench', 'lib', 'processes')) as {
  startServer(options: { name: string; args: string[]; env: Record<string, string>; logFile: string; countQueries?: boolean }): Promise<BenchServer>;
};
const { compareAnswers } = require(path.join(ROOT, 'bench', 'lib', 'parity')) as {
  compareAnswers(serviceUrl: string, baselineUrl: string): Promise<unknown[]>;
};

/** The status changes recorded in a benchmark database (named by its `serviceEnv`), without ids and times. */
async function statusEvents(env: Record<string, string>): Promise<unknown[]> {
  const sql =
    'SELECT order_id, user_id, order_version, type, actor_user_id, from_state, to_state, published_at ' +
    "FROM order_events WHERE type = 'status_changed' ORDER BY id";
  if (env.SQLITE_PATH) {
    const db = new Database(env.SQLITE_PATH, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * `npm run bench` compares the service with a raw node:http baseline; the comparison only means
 * something while both do the same work. No timing here: only that, on the same seeded data,
 * they answer the benchmark's requests alike (status, ETag, Location, body), and a status change
 * leaves the same event behind.
 */
describe('the benchmark baseline (bench/baseline)', () => {
  const kind = onPostgres ? 'postgres' : 'sqlite';
  let logDir: string;
  const cleanup: Array<() => Promise<void>> = [];
  beforeAll(() => {
    ensureBuilt();
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-bench-test-'));
    // A database of its own on the suite's PostgreSQL server.
    if (onPostgres) process.env.BENCH_POSTGRES_URL = process.env.TEST_DATABASE_URL;
  }, 120_000);
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
    fs.rmSync(logDir, { recursive: true, force: true });
  });

  test(`when the service and the baseline serve the same seeded ${kind} data, then they answer alike and record the same status change`, async () => {
    // Pending orders as the change-status scenario has them, so that new orders come after them.
    const serviceDb = await freshDatabase(kind, 'service', { pendingOrders: 10 });
    cleanup.push(() => serviceDb.drop());
    const baselineDb = await freshDatabase(kind, 'baseline', { pendingOrders: 10 });
    cleanup.push(() => baselineDb.drop());
    const service = await startServer({
      name: 'service',
      args: [path.join(ROOT, 'dist', 'service', 'main.js')],
      env: {
        ...serviceDb.serviceEnv,
        NODE_ENV: 'production',
        AUTH_MODE: 'header',
        ALLOW_INSECURE_HEADER_AUTH: 'true',
        LOG_LEVEL: 'warn',
        // As the benchmark runs it: the request path alone, no relay (the baseline publishes nothing).
        RELAY_ENABLED: 'false',
        // Production mails through SES by default; the comparison is about answers, so files will do.
        MAIL_TRANSPORT: 'file',
        MAIL_DIR: path.join(logDir, 'mail'),
      },
      logFile: path.join(logDir, 'service.log'),
      countQueries: true,
    });
    cleanup.push(() => service.stop());
    const baseline = await startServer({
      name: 'baseline',
      args: [path.join(ROOT, 'bench', 'baseline', 'server.js')],
      env: baselineDb.baselineEnv,
      logFile: path.join(logDir, 'baseline.log'),
      countQueries: true,
    });
    cleanup.push(() => baseline.stop());

    expect(await compareAnswers(service.url, baseline.url)).toEqual([]);
    const changes = await statusEvents(serviceDb.serviceEnv);
    expect(changes).toEqual([
      {
        order_id: 5,
        user_id: 5,
        order_version: 2,
        type: 'status_changed',
        actor_user_id: 5,
        from_state: '{"status":"pending"}',
        to_state: '{"status":"processing"}',
        published_at: null,
      },
    ]);
    expect(await statusEvents(baselineDb.serviceEnv)).toEqual(changes);

    // The hot-product scenario's request, and what each server's counter makes of it.
    const counted = kind === 'postgres' ? 'pgQueries' : 'sqliteStatements';
    for (const server of [service, baseline]) {
      const before = (await server.counts())!;
      const response = await fetch(`${server.url}/orders`, {
        method: 'POST',
        headers: { user_id: '1', 'content-type': 'application/json' },
        body: JSON.stringify({ products: [{ id: 1, quantity: 1 }] }),
      });
      expect(response.status).toBe(201);
      const after = (await server.counts())!;
      // A transaction: at least BEGIN, the stock taken, the order inserted, COMMIT.
      expect(after[counted] - before[counted]).toBeGreaterThanOrEqual(4);
      expect(after[counted === 'pgQueries' ? 'sqliteStatements' : 'pgQueries']).toBe(before[counted === 'pgQueries' ? 'sqliteStatements' : 'pgQueries']);
    }
  }, 60_000);
});
