import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { README_ORDER } from '../helpers/orders';
import { appOn, createTestApp, type TestApp } from '../helpers/test-app';

/** Two service instances share nothing but the database: the key must still hold across them. */
describe('Idempotency-Key across instances', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test('when instance A is still creating an order with a key, then instance B answers 409 for the same key, and later replays it', async () => {
    const other = await t.reopen();
    try {
      const instanceB = appOn(other);
      const blocked = t.blockOrderCreation(500);
      await blocked.held;
      const first = request(t.app).post('/orders').set('user_id', '1').set('Idempotency-Key', 'across').send(README_ORDER).then((res) => res);
      await delay(150);

      const concurrent = await request(instanceB).post('/orders').set('user_id', '1').set('Idempotency-Key', 'across').send(README_ORDER);
      await blocked;
      const original = await first;
      const replay = await request(instanceB).post('/orders').set('user_id', '1').set('Idempotency-Key', 'across').send(README_ORDER);

      expect(concurrent.status).toBe(409);
      expect(concurrent.body.type).toBe('urn:order-service:problem:idempotency-key-in-use');
      expect(original.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(original.body);
    } finally {
      await other.close();
    }
  });
});
