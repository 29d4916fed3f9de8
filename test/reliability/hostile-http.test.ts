import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { createLogger } from '../../service/http/logger';
import { createHttpServer } from '../../service/http/server';
import { placeOrder, README_ORDER, TRACKING } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** Inputs that once got past the contract check or around the app, each answered as a 4xx problem. */
describe('hostile HTTP input', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const expectProblem = (res: request.Response, status: number) => {
    expect([res.status, res.headers['content-type']]).toEqual([status, expect.stringMatching(/^application\/problem\+json/)]);
    expect(res.body.status).toBe(status);
  };

  test.each([
    ['a corrupt gzip body', 'gzip', Buffer.from('xx')],
    ['a truncated gzip body', 'gzip', gzipSync(JSON.stringify(README_ORDER)).subarray(0, 12)],
    ['a corrupt deflate body', 'deflate', Buffer.from('not deflate')],
  ])('when POST /orders sends %s, then it answers 400 and creates nothing', async (_case, encoding, body) => {
    const res = await request(t.app).post('/orders').set('user_id', '1').set('Content-Type', 'application/json').set('Content-Encoding', encoding).send(body);

    expectProblem(res, 400);
    expect(await t.query('SELECT id FROM orders')).toEqual([]);
  });

  test('when POST /orders sends a well-formed gzip body, then the order is created', async () => {
    const server = t.listen();
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;

    const res = await fetch(`http://127.0.0.1:${port}/orders`, {
      method: 'POST',
      headers: { user_id: '1', 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify(README_ORDER)),
    });

    expect(res.status).toBe(201);
  });

  test.each(['Infinity', '-Infinity', '1e999', '9'.repeat(320), '0x10', '1e1', '020', ' 5'])('when GET /orders asks for limit=%s, then it answers 400', async (limit) => {
    expectProblem(await request(t.app).get('/orders').query({ limit }).set('user_id', '1'), 400);
    expectProblem(await request(t.app).get('/products').query({ limit }).set('user_id', '1'), 400);
  });

  test.each(['Infinity', '1e999', '9'.repeat(320), '0x1', '2147483648'])('when GET /orders filters on userId=%s, then it answers 400', async (userId) => {
    expectProblem(await request(t.app).get('/orders').query({ userId }).set('user_id', '1'), 400);
  });

  test.each(['9'.repeat(320), '2147483648', '99999999999999999999'])('when a path id is %s, then every route answers 400', async (id) => {
    expectProblem(await request(t.app).get(`/orders/${id}`).set('user_id', '1'), 400);
    expectProblem(await request(t.app).patch(`/orders/${id}/cancel`).set('user_id', '1'), 400);
    expectProblem(await request(t.app).get(`/products/${id}`).set('user_id', '1'), 400);
  });

  test.each(['v1:2147483648', 'v1:9999999999'])('when a forged cursor holds the position %s past the largest id, then it answers 400', async (position) => {
    const cursor = Buffer.from(position).toString('base64url');

    expectProblem(await request(t.app).get('/orders').query({ cursor }).set('user_id', '1'), 400);
    expectProblem(await request(t.app).get('/products').query({ cursor }).set('user_id', '1'), 400);
  });

  test('when limit and userId are plain decimals in range, then they are used', async () => {
    await placeOrder(t.app, 1);
    await placeOrder(t.app, 1);

    const res = await request(t.app).get('/orders').query({ limit: '1', userId: '1' }).set('user_id', '1');

    expect([res.status, res.body.data.length]).toEqual([200, 1]);
  });

  test.each([
    ['a leap second', '2026-01-01T23:59:60Z'],
    ['an offset of 25 hours', '2026-01-01T00:00:00+25:00'],
    ['an offset of 99:99', '2026-01-01T00:00:00-99:99'],
    ['February 30th', '2026-02-30T00:00:00Z'],
    ['hour 24', '2026-01-01T24:00:00Z'],
  ])('when GET /orders filters on %s, then it answers 400 for createdAfter and createdBefore', async (_case, instant) => {
    expectProblem(await request(t.app).get('/orders').query({ createdAfter: instant }).set('user_id', '1'), 400);
    expectProblem(await request(t.app).get('/orders').query({ createdBefore: instant }).set('user_id', '1'), 400);
  });

  test('when a HEAD request asks for an order or a list, then it gets the GET answer\'s status and headers without a body', async () => {
    const order = await placeOrder(t.app, 1);

    const one = await request(t.app).head(`/orders/${order.id}`).set('user_id', '1');
    const list = await request(t.app).head('/orders').set('user_id', '1');
    const missing = await request(t.app).head('/orders/999999').set('user_id', '1');

    expect([one.status, one.headers.etag, one.headers['content-type'], one.text]).toEqual([200, '"1"', expect.stringMatching(/^application\/json/), undefined]);
    expect([list.status, list.text]).toEqual([200, undefined]);
    expect(missing.status).toBe(404);
  });

  test('when a HEAD request is answered as its GET, then its log line still says HEAD', async () => {
    const lines: string[] = [];
    const logged = await createTestApp({ logger: createLogger('info', { write: (line: string) => void lines.push(line) }) });
    try {
      const order = await placeOrder(logged.app, 1);
      await request(logged.app).head(`/orders/${order.id}`).set('user_id', '1');

      const last = JSON.parse(lines[lines.length - 1]);
      expect([last.req.method, last.req.url, last.res.statusCode]).toEqual(['HEAD', `/orders/${order.id}`, 200]);
    } finally {
      await logged.close();
    }
  });

  test('when a HEAD request names a route without GET, then it answers 405 with Allow', async () => {
    const order = await placeOrder(t.app, 1);

    const res = await request(t.app).head(`/orders/${order.id}/cancel`).set('user_id', '1');

    expect([res.status, res.headers.allow]).toEqual([405, 'PATCH']);
  });

  test('when a GET carries a malformed or oversized JSON body, then the body is ignored and the GET answered', async () => {
    const malformed = await request(t.app).get('/orders').set('user_id', '1').set('Content-Type', 'application/json').send('{bad');
    const huge = await request(t.app).get('/health/live').set('Content-Type', 'application/json').send(JSON.stringify({ pad: 'x'.repeat(200_000) }));

    expect([malformed.status, huge.status]).toEqual([200, 200]);
  });

  test.each(['utf-16', 'utf-16le', 'iso-8859-1'])('when POST /orders declares charset=%s, then it answers 415 and creates nothing', async (charset) => {
    const res = await request(t.app)
      .post('/orders')
      .set('user_id', '1')
      .set('Content-Type', `application/json; charset=${charset}`)
      .send(Buffer.from(JSON.stringify(README_ORDER), charset === 'iso-8859-1' ? 'latin1' : 'utf16le'));

    expectProblem(res, 415);
    expect(await t.query('SELECT id FROM orders')).toEqual([]);
  });

  test('when a shipping provider holds a lone surrogate, then it answers 400; a real emoji is kept intact', async () => {
    const order = await placeOrder(t.app, 1);
    const send = (shippingProvider: string) =>
      request(t.app).patch(`/orders/${order.id}/tracking`).set('user_id', '1').set('Content-Type', 'application/json').send(`{"shippingProvider":"${shippingProvider}","trackingNumber":"${TRACKING.trackingNumber}"}`);

    const lone = await send('\\ud800x');
    const emoji = await send('DHL \\ud83d\\ude9a');

    expectProblem(lone, 400);
    expect([emoji.status, emoji.body.shipment.shippingProvider]).toEqual([200, 'DHL 🚚']);
  });
});

