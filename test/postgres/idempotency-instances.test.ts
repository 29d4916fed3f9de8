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
      const block = t.blockOrderCreation();
      await block.held;
      const first = request(t.app).post('/orders').set('user_id', '1').set('Idempotency-Key', 'across').send(README_ORDER).then((res) => res);
      // Instance A holds the key's advisory lock while its order waits for the product lock.
      await block.waiters(1);

      const concurrent = await request(instanceB).post('/orders').set('user_id', '1').set('Idempotency-Key', 'across').send(README_ORDER);
      await block.release();
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
