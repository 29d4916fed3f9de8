import request from 'supertest';
import type { Product } from '../../service/api-types';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('GET /products', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test('when any user asks, then the catalogue comes with prices in minor units, currency and stock', async () => {
    const res = await request(t.app).get('/products').query({ limit: 100 }).set('user_id', '4');

    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(20);
    expect(res.body.data[8]).toEqual({ id: 9, marketplace: 'us', locale: 'en', name: 'Chocolate bar', description: null, price: 299, currency: 'USD', stock: 1000 });
    expect(res.headers['content-language']).toBe('en-US');
    expect(res.body.data.filter((p: Product) => p.stock < 10).map((p: Product) => [p.id, p.stock])).toEqual([
      [18, 5],
      [19, 2],
      [20, 0],
    ]);
    expect(res.body.nextCursor).toBeNull();
  });

  test('when paging through, then each product appears once, in id order', async () => {
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.app)
        .get('/products')
        .query(cursor ? { limit: 7, cursor } : { limit: 7 })
        .set('user_id', '1');
      ids.push(...res.body.data.map((p: Product) => p.id));
      cursor = res.body.nextCursor;
    } while (cursor);

    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  test.each([
    ['limit 0', { limit: 0 }],
    ['a forged cursor', { cursor: 'bm9wZQ' }],
  ])('when given %s, then answers 400', async (_case, query) => {
    const res = await request(t.app).get('/products').query(query).set('user_id', '1');

    expect(res.status).toBe(400);
  });

  test('when nobody is authenticated, then answers 401', async () => {
    expect((await request(t.app).get('/products')).status).toBe(401);
  });
});

describe('GET /products/:id', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test('when the product exists, then answers it with its current stock', async () => {
    await request(t.app).post('/orders').set('user_id', '2').send({ products: [{ id: 9, quantity: 7 }] });

    const res = await request(t.app).get('/products/9').set('user_id', '3');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 9, marketplace: 'us', locale: 'en', name: 'Chocolate bar', description: null, price: 299, currency: 'USD', stock: 993 });
  });

  test('when the product does not exist, then answers 404 problem', async () => {
    const res = await request(t.app).get('/products/999').set('user_id', '1');

    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('Product 999 is not on sale in marketplace us.');
  });

  test.each(['abc', '0', '1e1'])('when the id is %s, then answers 400', async (id) => {
    expect((await request(t.app).get(`/products/${id}`).set('user_id', '1')).status).toBe(400);
  });

  test('when nobody is authenticated, then answers 401', async () => {
    expect((await request(t.app).get('/products/1')).status).toBe(401);
  });
});
