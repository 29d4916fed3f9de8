import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { placeOrder, TRACKING } from '../helpers/orders';

describe('versions, ETag and If-Match', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const changes: Array<[string, string, object | undefined]> = [
    ['PATCH /orders/:id/tracking', '/tracking', TRACKING],
    ['PATCH /orders/:id/status', '/status', { status: 'processing' }],
    ['PATCH /orders/:id/cancel', '/cancel', undefined],
  ];
  const patch = (id: number, suffix: string, body: object | undefined, ifMatch?: string) => {
    const req = request(t.app).patch(`/orders/${id}${suffix}`).set('user_id', '1');
    const withHeader = ifMatch === undefined ? req : req.set('If-Match', ifMatch);
    return body ? withHeader.send(body) : withHeader;
  };
  const storedVersion = async (id: number) => (await t.query<{ version: number }>('SELECT version FROM orders WHERE id = ?', [id]))[0].version;

  test('when an order is created and read, then it carries version 1 and the ETag "1"', async () => {
    const created = await request(t.app).post('/orders').set('user_id', '1').send({ products: [{ id: 1, quantity: 1 }] });
    const read = await request(t.app).get(`/orders/${created.body.id}`).set('user_id', '1');

    expect(created.body.version).toBe(1);
    expect(created.headers.etag).toBe('"1"');
    expect(read.headers.etag).toBe('"1"');
  });

  test('when the order changes, then each change moves the version and the ETag on by one', async () => {
    const order = await placeOrder(t.app, 1);

    const tracked = await patch(order.id, '/tracking', TRACKING);
    const moved = await patch(order.id, '/status', { status: 'processing' });
    const cancelled = await patch(order.id, '/cancel', undefined);
    const again = await patch(order.id, '/cancel', undefined);

    expect([tracked, moved, cancelled, again].map((res) => [res.body.version, res.headers.etag])).toEqual([
      [2, '"2"'],
      [3, '"3"'],
      [4, '"4"'],
      [4, '"4"'],
    ]);
  });

  test.each(changes)('when %s sends the current ETag in If-Match, then the change goes through', async (_route, suffix, body) => {
    const order = await placeOrder(t.app, 1);

    const res = await patch(order.id, suffix, body, '"1"');

    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
  });

  test.each(changes)('when %s sends a stale ETag, then answers 412 with the current version and changes nothing', async (_route, suffix, body) => {
    const order = await placeOrder(t.app, 1);
    await patch(order.id, '/tracking', { shippingProvider: 'UPS', trackingNumber: '1Z1' });

    const res = await patch(order.id, suffix, body, '"1"');

    expect(res.status).toBe(412);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ type: 'urn:order-service:problem:version-mismatch', currentVersion: 2 });
    expect(await storedVersion(order.id)).toBe(2);
  });

  test('when two clients read version 1 and both change it, then the second is refused instead of silently overwriting', async () => {
    const order = await placeOrder(t.app, 1);

    const first = await patch(order.id, '/tracking', { shippingProvider: 'UPS', trackingNumber: '1Z1' }, '"1"');
    const second = await patch(order.id, '/tracking', { shippingProvider: 'DHL', trackingNumber: '99' }, '"1"');

    expect([first.status, second.status]).toEqual([200, 412]);
    expect((await request(t.app).get(`/orders/${order.id}`).set('user_id', '1')).body.shipment).toEqual({ shippingProvider: 'UPS', trackingNumber: '1Z1' });
  });

  test.each([
    ['*', 200],
    ['"7", "1"', 200],
    ['W/"1"', 412],
    ['"2"', 412],
  ])('when If-Match is %s on version 1, then answers %i', async (ifMatch, status) => {
    const order = await placeOrder(t.app, 1);

    expect((await patch(order.id, '/status', { status: 'processing' }, ifMatch)).status).toBe(status);
  });

  test.each(['1', '"1', 'abc'])('when If-Match is not an entity tag (%s), then answers 400 explaining the quotes', async (ifMatch) => {
    const order = await placeOrder(t.app, 1);

    const res = await patch(order.id, '/status', { status: 'processing' }, ifMatch);

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: '/header/If-Match', message: 'not an entity-tag list' }]);
  });

  test.each([
    ['GET /orders/{id}', (id: number) => `/orders/${id}`],
    ['GET /orders', () => '/orders'],
    ['GET /orders/{id}/events', (id: number) => `/orders/${id}/events`],
    ['GET /products', () => '/products'],
    ['GET /products/{id}', () => '/products/9'],
  ])('when %s is asked again with If-None-Match holding its ETag, then answers 304 without a body until something changes', async (_route, path) => {
    const order = await placeOrder(t.app, 1);
    const url = path(order.id);
    const first = await request(t.app).get(url).set('user_id', '1');

    const again = await request(t.app).get(url).set('user_id', '1').set('If-None-Match', first.headers.etag);
    await patch(order.id, '/tracking', TRACKING);
    const afterChange = await request(t.app).get(url).set('user_id', '1').set('If-None-Match', first.headers.etag);

    expect(first.headers.etag).toBeTruthy();
    expect([again.status, again.text]).toEqual([304, '']);
    // The products do not change with an order's tracking; the order, its list and its history do.
    expect(afterChange.status).toBe(url.startsWith('/products') ? 304 : 200);
  });

  test.each([
    ['GET /orders/{id}', (id: number) => `/orders/${id}`],
    ['GET /orders', () => '/orders'],
    ['GET /products/{id}', () => '/products/9'],
  ])('when %s says Cache-Control: no-cache with a matching If-None-Match, then the condition still holds: 304', async (_route, path) => {
    const order = await placeOrder(t.app, 1);
    const url = path(order.id);
    const first = await request(t.app).get(url).set('user_id', '1');

    const again = await request(t.app).get(url).set('user_id', '1').set('Cache-Control', 'no-cache').set('If-None-Match', first.headers.etag);
    const weakly = await request(t.app).get(url).set('user_id', '1').set('Cache-Control', 'no-cache, max-age=0').set('If-None-Match', `"x", W/${first.headers.etag.replace(/^W\//, '')}`);
    const other = await request(t.app).get(url).set('user_id', '1').set('Cache-Control', 'no-cache').set('If-None-Match', '"not-this-one"');

    expect([again.status, again.text, again.headers.etag]).toEqual([304, '', first.headers.etag]);
    expect(weakly.status).toBe(304);
    expect([other.status, other.body]).toEqual([200, first.body]);
  });
});
