import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import pino from 'pino';
import { loadConfig } from '../../service/config';
import type { Database } from '../../service/db/database';
import { openDatabase } from '../../service/db/open-database';
import { seedDevelopmentData } from '../../service/seed/development-seed';
import { brokenInvariants, stockLevels } from '../helpers/consistency';
import { describeWithPostgresBinaries, PgCluster } from '../helpers/pg-cluster';
import { recordFigures } from '../helpers/reliability-figures';
import { appOn } from '../helpers/test-app';

/** The database vanishes for a while under steady load: 503s, never a partial order, then recovery. */
describeWithPostgresBinaries('the database going away under load', () => {
  let cluster: PgCluster;
  let db: Database;
  let server: Server;
  let base: string;
  const query = <T>(sql: string) => cluster.sql<T>(sql, [], 'orders');

  beforeAll(async () => {
    cluster = await PgCluster.primary();
    await cluster.sql('CREATE DATABASE orders');
    db = await openDatabase(loadConfig({ DATABASE_URL: cluster.url('orders') }).database, pino({ level: 'silent' }));
    await db.migrate();
    await seedDevelopmentData(db);
    server = appOn(db).listen(0);
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await db?.close();
    await cluster?.destroy();
  });

  test('when PostgreSQL stops for a second and a half under load, then requests answer 503 meanwhile, no order is half-written, and service resumes by itself', async () => {
    const initialStock = await stockLevels((sql) => query(sql));
    const outcomes: Array<{ startedAt: number; at: number; status: number; id?: number }> = [];
    let stop = false;
    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const startedAt = Date.now();
        const res = await fetch(`${base}/orders`, {
          method: i % 3 ? 'POST' : 'GET',
          headers: { 'content-type': 'application/json', user_id: String((n % 5) + 1) },
          body: i % 3 ? JSON.stringify({ products: [{ id: (i % 17) + 1, quantity: 1 }, { id: ((i + 5) % 17) + 1, quantity: 2 }] }) : undefined,
        });
        const body = (await res.json()) as { id?: number };
        if (res.status === 500) console.log('500', JSON.stringify(body));
        outcomes.push({ startedAt, at: Date.now(), status: res.status, id: res.status === 201 ? body.id : undefined });
        if (res.status === 503) await delay(25);
      }
    };
    const workers = Array.from({ length: 8 }, (_, n) => worker(n));
    await delay(500);
    await cluster.stop();
    const downAt = Date.now();
    await delay(1500);
    const restartingAt = Date.now();
    await cluster.start();
    const restartedAt = Date.now();
    await delay(1500);
    stop = true;
    await Promise.all(workers);

    const statuses = new Set(outcomes.map((o) => o.status));
    // Requests that began and ended while the server was down.
    const duringOutage = outcomes.filter((o) => o.startedAt > downAt && o.at < restartingAt);
    const lastSecond = outcomes.filter((o) => o.at > restartedAt + 500);
    expect([...statuses].filter((status) => ![200, 201, 503].includes(status))).toEqual([]);
    expect(duringOutage.length).toBeGreaterThan(0);
    expect(duringOutage.filter((o) => o.status !== 503)).toEqual([]);
    expect(lastSecond.length).toBeGreaterThan(0);
    expect(lastSecond.every((o) => o.status === 200 || o.status === 201)).toBe(true);
    expect(await brokenInvariants((sql) => query(sql), initialStock)).toEqual([]);
    const stored = new Set((await query<{ id: number }>('SELECT id FROM orders')).map((row) => row.id));
    const lost = outcomes.filter((o) => o.status === 201 && !stored.has(o.id!));
    expect(lost).toEqual([]);
    recordFigures('database outage under load', {
      requests: outcomes.length,
      answered503: outcomes.filter((o) => o.status === 503).length,
      faultsInjected: 1,
      ordersLost: lost.length,
    });
  }, 60_000);
});
