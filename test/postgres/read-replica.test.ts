import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../service/config';
import type { Database } from '../../service/db/database';
import { openDatabase } from '../../service/db/open-database';
import { seedDevelopmentData } from '../../service/seed/development-seed';
import { placeOrder, README_ORDER, TRACKING } from '../helpers/orders';
import { describeWithPostgresBinaries, eventually, PgCluster } from '../helpers/pg-cluster';
import { appOn } from '../helpers/test-app';
import { TestIssuer } from '../helpers/token-issuer';

/**
 * A real streaming replica that replays 2 s behind its primary, as a lagging Aurora reader would:
 * reads go to it, writes never do, and a client still sees its own changes at once.
 */
describeWithPostgresBinaries('a read replica that lags 2 s behind the writer', () => {
  let primary: PgCluster;
  let standby: PgCluster;
  const databases: Database[] = [];
  let app: Express;

  /** One service instance: its own pools, its own read-your-writes memory, its own known users. */
  async function instance(env: Record<string, string> = {}): Promise<Express> {
    const config = loadConfig({ DATABASE_URL: primary.url('orders'), DATABASE_READER_URL: standby.url('orders') });
    const db = await openDatabase(config.database, pino({ level: 'silent' }));
    databases.push(db);
    return appOn(db, { env });
  }

  beforeAll(async () => {
    primary = await PgCluster.primary();
    await primary.sql('CREATE DATABASE orders');
    standby = await PgCluster.standbyOf(primary, '2s');
    await eventually(async () => (await standby.sql('SELECT 1 FROM pg_database WHERE datname = $1', ['orders'])).length === 1, 30_000, 'the database on the standby');

    app = await instance();
    await databases[0].migrate();
    await seedDevelopmentData(databases[0]);
    await eventually(
      async () => (await standby.sql<{ n: number }>('SELECT count(*)::int AS n FROM users', [], 'orders'))[0].n === 5,
      30_000,
      'the seed on the standby',
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(databases.map((db) => db.close()));
    await standby?.destroy();
    await primary?.destroy();
  });

  test('when a client creates an order and reads it back at once, then it sees it (the replica does not have it yet)', async () => {
    const created = await placeOrder(app, 1);

    const one = await request(app).get(`/orders/${created.id}`).set('user_id', '1');
    const list = await request(app).get('/orders').set('user_id', '1');

    expect(one.status).toBe(200);
    expect(one.body).toEqual(created);
    expect(list.body.data.map((o: { id: number }) => o.id)).toContain(created.id);
    expect(await standby.sql('SELECT id FROM orders WHERE id = $1', [created.id], 'orders')).toEqual([]);
  });

  test('when a client changes an order and reads it back at once, then it sees the change', async () => {
    const created = await placeOrder(app, 1);

    await request(app).patch(`/orders/${created.id}/tracking`).set('user_id', '1').send(TRACKING);
    const tracked = await request(app).get(`/orders/${created.id}`).set('user_id', '1');
    await request(app).patch(`/orders/${created.id}/status`).set('user_id', '1').send({ status: 'processing' });
    const moved = await request(app).get(`/orders/${created.id}`).set('user_id', '1');

    expect(tracked.body.shipment).toEqual(TRACKING);
    expect(moved.body.status).toBe('processing');
  });

  test('when another instance (without this one\'s memory of the write) is asked for a just-created order, then the replica\'s miss is confirmed on the writer', async () => {
    const other = await instance();
    const created = await placeOrder(app, 3);

    const res = await request(other).get(`/orders/${created.id}`).set('user_id', '3');

    expect(res.status).toBe(200);
    expect(res.body.id).toBe(created.id);
  });

  test("when another instance is asked for the history of an order just created and changed, then it is complete: the replica's is confirmed on the writer", async () => {
    const other = await instance();
    const created = await placeOrder(app, 3);
    await request(app).patch(`/orders/${created.id}/tracking`).set('user_id', '3').send(TRACKING);

    const res = await request(other).get(`/orders/${created.id}/events`).set('user_id', '3');

    expect(res.status).toBe(200);
    expect(res.body.data.map((event: { type: string; orderVersion: number }) => [event.type, event.orderVersion])).toEqual([
      ['created', 1],
      ['tracking_set', 2],
    ]);
    expect(await standby.sql('SELECT id FROM order_events WHERE order_id = $1', [created.id], 'orders')).toEqual([]);
  });

  test('when a client changes an order through one instance and reads it through another at once, then it sees the change and its new order listed', async () => {
    const [first, second] = [await instance(), await instance()];
    const created = await placeOrder(first, 2);
    await eventually(async () => (await standby.sql('SELECT id FROM orders WHERE id = $1', [created.id], 'orders')).length === 1, 30_000, 'the order on the standby');

    const cancelled = await request(first).patch(`/orders/${created.id}/cancel`).set('user_id', '2');
    const seen = await request(second).get(`/orders/${created.id}`).set('user_id', '2');
    const next = await placeOrder(first, 2);
    const list = await request(second).get('/orders').set('user_id', '2');

    expect(cancelled.status).toBe(200);
    expect(seen.body.status).toBe('cancelled');
    expect(list.body.data.map((o: { id: number }) => o.id)).toContain(next.id);
    expect((await standby.sql<{ status: string }>('SELECT status FROM orders WHERE id = $1', [created.id], 'orders'))[0].status).toBe('pending');
  });

  test('when a user who has not written lately reads, then every query of the request runs on the standby', async () => {
    const writerInstance = await instance();
    const order = await placeOrder(writerInstance, 4);
    await eventually(async () => (await standby.sql('SELECT id FROM orders WHERE id = $1', [order.id], 'orders')).length === 1);
    // Every task sends a user's reads to the writer for DB_READ_YOUR_WRITES_MS after a write: let that pass.
    await eventually(
      async () => (await primary.sql('SELECT 1 FROM recent_writers WHERE user_id = 4 AND read_writer_until > now()', [], 'orders')).length === 0,
      15_000,
      'the end of user 4\'s read-your-writes window',
    );
    const [primaryMark, standbyMark] = [primary.logSize(), standby.logSize()];

    const one = await request(app).get(`/orders/${order.id}`).set('user_id', '4');
    const list = await request(app).get('/orders').set('user_id', '4');

    expect(one.status).toBe(200);
    expect(list.body.data[0].id).toBe(order.id);
    const onStandby = standby.logSince(standbyMark);
    expect(onStandby).toMatch(/order-service-reader\|LOG: .*SELECT .*"users"/);
    expect(onStandby).toMatch(/order-service-reader\|LOG: .*SELECT .*"orders"/);
    expect(primary.logSince(primaryMark)).not.toMatch(/order-service-writer\|LOG: .*SELECT .*"orders"/);
  });

  test('when a change is the first request an instance sees from a user, then even the user lookup runs on the writer', async () => {
    const issuer = await TestIssuer.start();
    try {
      const token = await issuer.customer('replica-user');
      await request(await instance(issuer.env())).get('/orders').set('Authorization', `Bearer ${token}`);
      await eventually(
        async () => (await standby.sql('SELECT 1 FROM users WHERE external_id = $1', ['replica-user'], 'orders')).length === 1,
        30_000,
        'the new user on the standby',
      );
      const [byHeader, byToken] = [await instance(), await instance(issuer.env())];
      const [primaryMark, standbyMark] = [primary.logSize(), standby.logSize()];

      const created = await Promise.all([
        request(byHeader).post('/orders').set('user_id', '2').send(README_ORDER),
        request(byToken).post('/orders').set('Authorization', `Bearer ${token}`).send(README_ORDER),
      ]);

      expect(created.map((res) => res.status)).toEqual([201, 201]);
      expect(standby.logSince(standbyMark)).not.toMatch(/SELECT .*"users"/);
      expect(primary.logSince(primaryMark)).toMatch(/order-service-writer\|LOG: .*SELECT .*FROM "users" WHERE id = /);
      expect(primary.logSince(primaryMark)).toMatch(/order-service-writer\|LOG: .*SELECT .*FROM "users" WHERE external_id = \$1/);
    } finally {
      await issuer.close();
    }
  });

  test('when the reader is down at start, then the service starts on the writer, warns naming the reader, and reads from the reader once it answers', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    const reader = `127.0.0.1:${standby.port}/orders`;
    await standby.stop();
    let started: Express;
    let whileDown: request.Response;
    const primaryMark = primary.logSize();
    try {
      const db = await openDatabase(loadConfig({ DATABASE_URL: primary.url('orders'), DATABASE_READER_URL: standby.url('orders') }).database, logger);
      databases.push(db);
      started = appOn(db);
      whileDown = await request(started).get('/orders').set('user_id', '5');
    } finally {
      await standby.start();
    }
    const standbyMark = standby.logSize();
    await eventually(
      async () => {
        await request(started).get('/orders').set('user_id', '5');
        return /order-service-reader\|LOG: .*SELECT .*"orders"/.test(standby.logSince(standbyMark));
      },
      20_000,
      'reads on the standby once it is back',
    );

    expect(whileDown.status).toBe(200);
    expect(primary.logSince(primaryMark)).toMatch(/order-service-writer\|LOG: .*SELECT .*"orders"/);
    const warnings = logs.filter((entry) => (entry.level as number) >= 40);
    expect(warnings[0]).toMatchObject({ role: 'reader', target: reader, reason: expect.stringMatching(/ECONNREFUSED/), msg: 'read replica not reachable; reads go to the writer until it is' });
    expect(warnings.every((entry) => entry.role === 'reader' && entry.target === reader)).toBe(true);
    expect(logs).toContainEqual(expect.objectContaining({ role: 'reader', target: reader, msg: 'read replica reachable; reads go to it again' }));
  }, 60_000);

  test('when all is done, then no write was ever sent to the standby, and each pool is connected where it belongs', async () => {
    const standbyLog = standby.logSince(0);
    const onStandby = await standby.sql<{ name: string }>("SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE datname = 'orders'");
    const onPrimary = await primary.sql<{ name: string }>("SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE datname = 'orders'");

    expect(standbyLog).not.toMatch(/\b(INSERT|UPDATE|DELETE)\b/);
    expect(standbyLog).not.toMatch(/read-only transaction/);
    expect(onStandby.map((row) => row.name)).toContain('order-service-reader');
    expect(onStandby.map((row) => row.name)).not.toContain('order-service-writer');
    expect(onPrimary.map((row) => row.name)).toContain('order-service-writer');
    expect(onPrimary.map((row) => row.name)).not.toContain('order-service-reader');
  });
});
