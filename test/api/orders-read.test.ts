import request from 'supertest';
import type { Order } from '../../service/api-types';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { placeOrder } from '../helpers/orders';

describe('GET /orders/:id', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test('when the caller owns the order, then answers 200 with it', async () => {
    const created = await placeOrder(t.app, 1);

    const res = await request(t.app).get(`/orders/${created.id}`).set('user_id', '1');

    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
  });

  test('when the order does not exist, then answers 404 problem', async () => {
    const res = await request(t.app).get('/orders/424242').set('user_id', '1');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not Found', detail: 'Order 424242 was not found.', instance: '/orders/424242' });
  });
});

describe('GET /orders', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const list = (userId: string, query: Record<string, string | number> = {}) =>
    request(t.app).get('/orders').query(query).set('user_id', userId);

  /** Follows nextCursor to the end, returning every page. */
  async function allPages(userId: string, limit: number): Promise<Order[][]> {
    const pages: Order[][] = [];
    let cursor: string | null | undefined;
    do {
      const res = await list(userId, cursor ? { limit, cursor } : { limit });
      expect(res.status).toBe(200);
      pages.push(res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    return pages;
  }

  test('when the caller has no orders, then answers an empty page without a cursor', async () => {
    const res = await list('4');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], nextCursor: null });
  });

  test("when several users have orders, then lists only the caller's, newest first", async () => {
    const first = await placeOrder(t.app, 1);
    await placeOrder(t.app, 2);
    const second = await placeOrder(t.app, 1, { products: [{ id: 5, quantity: 2 }] });

    const res = await list('1');

    expect(res.body.data.map((o: Order) => o.id)).toEqual([second.id, first.id]);
    expect(res.body.data[0]).toEqual(second);
    expect(res.body.nextCursor).toBeNull();
  });

  test('when there are more orders than the limit, then the pages cover each order exactly once', async () => {
    const created = [];
    for (let i = 0; i < 25; i++) created.push((await placeOrder(t.app, 1, { products: [{ id: (i % 17) + 1, quantity: 1 }] })).id);

    const pages = await allPages('1', 10);

    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    expect(pages.flat().map((o) => o.id)).toEqual([...created].reverse());
  });

  test('when no limit is given, then a page holds 20 orders', async () => {
    for (let i = 0; i < 21; i++) await placeOrder(t.app, 2, { products: [{ id: 1, quantity: 1 }] });

    const res = await list('2');

    expect(res.body.data).toHaveLength(20);
    expect(typeof res.body.nextCursor).toBe('string');
  });

  test('when new orders arrive between pages, then the next page continues where the last one ended', async () => {
    for (let i = 0; i < 6; i++) await placeOrder(t.app, 1);
    const firstPage = await list('1', { limit: 3 });
    await placeOrder(t.app, 1);
    await placeOrder(t.app, 1);

    const secondPage = await list('1', { limit: 3, cursor: firstPage.body.nextCursor });

    const firstIds = firstPage.body.data.map((o: Order) => o.id);
    const secondIds = secondPage.body.data.map((o: Order) => o.id);
    expect(secondIds).toEqual([firstIds[2] - 1, firstIds[2] - 2, firstIds[2] - 3]);
    expect(secondPage.body.nextCursor).toBeNull();
  });

  test('when the list is exactly one page long, then there is no next cursor', async () => {
    for (let i = 0; i < 3; i++) await placeOrder(t.app, 1);

    const res = await list('1', { limit: 3 });

    expect(res.body.data).toHaveLength(3);
    expect(res.body.nextCursor).toBeNull();
  });

  test.each([
    ['limit 0', { limit: 0 }, '/query/limit'],
    ['limit 101', { limit: 101 }, '/query/limit'],
    ['a non-numeric limit', { limit: 'ten' }, '/query/limit'],
    ['a cursor with illegal characters', { cursor: 'a+b/c=' }, '/query/cursor'],
    ['a cursor that decodes to nothing meaningful', { cursor: Buffer.from('v1:abc').toString('base64url') }, '/query/cursor'],
    ['a cursor for id 0', { cursor: Buffer.from('v1:0').toString('base64url') }, '/query/cursor'],
    ['an unknown query parameter', { sort: 'asc' }, '/query/sort'],
  ])('when given %s, then answers 400 problem', async (_case, query, field) => {
    const res = await list('1', query);

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });
});
