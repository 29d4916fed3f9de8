import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { advance, placeOrder } from '../helpers/orders';

describe('PATCH /orders/:id/status', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const setStatus = (id: number, status: unknown, userId = '1') =>
    request(t.app).patch(`/orders/${id}/status`).set('user_id', userId).send({ status });
  const storedStatus = async (id: number) => (await t.query<{ status: string }>('SELECT status FROM orders WHERE id = ?', [id]))[0].status;

  test('when the order moves forward one step at a time, then each step answers 200 and is stored', async () => {
    const order = await placeOrder(t.app, 1);

    for (const status of ['processing', 'shipped', 'delivered']) {
      const res = await setStatus(order.id, status);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(status);
      expect(await storedStatus(order.id)).toBe(status);
    }
  });

  test.each([
    ['skips a step', [], 'shipped', 'pending', ['processing']],
    ['goes backwards', ['processing', 'shipped'], 'processing', 'shipped', ['delivered']],
    ['repeats the current status', ['processing'], 'processing', 'processing', ['shipped']],
    ['asks for cancelled', [], 'cancelled', 'pending', ['processing']],
    ['asks for pending again', ['processing'], 'pending', 'processing', ['shipped']],
    ['leaves delivered', ['processing', 'shipped', 'delivered'], 'shipped', 'delivered', []],
  ])('when the change %s, then answers 409 with the allowed next statuses and changes nothing', async (_case, path, target, current, allowed) => {
    const order = await placeOrder(t.app, 1);
    await advance(t.app, 1, order.id, ...path);

    const res = await setStatus(order.id, target);

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'urn:order-service:problem:invalid-status-transition',
      currentStatus: current,
      allowedStatuses: allowed,
    });
    expect(await storedStatus(order.id)).toBe(current);
  });

  test('when a cancelled order is moved, then answers 409 with no allowed statuses', async () => {
    const order = await placeOrder(t.app, 1);
    await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '1');

    const res = await setStatus(order.id, 'processing');

    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ currentStatus: 'cancelled', allowedStatuses: [] });
  });

  test.each([
    ['an unknown status', 'lost'],
    ['a status in capitals', 'PROCESSING'],
    ['a number', 2],
    ['null', null],
  ])('when the status is %s, then answers 400', async (_case, status) => {
    const order = await placeOrder(t.app, 1);

    const res = await setStatus(order.id, status);

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('/body/status');
    expect(await storedStatus(order.id)).toBe('pending');
  });

  test('when the body is not JSON, then answers 415', async () => {
    const order = await placeOrder(t.app, 1);

    const res = await request(t.app).patch(`/orders/${order.id}/status`).set('user_id', '1').type('text').send('processing');

    expect(res.status).toBe(415);
  });

  test('when the body is larger than the limit, then answers 413', async () => {
    const order = await placeOrder(t.app, 1);

    const res = await request(t.app)
      .patch(`/orders/${order.id}/status`)
      .set('user_id', '1')
      .send({ status: 'processing', padding: 'x'.repeat(150 * 1024) });

    expect(res.status).toBe(413);
    expect(await storedStatus(order.id)).toBe('pending');
  });
});
