import { setTimeout as delay } from 'node:timers/promises';
import type { Express } from 'express';
import pino from 'pino';
import { Client } from 'pg';
import request from 'supertest';
import { loadConfig } from '../../service/config';
import type { Database } from '../../service/db/database';
import { openDatabase } from '../../service/db/open-database';
import { seedDevelopmentData } from '../../service/seed/development-seed';
import { README_ORDER } from '../helpers/orders';
import { describeWithPostgresBinaries, eventually, PgCluster } from '../helpers/pg-cluster';
import { appOn } from '../helpers/test-app';

/** The database goes away, comes back, kills connections, turns read-only: never a 500, never half an order. */
describeWithPostgresBinaries('database failures', () => {
  let cluster: PgCluster;
  let db: Database;
  let app: Express;
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });

  const settings = (extra: Record<string, string> = {}) =>
    loadConfig({ DATABASE_URL: cluster.url('orders'), DB_STARTUP_RETRY_MS: '20000', ...extra }).database;
  const terminateServiceConnections = () =>
    cluster.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'order-service-%'");
  const integrity = () =>
    cluster.sql<{ orders: number; without_lines: number }>(
      `SELECT count(*)::int AS orders,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id))::int AS without_lines
         FROM orders o`,
      [],
      'orders',
    );

  beforeAll(async () => {
    cluster = await PgCluster.primary();
    await cluster.sql('CREATE DATABASE orders');
    db = await openDatabase(settings(), logger);
    await db.migrate();
    await seedDevelopmentData(db);
    app = appOn(db);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await cluster?.destroy();
  });

  test('when the database is not up yet at start, then start-up retries with backoff, logging each attempt, and connects once it is', async () => {
    await cluster.stop();
    logs.length = 0;

    const opening = openDatabase(settings(), logger);
    await delay(1500);
    await cluster.start();
    const late = await opening;

    expect(await late.readPrimary((manager) => manager.query('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    const retries = logs.filter((entry) => entry.msg === 'database not reachable yet; retrying');
    expect(retries.length).toBeGreaterThanOrEqual(2);
    expect(retries.every((entry) => entry.role === 'writer' && entry.target === `127.0.0.1:${cluster.port}/orders`)).toBe(true);
    expect(retries.map((entry) => entry.retryInMs)).toEqual([...(retries.map((entry) => entry.retryInMs) as number[])].sort((a, b) => a - b));
    await late.close();
  }, 30_000);

  test('when the database never comes up, then start-up gives up after the bounded time with a clear message', async () => {
    const unreachable = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/orders', DB_STARTUP_RETRY_MS: '1000' }).database;

    await expect(openDatabase(unreachable, logger)).rejects.toThrow(/Cannot connect to the PostgreSQL writer at 127\.0\.0\.1:1\/orders after \d+ attempt\(s\)/);
  });

  test('when the database stops under a running service, then requests answer 503 and readiness fails; when it returns, the service recovers by itself', async () => {
    expect((await request(app).get('/orders').set('user_id', '1')).status).toBe(200);

    await cluster.stop();
    const down = await Promise.all([
      request(app).get('/orders').set('user_id', '1'),
      request(app).post('/orders').set('user_id', '1').send(README_ORDER),
      request(app).get('/health/ready'),
    ]);
    await cluster.start();
    const up = await Promise.all([
      request(app).get('/orders').set('user_id', '1'),
      request(app).post('/orders').set('user_id', '1').send(README_ORDER),
      request(app).get('/health/ready'),
    ]);

    expect(down.map((res) => res.status)).toEqual([503, 503, 503]);
    expect(down[0].body.type).toBe('urn:order-service:problem:database-unavailable');
    expect(down[1].body.detail).toBe('The database is not reachable right now; nothing was changed. Retry shortly.');
    expect(up.map((res) => res.status)).toEqual([200, 201, 200]);
    expect((await integrity())[0].without_lines).toBe(0);
  }, 60_000);

  test("when the service's connections are terminated (pg_terminate_backend), then the next requests still succeed", async () => {
    await Promise.all(Array.from({ length: 5 }, () => request(app).get('/orders').set('user_id', '2')));

    await terminateServiceConnections();
    const after = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2 ? request(app).get('/orders').set('user_id', '2') : request(app).post('/orders').set('user_id', '2').send(README_ORDER),
      ),
    );

    expect(after.map((res) => res.status)).toEqual([201, 200, 201, 200, 201, 200, 201, 200]);
  });

  test('when a write loses its connection in the middle of its transaction, then it is retried whole and no partial order is left', async () => {
    const before = (await integrity())[0].orders;
    const locker = new Client({ connectionString: cluster.url('orders') });
    await locker.connect();
    await locker.query('BEGIN');
    // The order's row is inserted, then its first line waits for this lock on product 1.
    await locker.query('SELECT id FROM products WHERE id = 1 FOR UPDATE');

    const response = request(app).post('/orders').set('user_id', '3').send(README_ORDER).then((res) => res);
    await delay(300);
    const killed = await cluster.sql<{ killed: boolean }>(
      "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = 'order-service-writer' AND wait_event_type = 'Lock'",
    );
    await locker.query('ROLLBACK');
    await locker.end();
    const res = await response;

    expect(killed).toEqual([{ killed: true }]);
    expect(res.status).toBe(201);
    expect(await integrity()).toEqual([{ orders: before + 1, without_lines: 0 }]);
  });

  test('when the connection drops during COMMIT, then the 503 says the outcome is unknown (not that nothing changed), and the write is not retried', async () => {
    // A deferred constraint trigger runs at COMMIT: it holds this user's orders there long enough to cut the connection.
    await cluster.sql(
      'CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NULL; END $$',
      [],
      'orders',
    );
    await cluster.sql(
      'CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.user_id = 5) EXECUTE FUNCTION slow_commit()',
      [],
      'orders',
    );
    try {
      const before = (await integrity())[0].orders;
      const response = request(app).post('/orders').set('user_id', '5').send(README_ORDER).then((res) => res);
      const committing = "application_name = 'order-service-writer' AND query = 'COMMIT' AND wait_event = 'PgSleep'";
      await eventually(async () => (await cluster.sql(`SELECT 1 FROM pg_stat_activity WHERE ${committing}`)).length === 1, 10_000, 'the COMMIT');
      await cluster.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE ${committing}`);
      const res = await response;

      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        type: 'urn:order-service:problem:database-unavailable',
        detail:
          'The connection to the database was lost while the change was being committed, so whether it was applied is unknown. ' +
          'Retry with the same Idempotency-Key, or read the order before changing it again.',
      });
      // Cut during its COMMIT, this one did not commit; a retry would have committed after its pause.
      await delay(2500);
      expect(await integrity()).toEqual([{ orders: before, without_lines: 0 }]);
    } finally {
      await cluster.sql('DROP TRIGGER slow_commit ON orders; DROP FUNCTION slow_commit()', [], 'orders');
    }
  }, 30_000);

  test('when a failover leaves the service talking to a read-only server (25006), then writes answer 503, reads still work, and writes resume once it is writable', async () => {
    await cluster.sql('ALTER DATABASE orders SET default_transaction_read_only = on');
    await terminateServiceConnections();

    const write = await request(app).post('/orders').set('user_id', '4').send(README_ORDER);
    const read = await request(app).get('/orders').set('user_id', '4');
    await cluster.sql('ALTER DATABASE orders RESET default_transaction_read_only');
    await terminateServiceConnections();
    const retried = await request(app).post('/orders').set('user_id', '4').send(README_ORDER);

    expect(write.status).toBe(503);
    expect(read.status).toBe(200);
    expect(retried.status).toBe(201);
    expect((await integrity())[0].without_lines).toBe(0);
  });
});
