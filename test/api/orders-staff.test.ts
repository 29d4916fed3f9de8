import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Order } from '../../service/api-types';
import { startIssuerApp } from '../helpers/issuer-app';
import { placeOrder, README_ORDER, TRACKING } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { bearer, type TestIssuer } from '../helpers/token-issuer';

/** Staff (a token in the `staff` group) with the default policy: every order, every user. */
describe('staff and customers (AUTH_MODE=jwt, default policy)', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  const alice = randomUUID();
  const bob = randomUUID();
  const clerk = randomUUID();
  let aliceOrder: Order;
  let bobOrder: Order;
  beforeAll(async () => {
    ({ issuer, t } = await startIssuerApp());
    aliceOrder = await create(alice);
    bobOrder = await create(bob);
  });
  afterAll(() => t.close());

  async function create(sub: string): Promise<Order> {
    const res = await request(t.app).post('/orders').set('Authorization', bearer(await issuer.customer(sub))).send(README_ORDER);
    expect(res.status).toBe(201);
    return res.body as Order;
  }
  const asCustomer = async (sub: string) => bearer(await issuer.customer(sub));
  const asStaff = async () => bearer(await issuer.staff(clerk));
  const ids = (res: request.Response) => res.body.data.map((order: Order) => order.id);

  test('when staff read a customer\'s order, then they get it', async () => {
    const res = await request(t.app).get(`/orders/${aliceOrder.id}`).set('Authorization', await asStaff());

    expect(res.status).toBe(200);
    expect(res.body).toEqual(aliceOrder);
  });

  test('when staff set tracking, move the status and cancel a customer\'s order, then each change applies to it', async () => {
    const order = await create(alice);
    const auth = await asStaff();

    const tracked = await request(t.app).patch(`/orders/${order.id}/tracking`).set('Authorization', auth).send(TRACKING);
    const moved = await request(t.app).patch(`/orders/${order.id}/status`).set('Authorization', auth).send({ status: 'processing' });
    const cancelled = await request(t.app).patch(`/orders/${order.id}/cancel`).set('Authorization', auth);

    expect([tracked.status, moved.status, cancelled.status]).toEqual([200, 200, 200]);
    expect(cancelled.body).toMatchObject({ id: order.id, userId: order.userId, status: 'cancelled', shipment: null });
  });

  test('when staff ask for an order that does not exist, then 404', async () => {
    const res = await request(t.app).get('/orders/987654').set('Authorization', await asStaff());

    expect(res.status).toBe(404);
  });

  test('when staff list orders without a filter, then they get every user\'s, newest first', async () => {
    const res = await request(t.app).get('/orders?limit=100').set('Authorization', await asStaff());

    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(expect.arrayContaining([aliceOrder.id, bobOrder.id]));
    expect(ids(res)).toEqual([...ids(res)].sort((a: number, b: number) => b - a));
  });

  test('when staff list with userId, then they get only that user\'s orders', async () => {
    const res = await request(t.app).get(`/orders?userId=${bobOrder.userId}`).set('Authorization', await asStaff());

    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([bobOrder.id]);
  });

  test('when staff page through every user\'s orders, then the pages cover them all once', async () => {
    const auth = await asStaff();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app).get('/orders').query({ limit: 1, ...(cursor && { cursor }) }).set('Authorization', auth);
      seen.push(...ids(res));
      cursor = res.body.nextCursor;
    } while (cursor);

    const all = await t.query<{ id: number }>('SELECT id FROM orders ORDER BY id DESC');
    expect(seen).toEqual(all.map((row) => row.id));
  });

  test('when a customer lists orders, then only their own come back', async () => {
    const res = await request(t.app).get('/orders').set('Authorization', await asCustomer(bob));

    expect(ids(res)).toEqual([bobOrder.id]);
  });

  test('when a customer names themselves in userId, then they get their own orders', async () => {
    const res = await request(t.app).get(`/orders?userId=${bobOrder.userId}`).set('Authorization', await asCustomer(bob));

    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([bobOrder.id]);
  });

  test('when a customer names another user in userId, then 403 and nothing of theirs is shown', async () => {
    const res = await request(t.app).get(`/orders?userId=${aliceOrder.userId}`).set('Authorization', await asCustomer(bob));

    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ title: 'Forbidden', detail: 'The order policy does not let you list these orders.' });
  });

  test('when a customer names a user that does not exist, then 403 too, so user ids cannot be probed', async () => {
    const res = await request(t.app).get('/orders?userId=987654').set('Authorization', await asCustomer(bob));

    expect(res.status).toBe(403);
  });

  test('when a customer reads or changes another customer\'s order, then 404 as before', async () => {
    const auth = await asCustomer(bob);

    const read = await request(t.app).get(`/orders/${aliceOrder.id}`).set('Authorization', auth);
    const cancel = await request(t.app).patch(`/orders/${aliceOrder.id}/cancel`).set('Authorization', auth);

    expect([read.status, cancel.status]).toEqual([404, 404]);
  });

  test('when staff create an order, then it is their own', async () => {
    const res = await request(t.app).post('/orders').set('Authorization', await asStaff()).send(README_ORDER);

    expect(res.status).toBe(201);
    expect(await t.query('SELECT external_id FROM users WHERE id = ?', [res.body.userId])).toEqual([{ external_id: clerk }]);
  });
});

describe('the userId filter in header mode (everyone is a customer)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await placeOrder(t.app, 1);
    await placeOrder(t.app, 2);
  });
  afterAll(() => t.close());

  test('when user 1 names themselves, then 200 with their orders; naming user 2 answers 403', async () => {
    const own = await request(t.app).get('/orders?userId=1').set('user_id', '1');
    const other = await request(t.app).get('/orders?userId=2').set('user_id', '1');

    expect(own.status).toBe(200);
    expect(own.body.data.map((order: Order) => order.userId)).toEqual([1]);
    expect(other.status).toBe(403);
  });

  test.each(['0', 'abc', '1.5', '2147483648'])('when userId is %s, then 400', async (userId) => {
    const res = await request(t.app).get(`/orders?userId=${userId}`).set('user_id', '1');

    expect(res.status).toBe(400);
  });
});
