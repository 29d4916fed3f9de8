import type { Server } from 'node:http';
import pino from 'pino';
import { createHttpServer, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, listen } from '../../service/http/server';
import { shutDown } from '../../service/shutdown';
import { README_ORDER } from '../helpers/orders';
import { createTestApp, type TestApp, untilReceived } from '../helpers/test-app';

describe('graceful shutdown', () => {
  let t: TestApp;
  let server: Server;
  let base: string;
  beforeEach(async () => {
    t = await createTestApp();
    server = createHttpServer(t.app);
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    if (server.listening) await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  const stop = (drainMs: number, timeoutMs: number) =>
    shutDown({ server, db: t.db, lifecycle: t.lifecycle, logger: pino({ level: 'silent' }), drainMs, timeoutMs }, 'SIGTERM');
  const createOrder = () =>
    fetch(`${base}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', user_id: '1' },
      body: JSON.stringify(README_ORDER),
    });

  test('when a request is in flight, then it completes normally, new connections are refused and the database closes', async () => {
    const block = t.blockOrderCreation();
    await block.held;
    const inFlight = createOrder();
    await untilReceived(t, 1);

    const stopped = stop(0, 5000);
    expect(t.lifecycle.draining).toBe(true);
    await block.release();

    const res = await inFlight;
    expect(res.status).toBe(201);
    expect(res.headers.get('connection')).toBe('close');
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    expect(await stopped).toBe(false);
    expect(t.db.dataSource.isInitialized).toBe(false);
  });

  test('when draining, then requests are still served for the drain period while readiness says 503', async () => {
    // Long enough for both requests on a loaded machine: after it, new connections are refused.
    const stopped = stop(2000, 5000);

    const ready = await fetch(`${base}/health/ready`);
    const orders = await fetch(`${base}/orders`, { headers: { user_id: '1' } });

    expect(ready.status).toBe(503);
    expect(orders.status).toBe(200);
    expect(orders.headers.get('connection')).toBe('close');
    expect(await stopped).toBe(false);
  });

  test('when a request outlives the shutdown timeout, then it is cut off and the shutdown reports it', async () => {
    const block = t.blockOrderCreation();
    await block.held;
    const inFlight = createOrder().then(
      (res) => res.status,
      () => 'connection cut',
    );
    await untilReceived(t, 1);

    const stopping = stop(0, 200);
    const cut = await inFlight;
    await block.release();

    expect(await stopping).toBe(true);
    expect(cut).toBe('connection cut');
  });

  test('keeps idle connections open longer than a load balancer does (60 s)', () => {
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    expect(HEADERS_TIMEOUT_MS).toBeGreaterThan(KEEP_ALIVE_TIMEOUT_MS);
  });
});
