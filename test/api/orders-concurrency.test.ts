import type { Server } from 'node:http';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { placeOrder } from '../helpers/orders';

describe('concurrent requests on one SQLite connection', () => {
  let t: TestApp;
  let server: Server;
  beforeEach(async () => {
    t = await createTestApp();
    server = t.listen();
  });
  afterEach(() => t.close());

  test('when 50 orders are created at once by five users, then all get 201 and exactly 50 complete orders exist', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(server)
          .post('/orders')
          .set('user_id', String((i % 5) + 1))
          .send({ products: [{ id: (i % 17) + 1, quantity: 1 + (i % 3) }, { id: ((i + 7) % 17) + 1, quantity: 2 }] }),
      ),
    );

    expect(responses.map((res) => res.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((res) => res.body.id)).size).toBe(50);
    const [{ orders, lines, incomplete }] = await t.query<Record<string, number>>(`
      SELECT CAST((SELECT COUNT(*) FROM orders) AS INTEGER) AS orders,
             CAST((SELECT COUNT(*) FROM order_lines) AS INTEGER) AS lines,
             CAST((SELECT COUNT(*) FROM orders o WHERE
                (SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id) <> 2
                OR o.total <> (SELECT SUM(l.quantity * l.unit_price) FROM order_lines l WHERE l.order_id = o.id)) AS INTEGER) AS incomplete`);
    expect({ orders, lines, incomplete }).toEqual({ orders: 50, lines: 100, incomplete: 0 });
  });

  test('when ten clients move one order to processing at once, then exactly one succeeds and the rest get 409', async () => {
    const order = await placeOrder(t.app, 1);

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => request(server).patch(`/orders/${order.id}/status`).set('user_id', '1').send({ status: 'processing' })),
    );

    const statuses = responses.map((res) => res.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
  });

  test('when reads and writes interleave, then every request succeeds', async () => {
    const order = await placeOrder(t.app, 2);

    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 4 === 0
          ? request(server).post('/orders').set('user_id', '2').send({ products: [{ id: 3, quantity: 1 }] })
          : i % 4 === 1
            ? request(server).patch(`/orders/${order.id}/tracking`).set('user_id', '2').send({ shippingProvider: 'UPS', trackingNumber: `1Z${i}` })
            : request(server).get(i % 4 === 2 ? '/orders' : `/orders/${order.id}`).set('user_id', '2'),
      ),
    );

    expect(responses.filter((res) => res.status >= 300)).toEqual([]);
  });
});
