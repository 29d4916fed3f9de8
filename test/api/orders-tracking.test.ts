import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { advance, placeOrder, TRACKING } from '../helpers/orders';

describe('PATCH /orders/:id/tracking', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const track = (id: number, body: unknown, userId = '1') =>
    request(t.app).patch(`/orders/${id}/tracking`).set('user_id', userId).send(body as object);
  const shipments = () => t.query('SELECT order_id, shipping_provider, tracking_number FROM shipments');

  test('when the owner sets tracking, then answers 200 with the shipment on the order', async () => {
    const order = await placeOrder(t.app, 1);

    const res = await track(order.id, TRACKING);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: order.id, status: 'pending', shipment: TRACKING });
    expect(Date.parse(res.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(order.updatedAt));
    expect(await shipments()).toEqual([{ order_id: order.id, shipping_provider: 'USPS', tracking_number: '23987239825' }]);
  });

  test('when tracking is set again, then it replaces the single shipment', async () => {
    const order = await placeOrder(t.app, 1);
    await track(order.id, TRACKING);

    const res = await track(order.id, { shippingProvider: 'DHL Express', trackingNumber: 'JD014600006281230704' });

    expect(res.status).toBe(200);
    expect(res.body.shipment).toEqual({ shippingProvider: 'DHL Express', trackingNumber: 'JD014600006281230704' });
    expect(await shipments()).toEqual([{ order_id: order.id, shipping_provider: 'DHL Express', tracking_number: 'JD014600006281230704' }]);
  });

  test('when the same tracking is sent again (a client retrying), then the order comes back unchanged: same version, no new event', async () => {
    const order = await placeOrder(t.app, 1);
    const first = await track(order.id, TRACKING);

    const again = await track(order.id, TRACKING);
    const events = await request(t.app).get(`/orders/${order.id}/events`).set('user_id', '1');

    expect([again.status, again.body.version, again.headers.etag]).toEqual([200, first.body.version, first.headers.etag]);
    expect(again.body.shipment).toEqual(TRACKING);
    expect(events.body.data.map((event: { type: string }) => event.type)).toEqual(['created', 'tracking_set']);
  });

  test('when the order is shipped, then tracking can still be corrected', async () => {
    const order = await placeOrder(t.app, 1);
    await advance(t.app, 1, order.id, 'processing', 'shipped');

    const res = await track(order.id, TRACKING);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'shipped', shipment: TRACKING });
  });

  test('when the order is cancelled, then answers 409 and adds no shipment', async () => {
    const order = await placeOrder(t.app, 1);
    await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '1');

    const res = await track(order.id, TRACKING);

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:order-service:problem:order-cancelled', currentStatus: 'cancelled' });
    expect(await shipments()).toEqual([]);
  });

  test.each([
    ['no tracking number', { shippingProvider: 'USPS' }, '/body/trackingNumber'],
    ['an empty provider', { shippingProvider: '', trackingNumber: '1' }, '/body/shippingProvider'],
    ['a provider with surrounding spaces', { shippingProvider: ' USPS ', trackingNumber: '1' }, '/body/shippingProvider'],
    ['a control character', { shippingProvider: 'US\u0000PS', trackingNumber: '1' }, '/body/shippingProvider'],
    ['a tracking number with symbols', { shippingProvider: 'USPS', trackingNumber: '<script>' }, '/body/trackingNumber'],
    ['a tracking number of 65 characters', { shippingProvider: 'USPS', trackingNumber: 'A'.repeat(65) }, '/body/trackingNumber'],
    ['a numeric tracking number', { shippingProvider: 'USPS', trackingNumber: 23987239825 }, '/body/trackingNumber'],
    ['an unknown field', { ...TRACKING, eta: '2026-12-01' }, '/body/eta'],
  ])('when the body has %s, then answers 400 and changes nothing', async (_case, body, field) => {
    const order = await placeOrder(t.app, 1);

    const res = await track(order.id, body);

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await shipments()).toEqual([]);
  });

  test('when the body is not JSON, then answers 415', async () => {
    const order = await placeOrder(t.app, 1);

    const res = await request(t.app).patch(`/orders/${order.id}/tracking`).set('user_id', '1').type('form').send('shippingProvider=USPS');

    expect(res.status).toBe(415);
  });

  test('when the body is larger than the limit, then answers 413', async () => {
    const order = await placeOrder(t.app, 1);

    const res = await track(order.id, { ...TRACKING, padding: 'x'.repeat(150 * 1024) });

    expect(res.status).toBe(413);
    expect(await shipments()).toEqual([]);
  });
});
