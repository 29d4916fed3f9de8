import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { placeOrder, TRACKING } from '../helpers/orders';

describe('authentication (user_id header)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a number', 'abc'],
    ['zero', '0'],
    ['negative', '-1'],
    ['fractional', '1.5'],
    ['in exponent form', '1e0'],
    ['too large for an id', '99999999999'],
    ['of an unknown user', '999'],
    ['with trailing junk', '1; DROP TABLE users'],
  ])('when the user_id header is %s, then answers 401 problem with a challenge', async (_case, value) => {
    const req = request(t.app).get('/orders');
    const res = await (value === undefined ? req : req.set('user_id', value));

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('UserId realm="order-service"');
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'A valid user_id header is required.' });
  });

  test('when a known user calls, then the request goes through as that user', async () => {
    const order = await placeOrder(t.app, 3);

    expect(order.userId).toBe(3);
  });
});

describe('ownership guard on /orders/:id routes', () => {
  let t: TestApp;
  let ownOrderId: number;
  beforeAll(async () => {
    t = await createTestApp();
    ownOrderId = (await placeOrder(t.app, 1)).id;
  });
  afterAll(() => t.close());

  const routes: Array<[string, string, object | undefined]> = [
    ['GET', '', undefined],
    ['PATCH', '/tracking', TRACKING],
    ['PATCH', '/status', { status: 'processing' }],
    ['PATCH', '/cancel', undefined],
  ];

  test.each(routes)(
    "when another user calls %s /orders/:id%s, then answers 404 exactly like a missing order and changes nothing",
    async (method, suffix, body) => {
      const before = await t.query('SELECT status, updated_at FROM orders WHERE id = ?', [ownOrderId]);
      const call = (userId: string, id: number) => {
        const req = request(t.app)[method.toLowerCase() as 'get' | 'patch'](`/orders/${id}${suffix}`).set('user_id', userId);
        return body ? req.send(body) : req;
      };

      const stranger = await call('2', ownOrderId);
      const missing = await call('2', 987654);

      expect(stranger.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(stranger.body.title).toBe(missing.body.title);
      expect(stranger.body.detail.replace(String(ownOrderId), 'N')).toBe(missing.body.detail.replace('987654', 'N'));
      expect(await t.query('SELECT status, updated_at FROM orders WHERE id = ?', [ownOrderId])).toEqual(before);
      expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM shipments')).toEqual([{ n: 0 }]);
    },
  );

  test.each(routes)('when nobody is authenticated, %s /orders/:id%s answers 401', async (method, suffix, body) => {
    const req = request(t.app)[method.toLowerCase() as 'get' | 'patch'](`/orders/${ownOrderId}${suffix}`);
    const res = await (body ? req.send(body) : req);

    expect(res.status).toBe(401);
  });

  test.each(['abc', '0', '-1', '1e3', '1.5', '9223372036854775808'])(
    'when the order id is %s, then answers 400 before looking anything up',
    async (id) => {
      const res = await request(t.app).get(`/orders/${id}`).set('user_id', '1');

      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('/path/id');
    },
  );
});
