import request from 'supertest';
import type { Order } from '../../service/api-types';
import { formatMinorUnits } from '../../service/notifications/money-format';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('POST /orders in a marketplace', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const post = (body: object, headers: Record<string, string> = {}) => request(t.app).post('/orders').set('user_id', '1').set(headers).send(body);
  const orderCount = async () => (await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders'))[0].n as number;
  const stockOf = async (id: number) => (await t.query('SELECT stock FROM products WHERE id = ?', [id]))[0].stock;

  test('when the body names no marketplace, then the order is the default one\'s, in its currency and locale, as before marketplaces', async () => {
    const res = await post({ products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ marketplace: 'us', locale: 'en-US', currency: 'USD', total: 3622 });
  });

  test('when a German shopper orders in the German marketplace, then the German prices, euros and locale are captured, not the US prices', async () => {
    const res = await post({ marketplace: 'de', products: [{ id: 9, quantity: 2 }, { id: 1, quantity: 1 }] }, { 'Accept-Language': 'de-AT,de;q=0.9' });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ marketplace: 'de', locale: 'de-DE', currency: 'EUR', total: 2 * 279 + 1399 });
    expect(res.body.products.map((line: Order['products'][number]) => [line.productId, line.unitPrice])).toEqual([
      [9, 279],
      [1, 1399],
    ]);
    const read = await request(t.app).get(`/orders/${res.body.id}`).set('user_id', '1');
    expect(read.body).toEqual(res.body);
  });

  test('when products are not on sale in the order\'s marketplace, then 422 names each one, nothing is ordered and no stock is taken', async () => {
    const before = [await orderCount(), await stockOf(1), await stockOf(19), await stockOf(20)];

    const res = await post({ marketplace: 'de', products: [{ id: 1, quantity: 1 }, { id: 20, quantity: 1 }, { id: 19, quantity: 1 }] });

    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:order-service:problem:product-not-listed');
    expect(res.body.errors).toEqual([
      { path: '/body/products/1/id', message: 'product 20 is not on sale in marketplace de' },
      { path: '/body/products/2/id', message: 'product 19 is not on sale in marketplace de' },
    ]);
    expect([await orderCount(), await stockOf(1), await stockOf(19), await stockOf(20)]).toEqual(before);
  });

  test('when the shopper\'s cart still shows another currency than the marketplace\'s, then 422 currency-mismatch and nothing is ordered', async () => {
    const before = await orderCount();

    const res = await post({ marketplace: 'de', currency: 'USD', products: [{ id: 1, quantity: 1 }] });
    const agreed = await post({ marketplace: 'de', currency: 'EUR', products: [{ id: 1, quantity: 1 }] });

    expect([res.status, res.body.type]).toEqual([422, 'urn:order-service:problem:currency-mismatch']);
    expect(res.body.errors).toEqual([{ path: '/body/currency', message: 'marketplace de sells in EUR' }]);
    expect([agreed.status, agreed.body.currency]).toEqual([201, 'EUR']);
    expect(await orderCount()).toBe(before + 1);
  });

  test('when the marketplace does not exist, then 422 unknown-marketplace; when it is malformed, then 400', async () => {
    const unknown = await post({ marketplace: 'fr', products: [{ id: 1, quantity: 1 }] });
    const malformed = await post({ marketplace: 'DE', products: [{ id: 1, quantity: 1 }] });

    expect([unknown.status, unknown.body.type]).toEqual([422, 'urn:order-service:problem:unknown-marketplace']);
    expect(unknown.body.errors).toEqual([{ path: '/body/marketplace', message: 'marketplace fr does not exist' }]);
    expect(malformed.status).toBe(400);
  });

  test('when orders are listed by marketplace, then each list holds that marketplace\'s orders only', async () => {
    await post({ marketplace: 'jp', products: [{ id: 1, quantity: 1 }] });

    const jp = await request(t.app).get('/orders').query({ marketplace: 'jp', limit: 100 }).set('user_id', '1');
    const de = await request(t.app).get('/orders').query({ marketplace: 'de', limit: 100 }).set('user_id', '1');
    const all = await request(t.app).get('/orders').query({ limit: 100 }).set('user_id', '1');

    expect(new Set(jp.body.data.map((order: Order) => order.marketplace))).toEqual(new Set(['jp']));
    expect(new Set(de.body.data.map((order: Order) => order.marketplace))).toEqual(new Set(['de']));
    expect(all.body.data).toHaveLength(jp.body.data.length + de.body.data.length + all.body.data.filter((order: Order) => order.marketplace === 'us').length);
    const unknown = await request(t.app).get('/orders').query({ marketplace: 'fr' }).set('user_id', '1');
    expect([unknown.status, unknown.body.type]).toEqual([400, 'urn:order-service:problem:unknown-marketplace']);
  });
});

