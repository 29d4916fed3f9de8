import request from 'supertest';
import type { Order } from '../../service/api-types';
import { placeOrder, UPS_NUMBER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('POST /orders/:id/shipments', () => {
  let t: TestApp;
  let order: Order;
  beforeAll(async () => {
    t = await createTestApp();
  });
  beforeEach(async () => {
    order = await placeOrder(t.app, 1);
  });
  afterAll(() => t.close());

  const post = (body: unknown, { id = order.id, user = '1' } = {}) =>
    request(t.app).post(`/orders/${id}/shipments`).set('user_id', user).send(body as object);
  const stored = async () => ({
    shipments: await t.query('SELECT id FROM shipments WHERE order_id = ?', [order.id]),
    lines: await t.query('SELECT id FROM shipment_lines WHERE order_id = ?', [order.id]),
    version: (await t.query<{ version: number }>('SELECT version FROM orders WHERE id = ?', [order.id]))[0].version,
  });
  const nothingStored = async () => expect(await stored()).toEqual({ shipments: [], lines: [], version: 1 });

  test('when the owner ships part of a line with UPS tracking, then answers 201 with the shipment, its Location, the tracking URL and the order\'s new ETag', async () => {
    const [chocolate] = order.products;

    const res = await post({ lines: [{ orderLineId: chocolate.id, quantity: 3 }], carrier: 'UPS', trackingNumber: UPS_NUMBER });

    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/orders/${order.id}/shipments/${res.body.id}`);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({
      orderId: order.id,
      status: 'pending',
      carrier: 'UPS',
      carrierName: 'UPS',
      trackingNumber: UPS_NUMBER,
      trackingUrl: `https://www.ups.com/track?tracknum=${UPS_NUMBER}`,
      lines: [{ orderLineId: chocolate.id, productId: 9, quantity: 3 }],
      shippedAt: null,
    });
    const after = (await request(t.app).get(`/orders/${order.id}`).set('user_id', '1')).body as Order;
    expect(after).toMatchObject({ status: 'pending', version: 2, fulfilment: 'partially_fulfilled', shipment: { shippingProvider: 'UPS', trackingNumber: UPS_NUMBER } });
    expect(after.shipments).toEqual([res.body]);
  });

  test('when every unit is put in shipments, then the order is fulfilled, and a shipment without a carrier has no tracking', async () => {
    const [chocolate, beans] = order.products;
    await post({ lines: [{ orderLineId: chocolate.id, quantity: 7 }] });

    const res = await post({ lines: [{ orderLineId: beans.id, quantity: 1 }], carrier: 'other', carrierName: 'La Poste', trackingNumber: 'LP 0001-2' });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ carrier: 'other', carrierName: 'La Poste', trackingNumber: 'LP 0001-2', trackingUrl: null });
    const after = (await request(t.app).get(`/orders/${order.id}`).set('user_id', '1')).body as Order;
    expect([after.fulfilment, after.shipment, after.shipments.map((s) => s.carrier)]).toEqual(['fulfilled', null, [null, 'other']]);
  });

  test('when a line has less left than asked, then answers 409 naming what is left, and stores nothing', async () => {
    const [chocolate, beans] = order.products;

    const res = await post({ lines: [{ orderLineId: chocolate.id, quantity: 8 }, { orderLineId: beans.id, quantity: 2 }] });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:order-service:problem:quantity-unavailable',
      unavailable: [
        { orderLineId: chocolate.id, requested: 8, remaining: 7 },
        { orderLineId: beans.id, requested: 2, remaining: 1 },
      ],
    });
    await nothingStored();
  });

  test('when the order is cancelled, then answers 409 and stores nothing', async () => {
    await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '1');

    const res = await post({ lines: [{ orderLineId: order.products[0].id, quantity: 1 }] });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'urn:order-service:problem:order-cancelled', currentStatus: 'cancelled' });
    expect(await t.query('SELECT id FROM shipments WHERE order_id = ?', [order.id])).toEqual([]);
  });

  test.each([
    ['an order line the order does not have', () => ({ lines: [{ orderLineId: 999_999, quantity: 1 }] }), 'unknown-order-line', '/body/lines/0/orderLineId'],
    ['the same line twice', () => ({ lines: [{ orderLineId: order.products[0].id, quantity: 1 }, { orderLineId: order.products[0].id, quantity: 1 }] }), 'duplicate-order-line', '/body/lines/1/orderLineId'],
    ['a UPS number that is not one', () => ({ lines: [{ orderLineId: order.products[0].id, quantity: 1 }], carrier: 'UPS', trackingNumber: '1Z123' }), 'invalid-tracking-number', '/body/trackingNumber'],
    ['a FedEx number given as UPS', () => ({ lines: [{ orderLineId: order.products[0].id, quantity: 1 }], carrier: 'UPS', trackingNumber: '986578788855' }), 'invalid-tracking-number', '/body/trackingNumber'],
    ['a tracking number without a carrier', () => ({ lines: [{ orderLineId: order.products[0].id, quantity: 1 }], trackingNumber: UPS_NUMBER }), 'tracking-without-carrier', '/body/carrier'],
    ['a carrier name with a known carrier', () => ({ lines: [{ orderLineId: order.products[0].id, quantity: 1 }], carrier: 'DHL', carrierName: 'Deutsche Post' }), 'carrier-name-mismatch', '/body/carrierName'],
  ])('when the body names %s, then answers 422 saying which, and stores nothing', async (_case, body, slug, pointer) => {
    const res = await post(body());

    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ type: `urn:order-service:problem:${slug}`, errors: [expect.objectContaining({ path: pointer })] });
    await nothingStored();
  });

  test('when the number is not one of the carrier\'s, then the reason says which formats it knows and what it looks like', async () => {
    const res = await post({ lines: [{ orderLineId: order.products[0].id, quantity: 1 }], carrier: 'UPS', trackingNumber: '986578788855' });

    expect(res.body.detail).toBe(
      "'986578788855' is not a UPS tracking number: it matches none of UPS's formats (UPS, UPS Waybill), check digit included. It looks like a FedEx Express (12) number.",
    );
  });

  test('when the line belongs to another order, then answers 422 and stores nothing', async () => {
    const other = await placeOrder(t.app, 1);

    const res = await post({ lines: [{ orderLineId: other.products[0].id, quantity: 1 }] });

    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:order-service:problem:unknown-order-line');
    await nothingStored();
  });

  test.each([
    ['quantity 0', { lines: [{ orderLineId: 1, quantity: 0 }] }],
    ['no lines', { lines: [] }],
    ['an unknown carrier', { lines: [{ orderLineId: 1, quantity: 1 }], carrier: 'Pigeon' }],
    ['an unknown field', { lines: [{ orderLineId: 1, quantity: 1 }], trackingUrl: 'https://evil.example/' }],
  ])('when the body has %s, then answers 400 and stores nothing', async (_case, body) => {
    const res = await post(body);

    expect(res.status).toBe(400);
    await nothingStored();
  });

  test('when If-Match names an older version, then answers 412 with the current ETag and stores nothing', async () => {
    const res = await post({ lines: [{ orderLineId: order.products[0].id, quantity: 1 }] }).set('If-Match', '"7"');

    expect(res.status).toBe(412);
    expect(res.headers.etag).toBe('"1"');
    await nothingStored();
  });

  test('when another customer or nobody asks, then 404 or 401, and nothing is stored', async () => {
    const body = { lines: [{ orderLineId: order.products[0].id, quantity: 1 }] };

    expect((await post(body, { user: '2' })).status).toBe(404);
    expect((await request(t.app).post(`/orders/${order.id}/shipments`).send(body)).status).toBe(401);
    await nothingStored();
  });

  describe('with an Idempotency-Key', () => {
    const keyed = (key: string, body: object, id = order.id) =>
      request(t.app).post(`/orders/${id}/shipments`).set('user_id', '1').set('Idempotency-Key', key).send(body);

    test('when the same request is sent twice, then both answer the same 201 and one shipment is made', async () => {
      const body = { lines: [{ orderLineId: order.products[0].id, quantity: 2 }] };

      const first = await keyed(`ship-${order.id}`, body);
      const again = await keyed(`ship-${order.id}`, body);

      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect([again.body, again.headers.location, again.headers.etag]).toEqual([first.body, first.headers.location, first.headers.etag]);
      expect((await stored()).shipments).toHaveLength(1);
    });

    test('when the key is reused for another order or another body, then answers 422 and makes nothing more', async () => {
      const other = await placeOrder(t.app, 1);
      const body = { lines: [{ orderLineId: order.products[0].id, quantity: 1 }] };
      await keyed(`reuse-${order.id}`, body);

      const elsewhere = await keyed(`reuse-${order.id}`, { lines: [{ orderLineId: other.products[0].id, quantity: 1 }] }, other.id);
      const changed = await keyed(`reuse-${order.id}`, { lines: [{ orderLineId: order.products[0].id, quantity: 2 }] });

      expect([elsewhere.status, changed.status]).toEqual([422, 422]);
      expect(changed.body.type).toBe('urn:order-service:problem:idempotency-key-reused');
      expect((await stored()).shipments).toHaveLength(1);
    });

    test('when a refused request is retried with its key, then the refusal is replayed', async () => {
      const body = { lines: [{ orderLineId: order.products[0].id, quantity: 99 }] };

      const first = await keyed(`too-many-${order.id}`, body);
      const again = await keyed(`too-many-${order.id}`, body);

      expect([first.status, again.status]).toEqual([409, 409]);
      expect(again.headers['idempotent-replayed']).toBe('true');
    });
  });
});
