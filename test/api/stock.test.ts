import type { Server } from 'node:http';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { placeOrder } from '../helpers/orders';

describe('stock', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const stockOf = async (id: number) => (await t.query<{ stock: number }>('SELECT stock FROM products WHERE id = ?', [id]))[0].stock;
  const orderCount = async () => (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders'))[0].n;

  test('when an order is made, then its units leave stock; when it is cancelled, they come back', async () => {
    const order = await placeOrder(t.app, 1, { products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] });
    expect([await stockOf(9), await stockOf(1)]).toEqual([993, 999]);

    await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '1');

    expect([await stockOf(9), await stockOf(1)]).toEqual([1000, 1000]);
  });

  test('when cancelling twice, then the stock comes back only once', async () => {
    const order = await placeOrder(t.app, 1, { products: [{ id: 18, quantity: 2 }] });

    await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '1');
    await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '1');

    expect(await stockOf(18)).toBe(5);
  });

  test('when some products are short, then answers 409 naming each with what is available, and changes no stock', async () => {
    const res = await request(t.app)
      .post('/orders')
      .set('user_id', '1')
      .send({ products: [{ id: 1, quantity: 2 }, { id: 19, quantity: 3 }, { id: 20, quantity: 1 }] });

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:order-service:problem:out-of-stock',
      shortages: [
        { productId: 19, requested: 3, available: 2 },
        { productId: 20, requested: 1, available: 0 },
      ],
    });
    expect([await stockOf(1), await stockOf(19), await stockOf(20)]).toEqual([1000, 2, 0]);
    expect(await orderCount()).toBe(0);
  });

  test('when an order takes exactly what is left, then it succeeds and the stock is 0', async () => {
    await placeOrder(t.app, 2, { products: [{ id: 18, quantity: 5 }] });

    expect(await stockOf(18)).toBe(0);
    expect((await request(t.app).post('/orders').set('user_id', '2').send({ products: [{ id: 18, quantity: 1 }] })).status).toBe(409);
  });
});

describe('stock under concurrency', () => {
  let t: TestApp;
  let server: Server;
  beforeAll(async () => {
    t = await createTestApp();
    server = t.listen();
  });
  afterAll(() => t.close());

  test('when 150 orders race for a product with stock 25, then it never oversells and every refusal is a clean 409', async () => {
    await t.query('UPDATE products SET stock = 25 WHERE id = 7');

    const responses = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        request(server)
          .post('/orders')
          .set('user_id', String((i % 5) + 1))
          .send({ products: [{ id: 7, quantity: (i % 3) + 1 }, { id: 2, quantity: 1 }] }),
      ),
    );

    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
    expect(responses.filter((res) => res.status === 409).every((res) => res.body.type === 'urn:order-service:problem:out-of-stock')).toBe(true);
    const [{ left }] = await t.query<{ left: number }>('SELECT stock AS left FROM products WHERE id = 7');
    const [{ sold }] = await t.query<{ sold: number }>('SELECT CAST(COALESCE(SUM(quantity), 0) AS INTEGER) AS sold FROM order_lines WHERE product_id = 7');
    const acceptedUnits = responses.filter((res) => res.status === 201).reduce((sum, res) => sum + res.body.products[0].quantity, 0);
    expect(left).toBeGreaterThanOrEqual(0);
    expect(sold).toBe(25 - left);
    expect(acceptedUnits).toBe(sold);
    expect(left).toBeLessThan(3);
    const [{ stock2 }] = await t.query<{ stock2: number }>('SELECT stock AS stock2 FROM products WHERE id = 2');
    expect(stock2).toBe(1000 - statuses.filter((status) => status === 201).length);
  });
});
