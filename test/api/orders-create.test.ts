import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { README_ORDER } from '../helpers/orders';

describe('POST /orders', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const post = (body: unknown, userId = '1') =>
    request(t.app).post('/orders').set('user_id', userId).send(body as object);
  const orderCount = async () => (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders'))[0].n;
  const lineCount = async () => (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM order_lines'))[0].n;

  test('when a shopper orders two products, then answers 201 with a pending order priced from the catalogue', async () => {
    const res = await post(README_ORDER);

    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.location).toBe(`/orders/${res.body.id}`);
    expect(res.body).toMatchObject({
      userId: 1,
      status: 'pending',
      currency: 'USD',
      total: 7 * 299 + 1529,
      products: [
        { productId: 9, quantity: 7, unitPrice: 299, lineTotal: 2093 },
        { productId: 1, quantity: 1, unitPrice: 1529, lineTotal: 1529 },
      ],
      shipment: null,
    });
    expect(Date.parse(res.body.orderDate)).toBeGreaterThan(Date.now() - 60_000);
    expect(await orderCount()).toBe(1);
    expect(await lineCount()).toBe(2);
  });

  test('when the catalogue price changes later, then the order keeps the price paid', async () => {
    const created = await post(README_ORDER);
    await t.query("UPDATE product_listings SET price = 9999 WHERE product_id IN (1, 9) AND marketplace = 'us'");

    const res = await request(t.app).get(`/orders/${created.body.id}`).set('user_id', '1');

    expect(res.body.products.map((line: { unitPrice: number }) => line.unitPrice)).toEqual([299, 1529]);
    expect(res.body.total).toBe(3622);
  });

  test('when a product does not exist, then answers 422 naming it and stores nothing', async () => {
    const res = await post({ products: [{ id: 1, quantity: 1 }, { id: 999, quantity: 2 }] });

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:order-service:problem:unknown-product',
      status: 422,
      errors: [{ path: '/body/products/1/id', message: 'product 999 does not exist' }],
    });
    expect(res.body.detail).toContain('999');
    expect(await orderCount()).toBe(0);
    expect(await lineCount()).toBe(0);
  });

  test('when the same product appears twice, then answers 422 and stores nothing', async () => {
    const res = await post({ products: [{ id: 3, quantity: 1 }, { id: 4, quantity: 1 }, { id: 3, quantity: 2 }] });

    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:order-service:problem:duplicate-product');
    expect(res.body.errors).toEqual([{ path: '/body/products/2/id', message: 'product 3 appears more than once' }]);
    expect(await orderCount()).toBe(0);
  });

  test.each([
    ['quantity 0', { products: [{ id: 1, quantity: 0 }] }, '/body/products/0/quantity'],
    ['a negative quantity', { products: [{ id: 1, quantity: -3 }] }, '/body/products/0/quantity'],
    ['a fractional quantity', { products: [{ id: 1, quantity: 1.5 }] }, '/body/products/0/quantity'],
    ['a quantity sent as a string', { products: [{ id: 1, quantity: '7' }] }, '/body/products/0/quantity'],
    ['a huge quantity', { products: [{ id: 1, quantity: 1e12 }] }, '/body/products/0/quantity'],
    ['an id sent as a string', { products: [{ id: '1', quantity: 1 }] }, '/body/products/0/id'],
    ['an empty product list', { products: [] }, '/body/products'],
    ['no product list', {}, '/body/products'],
    ['products that is not a list', { products: { id: 1, quantity: 1 } }, '/body/products'],
    ['an unknown top-level field', { products: [{ id: 1, quantity: 1 }], coupon: 'FREE' }, '/body/coupon'],
    ['an unknown field in a line', { products: [{ id: 1, quantity: 1, price: 1 }] }, '/body/products/0/price'],
    ['a line without quantity', { products: [{ id: 1 }] }, '/body/products/0/quantity'],
    ['more than 100 lines', { products: Array.from({ length: 101 }, (_, i) => ({ id: (i % 20) + 1, quantity: 1 })) }, '/body/products'],
  ])('when the body has %s, then answers 400 pointing at the field and stores nothing', async (_case, body, field) => {
    const res = await post(body);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('urn:order-service:problem:validation-failed');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await orderCount()).toBe(0);
  });

  test('when several fields are wrong, then every violation is listed', async () => {
    const res = await post({ products: [{ id: 0, quantity: 0 }], note: 'x' });

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ['/body/note', '/body/products/0/id', '/body/products/0/quantity'].sort(),
    );
  });

  test('when the body is malformed JSON, then answers 400 problem and stores nothing', async () => {
    const res = await request(t.app)
      .post('/orders')
      .set('user_id', '1')
      .set('Content-Type', 'application/json')
      .send('{"products": [{"id": 9, "quantity": 7}');

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|SyntaxError/);
    expect(await orderCount()).toBe(0);
  });

  test('when the body is not JSON, then answers 415', async () => {
    const res = await request(t.app).post('/orders').set('user_id', '1').set('Content-Type', 'text/plain').send('products=9');

    expect(res.status).toBe(415);
    expect(res.body.title).toBe('Unsupported Media Type');
    expect(await orderCount()).toBe(0);
  });

  test('when the body is larger than the limit, then answers 413', async () => {
    const res = await post({ products: [{ id: 1, quantity: 1 }], padding: 'x'.repeat(200 * 1024) });

    expect(res.status).toBe(413);
    expect(res.body.title).toBe('Content Too Large');
    expect(await orderCount()).toBe(0);
  });

  test('when no user is given, then answers 401 with a WWW-Authenticate challenge and stores nothing', async () => {
    const res = await request(t.app).post('/orders').send(README_ORDER);

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('UserId realm="order-service"');
    expect(await orderCount()).toBe(0);
  });
});