/** What Node's HTTP parser refuses before the app runs, sent over a raw socket. */
describe('requests that are not valid HTTP', () => {
  let t: TestApp;
  let port: number;
  let close: () => Promise<void>;
  beforeAll(async () => {
    t = await createTestApp();
    const server = createHttpServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close();
    await t.close();
  });

  /** Sends `raw` and returns what came back until the server closed the connection. */
  function exchange(raw: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(raw));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
      socket.setTimeout(10_000, () => reject(new Error(`no answer; got so far: ${answer}`)));
    });
  }

  const parsed = (answer: string) => {
    const [head, body] = answer.split('\r\n\r\n');
    return { statusLine: head.split('\r\n')[0], head: head.toLowerCase(), body: JSON.parse(body) };
  };

  test.each([
    ['an unknown method', 'FOO /orders HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a non-numeric Content-Length', 'POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 400],
    ['both Content-Length and Transfer-Encoding', 'POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
    ['a URL over 16 KB', `GET /orders?${'status=pending&'.repeat(1500)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
    ['an unsupported Expect', 'GET /orders HTTP/1.1\r\nHost: x\r\nuser_id: 1\r\nExpect: foo\r\nConnection: close\r\n\r\n', 417],
  ])('when a client sends %s, then it gets a problem+json answer with security headers', async (_case, raw, status) => {
    const { statusLine, head, body } = parsed(await exchange(raw));

    expect(statusLine).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
    expect(head).toContain('content-type: application/problem+json');
    expect(head).toContain('x-content-type-options: nosniff');
    expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  });
});
