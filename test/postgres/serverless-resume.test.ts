import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import pino from 'pino';
import { loadConfig } from '../../service/config';
import { openDatabase } from '../../service/db/open-database';
import { seedDevelopmentData } from '../../service/seed/development-seed';
import { createApiHandler, type ApiHandlerOptions, type ContainerHandler } from '../../service/serverless/api-handler';
import { asResponse, httpApiEvent, lambdaContext, type HttpRequest } from '../helpers/http-api-event';
import { README_ORDER } from '../helpers/orders';
import { describeWithPostgresBinaries, PgCluster } from '../helpers/pg-cluster';

/**
 * Aurora Serverless v2 at 0 ACU pauses after minutes without a connection and resumes (about
 * 15 s) when one is attempted. Here the pause is a stopped server (connections refused) or a
 * proxy that holds new connections unanswered, and the resume takes a few seconds.
 */
describeWithPostgresBinaries('the Lambda handler and a database that pauses', () => {
  let cluster: PgCluster;
  let proxy: PausingProxy;
  const containers: ContainerHandler[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const logDestination = { write: (line: string) => void logs.push(JSON.parse(line)) };

  const container = (env: Record<string, string> = {}, options: ApiHandlerOptions = {}, url = cluster.url('orders')) => {
    const handler = createApiHandler(
      { DATABASE_URL: url, DB_POOL_SIZE: '1', DB_STARTUP_RETRY_MS: '15000', DB_CONNECT_TIMEOUT_MS: '1000', LOG_LEVEL: 'info', ...env },
      { logDestination, ...options },
    );
    containers.push(handler);
    return handler;
  };
  const send = async (handler: ContainerHandler, request: HttpRequest) => asResponse(await handler(httpApiEvent(request), lambdaContext()));
  const listOrders: HttpRequest = { method: 'GET', url: '/orders', headers: { user_id: '1' } };
  const createOrder: HttpRequest = { method: 'POST', url: '/orders', headers: { user_id: '1' }, body: README_ORDER };

  beforeAll(async () => {
    cluster = await PgCluster.primary();
    await cluster.sql('CREATE DATABASE orders');
    const db = await openDatabase(loadConfig({ DATABASE_URL: cluster.url('orders') }).database, pino({ level: 'silent' }));
    await db.migrate();
    await seedDevelopmentData(db);
    await db.close();
    proxy = await PausingProxy.to(cluster.port);
  }, 60_000);

  afterEach(async () => {
    await Promise.all(containers.splice(0).map((c) => c.close().catch(() => undefined)));
    proxy.resume();
    logs.length = 0;
  });

  afterAll(async () => {
    await proxy?.close();
    await cluster?.destroy();
  });

  test('when the database paused while a warm container was idle, then the next request waits for it to resume and succeeds', async () => {
    // GIVEN a warm container (its idle check set to 0 ms: every request after the first checks)
    const handler = container({}, { idleBeforeCheckMs: 0 });
    expect((await send(handler, listOrders)).status).toBe(200);

    // WHEN the database pauses, and resumes 3 s after the next request arrives
    await cluster.stop();
    const started = Date.now();
    const resumed = delay(3000).then(() => cluster.start());
    const res = await send(handler, createOrder);
    await resumed;

    // THEN that request waited and was served; the wait is in the log
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
    expect(logs.some((l) => l.msg === 'database not answering (resuming from a pause?); waiting')).toBe(true);
    expect(logs.some((l) => l.msg === 'database answering again')).toBe(true);
  }, 30_000);

  test('when a container was busy moments ago, then it does not wait: an outage answers 503 with Retry-After at once, and it recovers by itself', async () => {
    // GIVEN a container that served a request just now
    const handler = container();
    expect((await send(handler, listOrders)).status).toBe(200);

    // WHEN the database goes away (not a pause: Aurora never pauses under a connection)
    await cluster.stop();
    const started = Date.now();
    const down = await send(handler, listOrders);
    const elapsedMs = Date.now() - started;
    await cluster.start();

    // THEN the request is not held up: the app's own 503 problem
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('2');
    expect(down.json).toMatchObject({ type: 'urn:order-service:problem:database-unavailable', status: 503 });
    expect(elapsedMs).toBeLessThan(5000);
    expect((await send(handler, listOrders)).status).toBe(200);
  }, 30_000);

  test('when a cold start meets a paused database, then the first request waits for the resume within DB_STARTUP_RETRY_MS', async () => {
    await cluster.stop();
    const handler = container();

    const resumed = delay(3000).then(() => cluster.start());
    const res = await send(handler, createOrder);
    await resumed;

    expect(res.status).toBe(201);
    expect(logs.filter((l) => l.msg === 'database not reachable yet; retrying').length).toBeGreaterThanOrEqual(2);
  }, 30_000);

  test('when the database stays away longer than DB_STARTUP_RETRY_MS, then 503 problem with Retry-After, and the next request after it returns connects', async () => {
    await cluster.stop();
    const handler = container({ DB_STARTUP_RETRY_MS: '1500' });

    const down = await send(handler, listOrders);
    await cluster.start();
    const up = await send(handler, listOrders);

    expect(down.status).toBe(503);
    expect(down.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(down.headers['retry-after']).toBe('2');
    expect(down.json.detail).toBe('The database is not reachable right now; nothing was changed. Retry shortly.');
    expect(up.status).toBe(200);
  }, 30_000);

  test('when the database does not answer within DB_STARTUP_RETRY_MS, then the 503 comes on time, even while an attempt is still connecting', async () => {
    // GIVEN a warm container whose connection attempts take longer than its whole budget
    const handler = container({ DB_STARTUP_RETRY_MS: '3000', DB_CONNECT_TIMEOUT_MS: '10000' }, { idleBeforeCheckMs: 0 }, `postgres://postgres@127.0.0.1:${proxy.port}/orders`);
    expect((await send(handler, listOrders)).status).toBe(200);

    // WHEN the database stops answering altogether
    proxy.pause();
    const started = Date.now();
    const res = await send(handler, listOrders);

    // THEN the client gets the 503 problem when the budget ends, not after the attempt's own timeout
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(logs.some((l) => l.msg === 'database still not answering; giving up')).toBe(true);
  }, 30_000);

  test('when connection attempts are held unanswered while it resumes, then the connect timeout and the retries ride it out', async () => {
    // GIVEN a warm container reaching the database through a proxy
    const handler = container({}, { idleBeforeCheckMs: 0 }, `postgres://postgres@127.0.0.1:${proxy.port}/orders`);
    expect((await send(handler, listOrders)).status).toBe(200);

    // WHEN the proxy drops the container's idle connection and holds new ones for 3.5 s
    proxy.pause();
    const resumed = delay(3500).then(() => proxy.resume());
    const res = await send(handler, createOrder);
    await resumed;

    // THEN the request still succeeds, after several one-second attempts timed out
    expect(res.status).toBe(201);
    expect(logs.filter((l) => l.msg === 'database not answering (resuming from a pause?); waiting').length).toBeGreaterThanOrEqual(1);
  }, 30_000);
});

/** A TCP proxy to PostgreSQL that can "pause": it cuts every connection, then accepts new ones but answers nothing until resumed. */
class PausingProxy {
  private paused = false;
  private readonly held: net.Socket[] = [];
  private readonly open = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private readonly targetPort: number,
  ) {
    server.on('connection', (client) => (this.paused ? this.held.push(client) : this.forward(client)));
  }

  static async to(targetPort: number): Promise<PausingProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new PausingProxy(server, targetPort);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  pause(): void {
    this.paused = true;
    for (const socket of this.open) socket.destroy();
  }

  resume(): void {
    this.paused = false;
    for (const client of this.held.splice(0)) if (!client.destroyed) this.forward(client);
  }

  async close(): Promise<void> {
    this.pause();
    for (const client of this.held.splice(0)) client.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private forward(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.open.add(socket);
      socket.on('close', () => this.open.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  }
}
