import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { placeOrder, README_ORDER, TRACKING } from '../helpers/orders';

describe('when the database is unreachable', () => {
  let t: TestApp;
  let orderId: number;
  beforeAll(async () => {
    t = await createTestApp();
    orderId = (await placeOrder(t.app, 1)).id;
    await t.db.close();
  });
  afterAll(() => t.close());

  test.each([
    ['POST /orders', () => request(t.app).post('/orders').set('user_id', '1').send(README_ORDER)],
    ['GET /orders', () => request(t.app).get('/orders').set('user_id', '1')],
    ['GET /orders/:id', () => request(t.app).get(`/orders/${orderId}`).set('user_id', '1')],
    ['PATCH /orders/:id/tracking', () => request(t.app).patch(`/orders/${orderId}/tracking`).set('user_id', '1').send(TRACKING)],
    ['PATCH /orders/:id/status', () => request(t.app).patch(`/orders/${orderId}/status`).set('user_id', '1').send({ status: 'processing' })],
    ['PATCH /orders/:id/cancel', () => request(t.app).patch(`/orders/${orderId}/cancel`).set('user_id', '1')],
    ['GET /orders/:id/events', () => request(t.app).get(`/orders/${orderId}/events`).set('user_id', '1')],
    ['POST /orders/:id/shipments', () => request(t.app).post(`/orders/${orderId}/shipments`).set('user_id', '1').send({ lines: [{ orderLineId: 1, quantity: 1 }] })],
    ['GET /orders/:id/shipments', () => request(t.app).get(`/orders/${orderId}/shipments`).set('user_id', '1')],
    ['GET /orders/:id/shipments/:shipmentId', () => request(t.app).get(`/orders/${orderId}/shipments/1`).set('user_id', '1')],
    ['PATCH /orders/:id/shipments/:shipmentId', () => request(t.app).patch(`/orders/${orderId}/shipments/1`).set('user_id', '1').send({ carrier: 'DHL' })],
    ['PATCH /orders/:id/shipments/:shipmentId/status', () => request(t.app).patch(`/orders/${orderId}/shipments/1/status`).set('user_id', '1').send({ status: 'shipped' })],
    ['PATCH /orders/:id/shipments/:shipmentId/cancel', () => request(t.app).patch(`/orders/${orderId}/shipments/1/cancel`).set('user_id', '1')],
    ['GET /products', () => request(t.app).get('/products').set('user_id', '1')],
    ['GET /products/:id', () => request(t.app).get('/products/1').set('user_id', '1')],
    ['GET /marketplaces', () => request(t.app).get('/marketplaces')],
    ['GET /marketplaces/:code', () => request(t.app).get('/marketplaces/de')],
  ])('%s answers 503 problem+json with Retry-After, not 500', async (_route, call) => {
    const res = await call();

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toMatchObject({ type: 'urn:order-service:problem:database-unavailable', status: 503 });
  });
});
