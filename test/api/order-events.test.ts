import request from 'supertest';
import type { OrderEvent } from '../../service/api-types';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { placeOrder, TRACKING } from '../helpers/orders';

describe('GET /orders/:id/events', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const events = async (id: number, userId = '1') => {
    const res = await request(t.app).get(`/orders/${id}/events`).set('user_id', userId);
    expect(res.status).toBe(200);
    return res.body.data as OrderEvent[];
  };
  const patch = (id: number, suffix: string, body?: object) => {
    const req = request(t.app).patch(`/orders/${id}${suffix}`).set('user_id', '1');
    return body ? req.send(body) : req;
  };

  test('when an order lives its life, then every change is recorded, oldest first, each readable on its own', async () => {
    const order = await placeOrder(t.app, 1, { products: [{ id: 9, quantity: 2 }] });
    await patch(order.id, '/tracking', TRACKING);
    await patch(order.id, '/tracking', { shippingProvider: 'UPS', trackingNumber: '1Z999' });
    await patch(order.id, '/status', { status: 'processing' });
    await patch(order.id, '/cancel');

    const history = await events(order.id);

    expect(history.map((e) => [e.type, e.orderVersion, e.actorUserId, e.userId, e.orderId])).toEqual([
      ['created', 1, 1, 1, order.id],
      ['tracking_set', 2, 1, 1, order.id],
      ['tracking_replaced', 3, 1, 1, order.id],
      ['status_changed', 4, 1, 1, order.id],
      ['cancelled', 5, 1, 1, order.id],
    ]);
    const [line] = order.products;
    const [shipment] = (await request(t.app).get(`/orders/${order.id}/shipments`).set('user_id', '1')).body.data;
    expect(history.map((e) => [e.from, e.to])).toEqual([
      [null, { status: 'pending', marketplace: 'us', locale: 'en-US', currency: 'USD', total: 598, products: [{ id: line.id, productId: 9, quantity: 2, unitPrice: 299, lineTotal: 598 }] }],
      [null, { shipment: TRACKING, shipmentId: shipment.id }],
      [{ shipment: TRACKING }, { shipment: { shippingProvider: 'UPS', trackingNumber: '1Z999' }, shipmentId: shipment.id }],
      [{ status: 'pending' }, { status: 'processing' }],
      [
        { status: 'processing', shipment: { shippingProvider: 'UPS', trackingNumber: '1Z999' } },
        { status: 'cancelled', shipment: null, stockReturned: [{ productId: 9, quantity: 2 }], cancelledShipments: [shipment.id] },
      ],
    ]);
    const times = history.map((e) => Date.parse(e.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('when a change is refused or changes nothing, then no event is recorded', async () => {
    const order = await placeOrder(t.app, 1);
    await patch(order.id, '/status', { status: 'delivered' });
    await patch(order.id, '/status', { status: 'processing' }).set('If-Match', '"9"');
    await patch(order.id, '/cancel');
    await patch(order.id, '/cancel');

    expect((await events(order.id)).map((e) => e.type)).toEqual(['created', 'cancelled']);
  });

  test('when the order is not the caller\'s, then answers 404 like any other order route', async () => {
    const order = await placeOrder(t.app, 1);

    const res = await request(t.app).get(`/orders/${order.id}/events`).set('user_id', '2');

    expect(res.status).toBe(404);
  });

  test('when nobody is authenticated or the id is bad, then answers 401 or 400', async () => {
    expect((await request(t.app).get('/orders/1/events')).status).toBe(401);
    expect((await request(t.app).get('/orders/x/events').set('user_id', '1')).status).toBe(400);
  });

  test('when an order is created, then its event is in the outbox, unpublished', async () => {
    const order = await placeOrder(t.app, 2);

    const rows = await t.query<{ type: string; published_at: unknown }>('SELECT type, published_at FROM order_events WHERE order_id = ?', [order.id]);

    expect(rows).toEqual([{ type: 'created', published_at: null }]);
  });
});
