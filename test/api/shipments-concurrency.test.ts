import type { Server } from 'node:http';
import request from 'supertest';
import { brokenInvariants } from '../helpers/consistency';
import { placeOrder } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('concurrent shipments of one order line', () => {
  let t: TestApp;
  let server: Server;
  beforeAll(async () => {
    t = await createTestApp();
    server = t.listen();
  });
  afterAll(() => t.close());

  test('when 50 requests split a line of 20 units at once, then exactly 20 units are in shipments, counted in the database', async () => {
    const order = await placeOrder(t.app, 1, { products: [{ id: 3, quantity: 20 }] });
    const [line] = order.products;

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(server)
          .post(`/orders/${order.id}/shipments`)
          .set('user_id', '1')
          .set('X-Request-Id', `split-${i}`)
          .send({ lines: [{ orderLineId: line.id, quantity: 1 }] }),
      ),
    );

    const created = responses.filter((res) => res.status === 201);
    expect(created).toHaveLength(20);
    expect(responses.filter((res) => res.status !== 201).map((res) => [res.status, res.body.type])).toEqual(
      Array(30).fill([409, 'urn:order-service:problem:quantity-unavailable']),
    );
    const [{ units, shipments }] = await t.query<{ units: number; shipments: number }>(
      `SELECT CAST(SUM(sl.quantity) AS INTEGER) AS units, CAST(COUNT(DISTINCT sl.shipment_id) AS INTEGER) AS shipments
         FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id WHERE sl.order_line_id = ? AND s.status <> 'cancelled'`,
      [line.id],
    );
    expect([units, shipments]).toEqual([20, 20]);
    const [{ version }] = await t.query<{ version: number }>('SELECT version FROM orders WHERE id = ?', [order.id]);
    expect(version).toBe(1 + created.length);
    expect(await brokenInvariants(t.query)).toEqual([]);
  });

  test('when shipments of one line are cancelled and created at once, then the line never holds more than was ordered', async () => {
    const order = await placeOrder(t.app, 2, { products: [{ id: 4, quantity: 6 }] });
    const [line] = order.products;
    const post = () => request(server).post(`/orders/${order.id}/shipments`).set('user_id', '2').send({ lines: [{ orderLineId: line.id, quantity: 2 }] });
    const first = await Promise.all([post(), post(), post()]);

    const responses = await Promise.all([
      ...first.map((res) => request(server).patch(`/orders/${order.id}/shipments/${res.body.id}/cancel`).set('user_id', '2')),
      ...Array.from({ length: 9 }, post),
    ]);

    expect(responses.every((res) => [200, 201, 409].includes(res.status))).toBe(true);
    const [{ units }] = await t.query<{ units: number }>(
      `SELECT CAST(COALESCE(SUM(sl.quantity), 0) AS INTEGER) AS units FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id
        WHERE sl.order_line_id = ? AND s.status <> 'cancelled'`,
      [line.id],
    );
    expect(units).toBe(6);
    expect(await brokenInvariants(t.query)).toEqual([]);
  });
});