/** The same amounts in minor units, from listing to order total, in currencies with 0, 2 and 3 decimals. */
describe('money across currency exponents', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.query("INSERT INTO marketplaces (code, name, currency, default_locale, locales, countries, region) VALUES ('bh', 'Bahrain', 'BHD', 'ar-BH', 'ar-BH,en-GB', 'BH', 'me-south-1')");
    await t.query("INSERT INTO product_listings (product_id, marketplace, price) VALUES (2, 'bh', 1750)");
    await t.query('UPDATE product_listings SET price = 1750 WHERE product_id = 2');
  });
  afterAll(() => t.close());

  test.each([
    ['jp', 'JPY', 0, '¥5,250'],
    ['us', 'USD', 2, '$52.50'],
    ['de', 'EUR', 2, '€52.50'],
    ['bh', 'BHD', 3, 'BHD\u00a05.250'],
  ])('when 3 units listed at 1750 minor units are ordered in %s (%s, exponent %i), then every amount stays in minor units, shown as %s', async (code, currency, exponent, shown) => {
    const marketplace = await request(t.app).get(`/marketplaces/${code}`);
    const product = await request(t.app).get('/products/2').query({ marketplace: code }).set('user_id', '2');
    const order = await request(t.app).post('/orders').set('user_id', '2').send({ marketplace: code, products: [{ id: 2, quantity: 3 }] });

    expect([marketplace.body.currency, marketplace.body.currencyExponent]).toEqual([currency, exponent]);
    expect([product.body.price, product.body.currency]).toEqual([1750, currency]);
    expect([order.status, order.body.currency, order.body.products[0].unitPrice, order.body.products[0].lineTotal, order.body.total]).toEqual([201, currency, 1750, 5250, 5250]);
    expect(formatMinorUnits(order.body.total, order.body.currency)).toBe(shown);
  });
});

describe('a deployment that takes orders of some marketplaces only (MARKETPLACES)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { MARKETPLACES: 'de', DEFAULT_MARKETPLACE: 'de' } });
  });
  afterAll(() => t.close());

  test('when an order of another region\'s marketplace arrives, then 422 says where it is taken, and nothing is ordered', async () => {
    const res = await request(t.app).post('/orders').set('user_id', '1').send({ marketplace: 'us', products: [{ id: 1, quantity: 1 }] });

    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:order-service:problem:marketplace-not-served');
    expect(res.body.detail).toBe('Orders of marketplace us are taken in us-east-1; this deployment takes orders of de. Nothing was ordered.');
    expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders')).toEqual([{ n: 0 }]);
  });

  test('when an order names no marketplace, then it is the region\'s default one, and the catalogue answers in it too', async () => {
    const order = await request(t.app).post('/orders').set('user_id', '1').send({ products: [{ id: 9, quantity: 1 }] });
    const product = await request(t.app).get('/products/9').set('user_id', '1');

    expect([order.status, order.body.marketplace, order.body.currency, order.body.total]).toEqual([201, 'de', 'EUR', 279]);
    expect([product.body.marketplace, product.body.currency, product.headers['content-language']]).toEqual(['de', 'EUR', 'de-DE']);
  });
});
