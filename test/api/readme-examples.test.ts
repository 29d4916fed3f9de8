import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** The calls of the original README, with the same headers and bodies, in the same order. */
describe('the README examples', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const tracking = { shippingProvider: 'USPS', trackingNumber: '23987239825' };

  test('POST /orders as user 1 creates order 1', async () => {
    const res = await request(t.app)
      .post('/orders')
      .set('user_id', '1')
      .send({ products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] });

    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/orders/1');
    expect(res.body).toMatchObject({ id: 1, userId: 1, status: 'pending', total: 3622 });
  });

  test('GET /orders as user 1 lists it', async () => {
    const res = await request(t.app).get('/orders').set('user_id', '1');

    expect(res.status).toBe(200);
    expect(res.body.data.map((o: { id: number }) => o.id)).toEqual([1]);
    expect(res.body.nextCursor).toBeNull();
  });

  test('PATCH /orders/1/tracking as user 1 adds the shipment', async () => {
    const res = await request(t.app).patch('/orders/1/tracking').set('user_id', '1').send(tracking);

    expect(res.status).toBe(200);
    expect(res.body.shipment).toEqual(tracking);
  });

  test('PATCH /orders/1/tracking as user 999 answers 401', async () => {
    const res = await request(t.app).patch('/orders/1/tracking').set('user_id', '999').send(tracking);

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  test('PATCH /orders/1/cancel as user 1 cancels it and drops the shipment', async () => {
    const res = await request(t.app).patch('/orders/1/cancel').set('user_id', '1');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 1, status: 'cancelled', shipment: null });
  });
});
