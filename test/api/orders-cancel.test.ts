import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { advance, placeOrder, TRACKING } from '../helpers/orders';

describe('PATCH /orders/:id/cancel', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const cancel = (id: number, userId = '1') => request(t.app).patch(`/orders/${id}/cancel`).set('user_id', userId);
  const rows = async (table: string, id: number) =>
    (await t.query<{ n: number }>(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM ${table} WHERE ${table === 'orders' ? 'id' : 'order_id'} = ?`, [id]))[0].n;

  test.each([[[]], [['processing']]])(
    'when an order (after %j) is cancelled, then answers 200, cancels its shipment and keeps the order, its lines and the shipment',
    async (path) => {
      const order = await placeOrder(t.app, 1);
      await advance(t.app, 1, order.id, ...path);
      await request(t.app).patch(`/orders/${order.id}/tracking`).set('user_id', '1').send(TRACKING);

      const res = await cancel(order.id);

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: order.id, status: 'cancelled', shipment: null, total: order.total, products: order.products });
      expect(res.body.shipments.map((shipment: { status: string }) => shipment.status)).toEqual(['cancelled']);
      expect(await t.query("SELECT status FROM shipments WHERE order_id = ?", [order.id])).toEqual([{ status: 'cancelled' }]);
      expect(await rows('orders', order.id)).toBe(1);
      expect(await rows('order_lines', order.id)).toBe(2);
    },
  );

  test.each([[['processing', 'shipped']], [['processing', 'shipped', 'delivered']]])(
    'when the order has gone that far (%j), then answers 409 and keeps its status and shipment',
    async (path) => {
      const order = await placeOrder(t.app, 1);
      await request(t.app).patch(`/orders/${order.id}/tracking`).set('user_id', '1').send(TRACKING);
      const before = await advance(t.app, 1, order.id, ...path);

      const res = await cancel(order.id);

      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ type: 'urn:order-service:problem:order-not-cancellable', currentStatus: before.status });
      expect((await request(t.app).get(`/orders/${order.id}`).set('user_id', '1')).body).toEqual(before);
    },
  );

  test('when the order is already cancelled, then answers 200 with the order unchanged', async () => {
    const order = await placeOrder(t.app, 1);
    const first = await cancel(order.id);

    const second = await cancel(order.id);

    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
  });

  test('when the request has no body at all, then the cancel still works (clients send none)', async () => {
    const order = await placeOrder(t.app, 2);

    const res = await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '2').set('Content-Length', '0');

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
  });

  test('when the id is not a number, then answers 400', async () => {
    const res = await request(t.app).patch('/orders/first/cancel').set('user_id', '1');

    expect(res.status).toBe(400);
  });
});
