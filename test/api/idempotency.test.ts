import type { Server } from 'node:http';
import request from 'supertest';
import { deleteExpiredKeys } from '../../service/orders/idempotency-repository';
import { appOn, createTestApp, type TestApp, untilReceived } from '../helpers/test-app';
import { README_ORDER } from '../helpers/orders';

describe('POST /orders with an Idempotency-Key', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ persistent: true });
  });
  afterEach(() => t.close());

  const post = (key: string | undefined, body: object = README_ORDER, userId = '1') => {
    const req = request(t.app).post('/orders').set('user_id', userId);
    return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
  };
  const orderCount = async () => (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders'))[0].n;

  test('when the same request is sent twice, then the first response is replayed and one order exists', async () => {
    const first = await post('key-1');
    const second = await post('key-1');

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(await orderCount()).toBe(1);
  });

  test('when the order changed after it was created, then a replay still answers the first response', async () => {
    const first = await post('key-2');
    await request(t.app).patch(`/orders/${first.body.id}/status`).set('user_id', '1').send({ status: 'processing' });

    const replay = await post('key-2');

    expect(replay.body).toEqual(first.body);
    expect(replay.body.status).toBe('pending');
  });

  test('when the same body arrives with its keys in another order, then it is still the same request', async () => {
    const first = await post('key-3', { products: [{ id: 9, quantity: 7 }] });
    const reordered = await request(t.app)
      .post('/orders')
      .set('user_id', '1')
      .set('Idempotency-Key', 'key-3')
      .set('Content-Type', 'application/json')
      .send('{"products":[{"quantity":7,"id":9}]}');

    expect(reordered.headers['idempotent-replayed']).toBe('true');
    expect(reordered.body.id).toBe(first.body.id);
  });

  test('when the key is reused with a different body, then answers 422 and makes no order', async () => {
    await post('key-4');

    const res = await post('key-4', { products: [{ id: 2, quantity: 1 }] });

    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:order-service:problem:idempotency-key-reused');
    expect(await orderCount()).toBe(1);
  });

  test('when another user sends the same key, then it is a different request', async () => {
    const mine = await post('shared-key', README_ORDER, '1');
    const theirs = await post('shared-key', README_ORDER, '2');

    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await orderCount()).toBe(2);
  });

  test('when no key is sent, then each request makes its own order', async () => {
    await post(undefined);
    await post(undefined);

    expect(await orderCount()).toBe(2);
  });

  test('when the first request with a key was refused for an unknown product, then a retry gets the same 422 replayed and no order', async () => {
    const refused = await post('key-5', { products: [{ id: 999, quantity: 1 }] });
    const retried = await post('key-5', { products: [{ id: 999, quantity: 1 }] });

    expect([refused.status, refused.headers['idempotent-replayed']]).toEqual([422, undefined]);
    expect([retried.status, retried.headers['idempotent-replayed'], retried.headers['content-type']]).toEqual([422, 'true', expect.stringMatching(/^application\/problem\+json/)]);
    expect({ ...retried.body, requestId: undefined }).toEqual({ ...refused.body, requestId: undefined });
    expect(await orderCount()).toBe(0);
  });

  test('when the first request with a key was refused for stock, then a retry gets the same 409 even once stock is back, and the key cannot be reused for another body', async () => {
    const outOfStock = { products: [{ id: 20, quantity: 1 }] };
    const refused = await post('key-6', outOfStock);
    await t.query('UPDATE products SET stock = 10 WHERE id = 20');

    const retried = await post('key-6', outOfStock);
    const otherBody = await post('key-6', README_ORDER);
    const newKey = await post('key-7', outOfStock);

    expect(refused.status).toBe(409);
    expect([retried.status, retried.headers['idempotent-replayed'], retried.body.shortages]).toEqual([409, 'true', refused.body.shortages]);
    expect(otherBody.status).toBe(422);
    expect(newKey.status).toBe(201);
    expect(await orderCount()).toBe(1);
  });

  test('when the first request with a key did not match the contract, then nothing is stored and the key can be used again', async () => {
    const invalid = await post('key-8', { products: [{ id: 1, quantity: 0 }] });
    const fixed = await post('key-8', README_ORDER);

    expect(invalid.status).toBe(400);
    expect([fixed.status, fixed.headers['idempotent-replayed']]).toEqual([201, undefined]);
  });

  test('when a request with the key is still running, then another with the key answers 409 with Retry-After', async () => {
    const block = t.blockOrderCreation();
    await block.held;

    const mark = t.lifecycle.requestsReceived;
    const both = Promise.all([post('key-6').then((res) => res), post('key-6').then((res) => res)]);
    await untilReceived(t, mark + 2);
    await block.release();
    const answers = await both;

    expect(answers.map((res) => res.status).sort()).toEqual([201, 409]);
    const refused = answers.find((res) => res.status === 409)!;
    expect(refused.body.type).toBe('urn:order-service:problem:idempotency-key-in-use');
    expect(refused.headers['retry-after']).toBe('1');
    expect((await post('key-6')).headers['idempotent-replayed']).toBe('true');
  });

  test('when the service restarts, then a retry still gets the original response', async () => {
    const first = await post('key-7');
    await t.db.close();

    const restarted = await t.reopen();
    try {
      const replay = await request(appOn(restarted)).post('/orders').set('user_id', '1').set('Idempotency-Key', 'key-7').send(README_ORDER);

      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
    } finally {
      await restarted.close();
    }
  });

  test('when a key has expired, then it is forgotten: the same request makes a new order, and purging deletes expired keys', async () => {
    await post('key-8');
    await post('key-9');
    await t.query("UPDATE idempotency_keys SET expires_at = ? WHERE idempotency_key = 'key-8'", [past()]);

    const again = await post('key-8');
    await t.query("UPDATE idempotency_keys SET expires_at = ? WHERE idempotency_key = 'key-9'", [past()]);
    const purged = await t.db.write((manager) => deleteExpiredKeys(manager, new Date()));

    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await orderCount()).toBe(3);
    expect(purged).toBe(1);
    expect(await t.query('SELECT idempotency_key FROM idempotency_keys')).toEqual([{ idempotency_key: 'key-8' }]);
  });

  test.each([
    ['longer than 255 characters', 'k'.repeat(256)],
    ['with a non-ASCII character', 'clé-1'],
    ['ending in a non-breaking space', 'key\u00a0'],
  ])('when the key is %s, then answers 400', async (_case, key) => {
    const res = await request(t.app).post('/orders').set('user_id', '1').set('Idempotency-Key', key).send(README_ORDER);

    expect(res.status).toBe(400);
    expect(await orderCount()).toBe(0);
  });

  /** A stored timestamp a day and a minute ago, in each database's own format. */
  function past(): string | Date {
    const when = new Date(Date.now() - 24 * 60 * 60 * 1000 - 60_000);
    return t.db.kind === 'postgres' ? when : when.toISOString().replace('T', ' ').replace('Z', '');
  }
});

describe('Idempotency-Key under concurrency', () => {
  let t: TestApp;
  let server: Server;
  beforeAll(async () => {
    t = await createTestApp();
    server = t.listen();
  });
  afterAll(() => t.close());

  test('when 20 identical requests with one key arrive at once, then exactly one order is made and every answer is it or a 409', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => request(server).post('/orders').set('user_id', '3').set('Idempotency-Key', 'burst').send(README_ORDER)),
    );

    const created = responses.filter((res) => res.status === 201);
    const busy = responses.filter((res) => res.status === 409);
    expect(created.length + busy.length).toBe(20);
    expect(new Set(created.map((res) => res.body.id)).size).toBe(1);
    expect(busy.every((res) => res.body.type === 'urn:order-service:problem:idempotency-key-in-use')).toBe(true);
    expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders')).toEqual([{ n: 1 }]);
  });
});
