import request from 'supertest';
import type { Order, OrderEvent, OrderShipment } from '../../service/api-types';
import { brokenInvariants } from '../helpers/consistency';
import { createShipment, moveShipment, placeOrder, UPS_NUMBER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('a shipment\'s status, and the order\'s with it', () => {
  let t: TestApp;
  let order: Order;
  let first: OrderShipment;
  let second: OrderShipment;
  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(async () => {
    order = await placeOrder(t.app, 1);
    const [chocolate, beans] = order.products;
    first = await createShipment(t.app, 1, order.id, { lines: [{ orderLineId: chocolate.id, quantity: 7 }], carrier: 'UPS', trackingNumber: UPS_NUMBER });
    second = await createShipment(t.app, 1, order.id, { lines: [{ orderLineId: beans.id, quantity: 1 }] });
  });
  afterAll(() => t.close());

  const status = (shipment: OrderShipment, body: object, user = '1') =>
    request(t.app).patch(`/orders/${order.id}/shipments/${shipment.id}/status`).set('user_id', user).send(body);
  const cancel = (shipment: OrderShipment, user = '1') => request(t.app).patch(`/orders/${order.id}/shipments/${shipment.id}/cancel`).set('user_id', user);
  const current = async () => (await request(t.app).get(`/orders/${order.id}`).set('user_id', '1')).body as Order;
  const events = async () => ((await request(t.app).get(`/orders/${order.id}/events`).set('user_id', '1')).body.data as OrderEvent[]).slice(3);

  test('when shipments ship one by one and arrive, then the order moves from processing to shipped to delivered with them', async () => {
    const shipped = await status(first, { status: 'shipped' });
    const partly = await current();
    await moveShipment(t.app, 1, second, 'shipped');
    const whole = await current();
    await moveShipment(t.app, 1, first, 'delivered');
    const oneArrived = await current();
    await moveShipment(t.app, 1, second, 'delivered');
    const arrived = await current();

    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: 'shipped', shippedAt: expect.any(String), deliveredAt: null });
    expect(shipped.headers.etag).toBe('"4"');
    expect([partly, whole, oneArrived, arrived].map((o) => [o.status, o.fulfilment])).toEqual([
      ['processing', 'partially_shipped'],
      ['shipped', 'shipped'],
      ['shipped', 'shipped'],
      ['delivered', 'delivered'],
    ]);
    expect(await brokenInvariants(t.query)).toEqual([]);
  });

  test('when a shipment ships, then its event tells a notification which items went, with which carrier and link', async () => {
    await status(first, { status: 'shipped' });

    const [event] = await events();

    expect(event).toMatchObject({
      type: 'shipment.shipped',
      orderVersion: 4,
      from: { shipment: { status: 'pending' }, orderStatus: 'pending' },
      to: {
        orderStatus: 'processing',
        fulfilment: 'partially_shipped',
        shipment: {
          id: first.id,
          status: 'shipped',
          carrier: 'UPS',
          trackingNumber: UPS_NUMBER,
          trackingUrl: `https://www.ups.com/track?tracknum=${UPS_NUMBER}`,
          lines: [{ orderLineId: order.products[0].id, productId: 9, quantity: 7 }],
        },
      },
    });
  });

  test.each([
    ['delivered', 'pending', ['shipped']],
    ['pending', 'pending', ['shipped']],
    ['cancelled', 'pending', ['shipped']],
  ])('when a pending shipment is moved to %s, then answers 409 with what it may move to, and nothing changes', async (target, currentStatus, allowed) => {
    const res = await status(first, { status: target });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:order-service:problem:invalid-shipment-transition', currentShipmentStatus: currentStatus, allowedShipmentStatuses: allowed });
    expect((await current()).version).toBe(3);
  });

  test('when a pending shipment is cancelled, then its units are free for another shipment, and cancelling again changes nothing', async () => {
    const res = await cancel(first);
    const again = await cancel(first);
    const replacement = await request(t.app)
      .post(`/orders/${order.id}/shipments`)
      .set('user_id', '1')
      .send({ lines: [{ orderLineId: order.products[0].id, quantity: 7 }] });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    expect([again.status, again.headers.etag]).toEqual([200, res.headers.etag]);
    expect(replacement.status).toBe(201);
    expect((await events()).map((e) => e.type)).toEqual(['shipment.cancelled', 'shipment.created']);
  });

  test('when a shipped shipment is cancelled, then answers 409 and it stays shipped', async () => {
    await moveShipment(t.app, 1, first, 'shipped');

    const res = await cancel(first);

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:order-service:problem:shipment-not-cancellable', currentShipmentStatus: 'shipped' });
    expect((await current()).shipments[0].status).toBe('shipped');
  });

  test('when the order is cancelled with pending shipments, then they are cancelled with it; once one has shipped, it answers 409', async () => {
    const other = await placeOrder(t.app, 1);
    const pending = await createShipment(t.app, 1, other.id, { lines: [{ orderLineId: other.products[0].id, quantity: 1 }] });
    await moveShipment(t.app, 1, first, 'shipped');

    const cancelled = await request(t.app).patch(`/orders/${other.id}/cancel`).set('user_id', '1');
    const refused = await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '1');

    expect(cancelled.status).toBe(200);
    expect(cancelled.body.shipments).toEqual([expect.objectContaining({ id: pending.id, status: 'cancelled' })]);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'urn:order-service:problem:order-not-cancellable', shipmentIds: [first.id] });
    expect((await current()).status).toBe('processing');
  });

  test('when the shipment belongs to another order or the order to someone else, then 404; when nobody asks, 401', async () => {
    const other = await placeOrder(t.app, 1);

    const elsewhere = await request(t.app).patch(`/orders/${other.id}/shipments/${first.id}/status`).set('user_id', '1').send({ status: 'shipped' });
    const cancelElsewhere = await request(t.app).patch(`/orders/${other.id}/shipments/${first.id}/cancel`).set('user_id', '1');
    const stranger = await status(first, { status: 'shipped' }, '2');
    const strangerCancel = await cancel(first, '2');
    const nobody = await request(t.app).patch(`/orders/${order.id}/shipments/${first.id}/status`).send({ status: 'shipped' });
    const nobodyCancel = await request(t.app).patch(`/orders/${order.id}/shipments/${first.id}/cancel`);

    expect([elsewhere.status, cancelElsewhere.status, stranger.status, strangerCancel.status, nobody.status, nobodyCancel.status]).toEqual([404, 404, 404, 404, 401, 401]);
    expect(elsewhere.body.detail).toBe(`Order ${other.id} has no shipment ${first.id}.`);
    expect((await current()).version).toBe(3);
  });

  test('when If-Match is stale, then 412; a bad shipment id or status is 400', async () => {
    const stale = await status(first, { status: 'shipped' }).set('If-Match', '"2"');
    const staleCancel = await cancel(first).set('If-Match', '"2"');
    const badId = await request(t.app).patch(`/orders/${order.id}/shipments/0/status`).set('user_id', '1').send({ status: 'shipped' });
    const badCancelId = await request(t.app).patch(`/orders/${order.id}/shipments/1e3/cancel`).set('user_id', '1');
    const badStatus = await status(first, { status: 'lost' });
    const fresh = await status(first, { status: 'shipped' }).set('If-Match', '"3"');

    expect([stale.status, staleCancel.status, badId.status, badCancelId.status, badStatus.status, fresh.status]).toEqual([412, 412, 400, 400, 400, 200]);
  });
});
