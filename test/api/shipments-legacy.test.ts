import request from 'supertest';
import type { Order } from '../../service/api-types';
import { brokenInvariants } from '../helpers/consistency';
import { advance, createShipment, placeOrder, TRACKING, UPS_NUMBER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** Older clients know one shipment per order (PATCH /tracking, `shipment`) and move the status by hand. */
describe('the single-shipment view and the manual status beside split shipments', () => {
  let t: TestApp;
  let order: Order;
  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(async () => {
    order = await placeOrder(t.app, 1);
  });
  afterAll(() => t.close());

  const track = (body: object = TRACKING) => request(t.app).patch(`/orders/${order.id}/tracking`).set('user_id', '1').send(body);
  const status = (target: string) => request(t.app).patch(`/orders/${order.id}/status`).set('user_id', '1').send({ status: target });
  const read = async () => (await request(t.app).get(`/orders/${order.id}`).set('user_id', '1')).body as Order;

  test('when tracking is set on an order without shipments, then one shipment holds every line, and the provider keeps its spelling', async () => {
    const res = await track({ shippingProvider: 'ups', trackingNumber: UPS_NUMBER });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ shipment: { shippingProvider: 'ups', trackingNumber: UPS_NUMBER }, fulfilment: 'fulfilled' });
    expect(res.body.shipments).toEqual([
      expect.objectContaining({
        status: 'pending',
        carrier: 'UPS',
        carrierName: 'ups',
        trackingUrl: `https://www.ups.com/track?tracknum=${UPS_NUMBER}`,
        lines: order.products.map((line) => ({ orderLineId: line.id, productId: line.productId, quantity: line.quantity })),
      }),
    ]);
  });

  test('when the README\'s USPS number (not a USPS format) is set, then it is kept as before, with no tracking link', async () => {
    const res = await track();

    expect(res.body.shipment).toEqual(TRACKING);
    expect(res.body.shipments[0]).toMatchObject({ carrier: 'USPS', trackingNumber: '23987239825', trackingUrl: null });
  });

  test('when the order has one shipment, then tracking replaces that shipment\'s and adds none', async () => {
    const shipment = await createShipment(t.app, 1, order.id, { lines: [{ orderLineId: order.products[0].id, quantity: 1 }] });

    const set = await track();
    const replaced = await track({ shippingProvider: 'DHL Express', trackingNumber: 'JD014600006281230704' });

    expect([set.status, replaced.status]).toEqual([200, 200]);
    expect(replaced.body.shipments).toEqual([expect.objectContaining({ id: shipment.id, carrier: 'other', carrierName: 'DHL Express', trackingNumber: 'JD014600006281230704' })]);
    expect(replaced.body.shipment).toEqual({ shippingProvider: 'DHL Express', trackingNumber: 'JD014600006281230704' });
  });

  test('when the order has several shipments, then tracking answers 409 naming the shipments route, and `shipment` is null', async () => {
    const [chocolate, beans] = order.products;
    const a = await createShipment(t.app, 1, order.id, { lines: [{ orderLineId: chocolate.id, quantity: 7 }], carrier: 'UPS', trackingNumber: UPS_NUMBER });
    const b = await createShipment(t.app, 1, order.id, { lines: [{ orderLineId: beans.id, quantity: 1 }] });

    const res = await track();

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:order-service:problem:several-shipments', shipmentIds: [a.id, b.id] });
    expect(res.body.detail).toContain(`PATCH /orders/${order.id}/shipments/{shipmentId}`);
    expect((await read()).shipment).toBeNull();
  });

  test('when an order without shipments is moved to shipped by hand, then one shipment holding every line ships with it', async () => {
    const shipped = await advance(t.app, 1, order.id, 'processing', 'shipped');
    const delivered = await advance(t.app, 1, order.id, 'delivered');

    expect([shipped.fulfilment, shipped.shipments.map((s) => s.status)]).toEqual(['shipped', ['shipped']]);
    expect([delivered.fulfilment, delivered.shipments.map((s) => s.status)]).toEqual(['delivered', ['delivered']]);
    const events = (await request(t.app).get(`/orders/${order.id}/events`).set('user_id', '1')).body.data;
    expect(events.at(-2).to).toMatchObject({ status: 'shipped', shipments: [{ status: 'shipped', lines: expect.any(Array) }] });
    expect(await brokenInvariants(t.query)).toEqual([]);
  });

  test('when tracked the old way and moved to shipped by hand, then its shipment ships: old clients see what they saw', async () => {
    await track();

    const shipped = await advance(t.app, 1, order.id, 'processing', 'shipped');

    expect(shipped).toMatchObject({ status: 'shipped', shipment: TRACKING, fulfilment: 'shipped' });
    expect(shipped.shipments).toHaveLength(1);
  });

  test('when some units are in no shipment while others are, then moving to shipped by hand answers 409 naming them', async () => {
    const [chocolate, beans] = order.products;
    await createShipment(t.app, 1, order.id, { lines: [{ orderLineId: chocolate.id, quantity: 5 }] });
    await status('processing');

    const res = await status('shipped');

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:order-service:problem:shipments-incomplete',
      unallocated: [
        { orderLineId: chocolate.id, quantity: 2 },
        { orderLineId: beans.id, quantity: 1 },
      ],
    });
    expect((await read()).status).toBe('processing');
  });
});
