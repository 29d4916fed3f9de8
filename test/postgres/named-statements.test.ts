import request from 'supertest';
import { README_ORDER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The service's SQL runs as named statements on PostgreSQL, each prepared once per connection.
 * A migration of the next release may add columns while this release's tasks still serve (a
 * rolling deploy): their prepared statements must keep working, planned again by PostgreSQL,
 * never failing with "cached plan must not change result type" (every statement names its columns).
 */
describe('named statements across a migration that adds columns (rolling deploy)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const everyRoute = async () => {
    const created = await request(t.app).post('/orders').set('user_id', '1').send(README_ORDER);
    const read = await request(t.app).get(`/orders/${created.body.id}`).set('user_id', '1');
    const list = await request(t.app).get('/orders').set('user_id', '1');
    const products = await request(t.app).get('/products').query({ marketplace: 'de' }).set('user_id', '1');
    const moved = await request(t.app).patch(`/orders/${created.body.id}/status`).set('user_id', '1').send({ status: 'processing' });
    return [created.status, read.status, list.status, products.status, moved.status];
  };

  test('when columns are added to the tables the statements read and write, then every route still answers', async () => {
    // Several rounds, so that each pooled connection has prepared the statements (and PostgreSQL has switched to generic plans).
    for (let i = 0; i < 6; i += 1) expect(await everyRoute()).toEqual([201, 200, 200, 200, 200]);

    for (const table of ['orders', 'order_lines', 'products', 'product_listings', 'order_events', 'shipments']) {
      await t.query(`ALTER TABLE "${table}" ADD COLUMN added_by_next_release integer`);
    }

    for (let i = 0; i < 3; i += 1) expect(await everyRoute()).toEqual([201, 200, 200, 200, 200]);
  });
});
