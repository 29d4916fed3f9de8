import request from 'supertest';
import type { Order } from '../../service/api-types';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { advance, placeOrder } from '../helpers/orders';

describe('GET /orders filters', () => {
  let t: TestApp;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    t = await createTestApp();
    // Six orders of user 1 in known statuses and at known times, and one of user 2.
    const plan: Array<[string, string[], string]> = [
      ['oct-pending', [], '2026-10-15T12:00:00.000Z'],
      ['nov-pending', [], '2026-11-01T00:00:00.000Z'],
      ['nov-processing', ['processing'], '2026-11-10T08:30:00.000Z'],
      ['nov-shipped', ['processing', 'shipped'], '2026-11-20T23:59:59.999Z'],
      ['dec-delivered', ['processing', 'shipped', 'delivered'], '2026-12-01T00:00:00.000Z'],
      ['dec-pending', [], '2026-12-02T09:00:00.000Z'],
    ];
    for (const [name, path, createdAt] of plan) {
      const order = await placeOrder(t.app, 1, { products: [{ id: 3, quantity: 1 }] });
      await advance(t.app, 1, order.id, ...path);
      await t.query('UPDATE orders SET created_at = ? WHERE id = ?', [timestamp(createdAt), order.id]);
      ids[name] = order.id;
    }
    await placeOrder(t.app, 2, { products: [{ id: 3, quantity: 1 }] });
  });
  afterAll(() => t.close());

  /** The stored form of an instant: timestamptz on PostgreSQL, TypeORM's UTC text on SQLite. */
  function timestamp(iso: string): string | Date {
    return t.db.kind === 'postgres' ? new Date(iso) : iso.replace('T', ' ').replace('Z', '');
  }
  const list = async (query: string) => {
    const res = await request(t.app).get(`/orders?${query}`).set('user_id', '1');
    expect(res.status).toBe(200);
    return res.body as { data: Order[]; nextCursor: string | null };
  };
  const names = (orders: Order[]) => orders.map((order) => Object.keys(ids).find((name) => ids[name] === order.id));

  test('when filtering by one status, then only orders in it come back, newest first', async () => {
    expect(names((await list('status=pending')).data)).toEqual(['dec-pending', 'nov-pending', 'oct-pending']);
  });

  test('when filtering by several statuses, then orders in any of them come back', async () => {
    expect(names((await list('status=processing&status=shipped')).data)).toEqual(['nov-shipped', 'nov-processing']);
  });

  test('when filtering by creation time, then createdAfter is inclusive and createdBefore exclusive', async () => {
    const november = await list('createdAfter=2026-11-01T00:00:00Z&createdBefore=2026-12-01T00:00:00Z');

    expect(names(november.data)).toEqual(['nov-shipped', 'nov-processing', 'nov-pending']);
  });

  test('when a time filter has an offset, then it is the same instant', async () => {
    const res = await list(`createdBefore=${encodeURIComponent('2026-11-01T01:00:00+01:00')}`);

    expect(names(res.data)).toEqual(['oct-pending']);
  });

  test('when filters combine with pagination, then the pages hold exactly the matching orders', async () => {
    const first = await list('status=pending&status=delivered&limit=2');
    const second = await list(`status=pending&status=delivered&limit=2&cursor=${first.nextCursor}`);

    expect(names(first.data)).toEqual(['dec-pending', 'dec-delivered']);
    expect(names(second.data)).toEqual(['nov-pending', 'oct-pending']);
    expect(second.nextCursor).toBeNull();
  });

  test.each([
    ['an unknown status', 'status=lost', '/query/status/0'],
    ['a date that is not ISO 8601', 'createdAfter=yesterday', '/query/createdAfter'],
    ['a date without a time', 'createdBefore=2026-11-01', '/query/createdBefore'],
  ])('when given %s, then answers 400', async (_case, query, field) => {
    const res = await request(t.app).get(`/orders?${query}`).set('user_id', '1');

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });
});
