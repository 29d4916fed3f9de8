import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Order } from '../../service/api-types';
import { startIssuerApp } from '../helpers/issuer-app';
import { placeOrder, README_ORDER, TRACKING } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { bearer, type TestIssuer } from '../helpers/token-issuer';

/** ORDER_POLICY=strict: tracking and status changes are for staff; customers create, read and cancel. */
describe('ORDER_POLICY=strict with the user_id header (customers only)', () => {
  let t: TestApp;
  let order: Order;
  beforeAll(async () => {
    t = await createTestApp({ env: { ORDER_POLICY: 'strict' } });
  });
  beforeEach(async () => {
    order = await placeOrder(t.app, 1);
  });
  afterAll(() => t.close());

  const unchanged = async () =>
    expect(await t.query('SELECT status, updated_at FROM orders WHERE id = ?', [order.id])).toEqual(
      await t.query('SELECT status, created_at AS updated_at FROM orders WHERE id = ?', [order.id]),
    );

  test('when the owner sets tracking, then 403 and nothing changes', async () => {
    const res = await request(t.app).patch(`/orders/${order.id}/tracking`).set('user_id', '1').send(TRACKING);

    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ title: 'Forbidden', detail: 'The order policy does not let you set the tracking of this order.' });
    expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM shipments WHERE order_id = ?', [order.id])).toEqual([{ n: 0 }]);
    await unchanged();
  });

  test('when the owner changes the status, then 403 and nothing changes', async () => {
    const res = await request(t.app).patch(`/orders/${order.id}/status`).set('user_id', '1').send({ status: 'processing' });

    expect(res.status).toBe(403);
    expect(res.body.detail).toBe('The order policy does not let you change the status of this order.');
    await unchanged();
  });

  test('when the owner reads and cancels, then both are allowed', async () => {
    const read = await request(t.app).get(`/orders/${order.id}`).set('user_id', '1');
    const cancelled = await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '1');

    expect(read.status).toBe(200);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  test.each([
    ['PATCH', '/tracking', TRACKING],
    ['PATCH', '/status', { status: 'processing' }],
    ['PATCH', '/cancel', undefined],
    ['GET', '', undefined],
  ])('when another customer calls %s /orders/:id%s, then 404 (not 403: they must not learn it exists)', async (method, suffix, body) => {
    const call = request(t.app)[method.toLowerCase() as 'get' | 'patch'](`/orders/${order.id}${suffix}`).set('user_id', '2');

    const res = await (body ? call.send(body) : call);

    expect(res.status).toBe(404);
  });
});

describe('ORDER_POLICY=strict with tokens (staff do fulfilment)', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  beforeAll(async () => ({ issuer, t } = await startIssuerApp({ env: { ORDER_POLICY: 'strict' } })));
  afterAll(() => t.close());

  test('when the customer orders and staff ship it, then tracking and every status step are accepted from staff only', async () => {
    const customer = bearer(await issuer.customer(randomUUID()));
    const staff = bearer(await issuer.staff());
    const order = (await request(t.app).post('/orders').set('Authorization', customer).send(README_ORDER)).body as Order;

    const byCustomer = await request(t.app).patch(`/orders/${order.id}/status`).set('Authorization', customer).send({ status: 'processing' });
    const tracked = await request(t.app).patch(`/orders/${order.id}/tracking`).set('Authorization', staff).send(TRACKING);
    const steps = [];
    for (const status of ['processing', 'shipped', 'delivered']) {
      steps.push((await request(t.app).patch(`/orders/${order.id}/status`).set('Authorization', staff).send({ status })).status);
    }
    const seen = await request(t.app).get(`/orders/${order.id}`).set('Authorization', customer);

    expect(byCustomer.status).toBe(403);
    expect(tracked.status).toBe(200);
    expect(steps).toEqual([200, 200, 200]);
    expect(seen.body).toMatchObject({ status: 'delivered', shipment: TRACKING });
  });

  test('when a customer cancels their own order, then it is allowed', async () => {
    const customer = bearer(await issuer.customer());
    const order = (await request(t.app).post('/orders').set('Authorization', customer).send(README_ORDER)).body as Order;

    const res = await request(t.app).patch(`/orders/${order.id}/cancel`).set('Authorization', customer);

    expect(res.status).toBe(200);
  });
});
