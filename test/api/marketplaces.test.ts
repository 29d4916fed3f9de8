import request from 'supertest';
import type { Marketplace, Product } from '../../service/api-types';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('GET /marketplaces', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test('when anyone asks, signed in or not, then every marketplace comes with its currency, exponent, locales, countries and region', async () => {
    const res = await request(t.app).get('/marketplaces');

    expect(res.status).toBe(200);
    expect(res.body.data.map((m: Marketplace) => [m.code, m.currency, m.currencyExponent, m.defaultLocale, m.locales, m.countries, m.region])).toEqual([
      ['de', 'EUR', 2, 'de-DE', ['de-DE', 'en-GB'], ['DE', 'AT', 'CH'], 'eu-central-1'],
      ['jp', 'JPY', 0, 'ja-JP', ['ja-JP'], ['JP'], 'ap-northeast-1'],
      ['us', 'USD', 2, 'en-US', ['en-US'], ['US'], 'us-east-1'],
    ]);
  });

  test('when one is asked for by its code, then it comes alone', async () => {
    const res = await request(t.app).get('/marketplaces/jp');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      code: 'jp',
      name: 'Japan',
      currency: 'JPY',
      currencyExponent: 0,
      defaultLocale: 'ja-JP',
      locales: ['ja-JP'],
      countries: ['JP'],
      region: 'ap-northeast-1',
    });
  });

  test('when the list is asked for with a parameter it does not have, then 400 naming it', async () => {
    const res = await request(t.app).get('/marketplaces?currency=EUR');

    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: '/query/currency' })]);
  });

  test('when the code names no marketplace, then 404; when it is no code at all, then 400', async () => {
    const missing = await request(t.app).get('/marketplaces/fr');
    const malformed = await request(t.app).get('/marketplaces/DE');

    expect([missing.status, missing.type, missing.body.detail]).toEqual([404, 'application/problem+json', 'Marketplace fr was not found.']);
    expect(malformed.status).toBe(400);
  });
});

describe('GET /products in a marketplace', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const products = (query: object, language?: string) => {
    const req = request(t.app).get('/products').query({ limit: 100, ...query }).set('user_id', '1');
    return language === undefined ? req : req.set('Accept-Language', language);
  };
  const chocolate = (res: request.Response) => res.body.data.find((p: Product) => p.id === 9);

  test('when no marketplace is named, then the default one answers, as before marketplaces', async () => {
    const res = await products({});

    expect(res.status).toBe(200);
    expect(chocolate(res)).toMatchObject({ marketplace: 'us', price: 299, currency: 'USD' });
    expect(res.headers['content-language']).toBe('en-US');
    expect(res.headers.vary).toMatch(/Accept-Language/);
  });

  test('when the German marketplace is asked for, then its own euro prices and German names come back, never another marketplace\'s price', async () => {
    const res = await products({ marketplace: 'de' }, 'de-DE');

    expect(chocolate(res)).toEqual({ id: 9, marketplace: 'de', locale: 'de-DE', name: 'Schokoladentafel', description: null, price: 279, currency: 'EUR', stock: 1000 });
    expect(res.headers['content-language']).toBe('de-DE');
  });

  test('when a product is not listed in a marketplace, or listed unpublished, then it is missing from its catalogue and answers 404 there', async () => {
    const list = await products({ marketplace: 'de' });
    const unlisted = await request(t.app).get('/products/20').query({ marketplace: 'de' }).set('user_id', '1');
    const unpublished = await request(t.app).get('/products/19').query({ marketplace: 'de' }).set('user_id', '1');
    const elsewhere = await request(t.app).get('/products/20').query({ marketplace: 'us' }).set('user_id', '1');

    expect(list.body.data.map((p: Product) => p.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect([unlisted.status, unpublished.status, elsewhere.status]).toEqual([404, 404, 200]);
    expect(unlisted.body.detail).toBe('Product 20 is not on sale in marketplace de.');
  });

  test.each([
    ['de-AT', 'de-DE', 'Schokoladentafel'],
    ['de', 'de-DE', 'Schokoladentafel'],
    ['en-US', 'en-GB', 'Chocolate bar'],
    ['fr-FR, en;q=0.8', 'en-GB', 'Chocolate bar'],
    ['fr', 'de-DE', 'Schokoladentafel'],
    ['*', 'de-DE', 'Schokoladentafel'],
    ['en;q=0.2, de-CH;q=0.9', 'de-DE', 'Schokoladentafel'],
    [undefined, 'de-DE', 'Schokoladentafel'],
  ])('when Accept-Language is %s in the German marketplace, then the answer is in %s', async (language, locale, name) => {
    const res = await request(t.app).get('/products/9').query({ marketplace: 'de' }).set('user_id', '1').set(language === undefined ? {} : { 'Accept-Language': language });

    expect(res.status).toBe(200);
    expect([res.headers['content-language'], res.body.locale, res.body.name]).toEqual([locale, locale, name]);
    expect(res.headers.vary).toMatch(/Accept-Language/);
  });

  test('when the Japanese marketplace is asked for in a language it does not offer, then its default, Japanese, and whole yen', async () => {
    const res = await request(t.app).get('/products/1').query({ marketplace: 'jp' }).set('user_id', '1').set('Accept-Language', 'en-US');

    expect(res.body).toMatchObject({ marketplace: 'jp', locale: 'ja-JP', name: 'エスプレッソ豆 1kg', price: 2300, currency: 'JPY' });
  });

  test('when the marketplace does not exist, then 400 naming it rather than an empty catalogue', async () => {
    const res = await products({ marketplace: 'fr' });

    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:order-service:problem:unknown-marketplace');
    expect(res.body.errors).toEqual([{ path: '/query/marketplace', message: 'marketplace fr does not exist' }]);
  });

  test('when the same product is asked for in two languages, then the two answers carry different entity tags', async () => {
    const german = await request(t.app).get('/products/9').query({ marketplace: 'de' }).set('user_id', '1').set('Accept-Language', 'de');
    const english = await request(t.app).get('/products/9').query({ marketplace: 'de' }).set('user_id', '1').set('Accept-Language', 'en');
    const revalidated = await request(t.app)
      .get('/products/9')
      .query({ marketplace: 'de' })
      .set('user_id', '1')
      .set('Accept-Language', 'en')
      .set('If-None-Match', german.headers.etag);

    expect(german.headers.etag).not.toBe(english.headers.etag);
    expect(revalidated.status).toBe(200);
  });
});
