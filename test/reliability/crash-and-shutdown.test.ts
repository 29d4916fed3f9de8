import { setTimeout as delay } from 'node:timers/promises';
import pino from 'pino';
import { loadConfig } from '../../service/config';
import type { Database } from '../../service/db/database';
import { openDatabase } from '../../service/db/open-database';
import { serviceTestBed, type RunningService } from '../helpers/built-service';
import { brokenInvariants, stockLevels } from '../helpers/consistency';
import { recordFigures } from '../helpers/reliability-figures';
import { numberedPlaceholders, onPostgres } from '../helpers/test-database';

/**
 * The compiled service as ECS runs it, stopped the two ways ECS stops tasks: SIGTERM on every
 * deploy and scale-in, SIGKILL when a task dies. Neither may lose or half-write an order.
 */
describe('crashes and shutdowns of the running service', () => {
  const bed = serviceTestBed('crash');
  const databaseEnv = () => bed.env();
  const start = (extra: Record<string, string> = {}): Promise<RunningService> => bed.start({ ...databaseEnv(), ...extra });

  /** The same database, opened beside the service (SQLite's WAL lets a reader in). */
  async function inspect<T>(look: (db: Database, query: <R>(sql: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
    const db = await openDatabase(loadConfig(databaseEnv()).database, pino({ level: 'silent' }));
    const query = <R>(sql: string, params: unknown[] = []) => db.dataSource.query(onPostgres ? numberedPlaceholders(sql) : sql, params) as Promise<R[]>;
    try {
      return await look(db, query);
    } finally {
      await db.close();
    }
  }

  test('when SIGTERM arrives under load, then in-flight requests finish normally, readiness fails at once, new connections are refused after the drain, and it exits 0', async () => {
    const drainMs = 1500;
    const service = await start({ SHUTDOWN_DRAIN_MS: String(drainMs), SHUTDOWN_TIMEOUT_MS: '10000' });
    const outcomes: Array<{ startedAt: number; result: number | string }> = [];
    const acknowledged: number[] = [];
    let stop = false;
    const client = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        const startedAt = Date.now();
        const result = await (i % 2
          ? fetch(`${service.baseUrl}/orders?limit=5`, { headers: { user_id: String((worker % 5) + 1) } })
          : fetch(`${service.baseUrl}/orders`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', user_id: String((worker % 5) + 1) },
              body: JSON.stringify({ products: [{ id: (i % 17) + 1, quantity: 1 }] }),
            })
        ).then(
          async (res) => {
            if (res.status === 201) acknowledged.push(((await res.json()) as { id: number }).id);
            return res.status;
          },
          (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message,
        );
        outcomes.push({ startedAt, result });
        if (typeof result === 'string') await delay(20);
      }
    };
    const clients = Array.from({ length: 12 }, (_, worker) => client(worker));
    while (outcomes.length < 40) await delay(10);

    const signalledAt = Date.now();
    service.process.kill('SIGTERM');
    // The signal reaches a busy process when the scheduler lets it: poll, and time it.
    let readiness = 200;
    while (readiness === 200 && Date.now() - signalledAt < 2000) {
      readiness = await fetch(`${service.baseUrl}/health/ready`).then((res) => res.status);
    }
    const notReadyAfterMs = Date.now() - signalledAt;
    const exitCode = await service.exited;
    const exitedAfterMs = Date.now() - signalledAt;
    await delay(200);
    const afterExit = await fetch(`${service.baseUrl}/health/live`).then((res) => res.status, (error: Error & { cause?: { code?: string } }) => error.cause?.code);
    stop = true;
    await Promise.all(clients);

    const before = outcomes.filter((o) => o.startedAt < signalledAt);
    const duringDrain = outcomes.filter((o) => o.startedAt >= signalledAt && o.startedAt < signalledAt + drainMs - 300);
    expect(before.length).toBeGreaterThanOrEqual(40);
    expect(before.filter((o) => o.result !== 200 && o.result !== 201)).toEqual([]);
    expect(duringDrain.length).toBeGreaterThan(0);
    expect(duringDrain.filter((o) => o.result !== 200 && o.result !== 201)).toEqual([]);
    expect(outcomes.filter((o) => typeof o.result === 'number' && o.result >= 500)).toEqual([]);
    expect(readiness).toBe(503);
    expect(notReadyAfterMs).toBeLessThan(1000);
    expect(afterExit).toBe('ECONNREFUSED');
    expect(exitCode).toBe(0);
    expect(exitedAfterMs).toBeLessThan(10_000);
    const stored = await inspect(async (_db, query) => ({
      broken: await brokenInvariants(query),
      ids: (await query<{ id: number }>('SELECT id FROM orders')).map((row) => Number(row.id)),
    }));
    const lost = acknowledged.filter((id) => !stored.ids.includes(id));
    expect(stored.broken).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    // Every order a client was told was created (201) is in the database after the exit.
    expect(lost).toEqual([]);
    recordFigures('sigterm under load', { requests: outcomes.length, faultsInjected: 1, ordersAcknowledged: acknowledged.length, ordersLost: lost.length });
  }, 60_000);

  test('when SIGKILL lands in a burst of order creation, then after a restart every order is whole, stock adds up, and unanswered requests retry safely with their keys', async () => {
    const first = await start();
    const initialStock = await inspect((_db, query) => stockLevels(query));
    const burst = Array.from({ length: 120 }, (_, i) => ({
      key: `burst-${i}`,
      body: { products: [{ id: 5, quantity: (i % 3) + 1 }, { id: (i % 4) + 6, quantity: 1 }] },
    }));
    const post = (baseUrl: string, entry: (typeof burst)[number]) =>
      fetch(`${baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', user_id: '2', 'idempotency-key': entry.key },
        body: JSON.stringify(entry.body),
      }).then(
        async (res) => ({ status: res.status, id: res.status === 201 ? ((await res.json()) as { id: number }).id : undefined }),
        () => ({ status: 0, id: undefined }),
      );
    let answered = 0;
    const inFlight = burst.map((entry) =>
      post(first.baseUrl, entry).then((outcome) => {
        answered += 1;
        return outcome;
      }),
    );
    while (answered < 15) await delay(2);
    first.process.kill('SIGKILL');
    const outcomes = await Promise.all(inFlight);
    expect(await first.exited).toBe(null);

    const acknowledged = outcomes.flatMap((o) => (o.status === 201 ? [o.id!] : []));
    const unanswered = burst.filter((_, i) => outcomes[i].status === 0);
    expect(acknowledged.length).toBeGreaterThanOrEqual(15);
    expect(unanswered.length).toBeGreaterThan(0);

    const second = await start();
    const afterCrash = await inspect(async (_db, query) => ({
      broken: await brokenInvariants(query, initialStock),
      ids: (await query<{ id: number }>('SELECT id FROM orders')).map((row) => Number(row.id)),
    }));
    expect(afterCrash.broken).toEqual([]);
    expect(acknowledged.filter((id) => !afterCrash.ids.includes(id))).toEqual([]);

    const retried = await Promise.all(unanswered.map((entry) => post(second.baseUrl, entry)));
    expect(retried.map((o) => o.status)).toEqual(unanswered.map(() => 201));
    const final = await inspect(async (_db, query) => ({
      broken: await brokenInvariants(query, initialStock),
      orders: (await query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders'))[0].n,
      keys: (await query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM idempotency_keys'))[0].n,
    }));
    expect(final).toEqual({ broken: [], orders: burst.length, keys: burst.length });
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    recordFigures('sigkill during a burst', {
      requests: burst.length + unanswered.length,
      faultsInjected: 1,
      unansweredRetried: unanswered.length,
      ordersLost: acknowledged.filter((id) => !afterCrash.ids.includes(id)).length,
    });
  }, 90_000);
});


