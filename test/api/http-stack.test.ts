import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { README_ORDER } from '../helpers/orders';

describe('the HTTP stack', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test.each([
    ['a success', () => request(t.app).get('/orders').set('user_id', '1'), 200],
    ['a 401', () => request(t.app).get('/orders'), 401],
    ['a 404 of an unknown route', () => request(t.app).get('/nowhere'), 404],
    ['a 400', () => request(t.app).post('/orders').set('user_id', '1').send({}), 400],
  ])("when answering %s, then helmet's headers are present and X-Powered-By is not", async (_case, call, status) => {
    const res = await call();

    expect(res.status).toBe(status);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  test('when the caller sends an X-Request-Id, then it is echoed back and quoted in problems', async () => {
    const res = await request(t.app).get('/orders').set('X-Request-Id', 'trace-abc.123');

    expect(res.headers['x-request-id']).toBe('trace-abc.123');
    expect(res.body.requestId).toBe('trace-abc.123');
  });

  test('when the caller sends no X-Request-Id, then each response gets a fresh one', async () => {
    const [a, b] = await Promise.all([request(t.app).get('/health/live'), request(t.app).get('/health/live')]);

    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  test('when the X-Request-Id could forge log lines, then it is replaced by a generated one', async () => {
    const res = await request(t.app).get('/health/live').set('X-Request-Id', 'a b"\\c');

    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('when a route does not exist, then answers 404 problem+json', async () => {
    const res = await request(t.app).get('/orders/1/invoice').set('user_id', '1');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404, instance: '/orders/1/invoice' });
  });

  test('when the method is not supported, then answers 405 problem+json with Allow', async () => {
    const res = await request(t.app).delete('/orders/1').set('user_id', '1');

    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.body).toMatchObject({ title: 'Method Not Allowed', status: 405 });
  });

  test('when errors happen, then no response carries a stack trace or SQL', async () => {
    const responses = await Promise.all([
      request(t.app).post('/orders').set('user_id', '1').set('Content-Type', 'application/json').send('{"products":'),
      request(t.app).post('/orders').set('user_id', '1').send({ products: [{ id: 12345, quantity: 1 }] }),
      request(t.app).get('/orders/99999').set('user_id', '1'),
    ]);

    for (const res of responses) {
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/\n\s+at |node_modules|SELECT|INSERT|SQLITE/i);
    }
  });

  test('when JSON arrives with a charset other than UTF-8, then answers 415', async () => {
    const res = await request(t.app)
      .post('/orders')
      .set('user_id', '1')
      .set('Content-Type', 'application/json; charset=latin1')
      .send(JSON.stringify(README_ORDER));

    expect(res.status).toBe(415);
  });
});
