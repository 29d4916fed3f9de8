import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Order } from '../../service/api-types';
import { startIssuerApp } from '../helpers/issuer-app';
import type { TestApp } from '../helpers/test-app';
import { bearer, type TestIssuer } from '../helpers/token-issuer';

/** Staff of one marketplace (a token in the `staff:de` group): that marketplace's orders only. */
describe('staff limited to a marketplace (AUTH_MODE=jwt)', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  const alice = randomUUID();
  const clerk = randomUUID();
  let usOrder: Order;
  let deOrder: Order;
  let jpOrder: Order;
  beforeAll(async () => {
    ({ issuer, t } = await startIssuerApp());
    usOrder = await create(alice, 'us');
    deOrder = await create(alice, 'de');
    jpOrder = await create(alice, 'jp');
  });
  afterAll(() => t.close());

  async function create(sub: string, marketplace: string, token?: string): Promise<Order> {
    const res = await request(t.app)
      .post('/orders')
      .set('Authorization', token ?? bearer(await issuer.customer(sub)))
      .send({ marketplace, products: [{ id: 1, quantity: 1 }] });
    expect(res.status).toBe(201);
    return res.body as Order;
  }
  const germanStaff = async () => bearer(await issuer.marketplaceStaff(['de'], clerk));

  test('when staff of de read orders, then a de order is theirs to see and a us order answers 404 like one that does not exist', async () => {
    const auth = await germanStaff();

    const de = await request(t.app).get(`/orders/${deOrder.id}`).set('Authorization', auth);
    const us = await request(t.app).get(`/orders/${usOrder.id}`).set('Authorization', auth);
    const none = await request(t.app).get('/orders/987654').set('Authorization', auth);

    expect(de.status).toBe(200);
    expect([us.status, us.body.detail]).toEqual([404, `Order ${usOrder.id} was not found.`]);
    expect(none.status).toBe(404);
  });

  test('when staff of de change orders, then a de order moves and a us order answers 404 and stays as it was', async () => {
    const auth = await germanStaff();

    const de = await request(t.app).patch(`/orders/${deOrder.id}/status`).set('Authorization', auth).send({ status: 'processing' });
    const us = await request(t.app).patch(`/orders/${usOrder.id}/cancel`).set('Authorization', auth);

    expect([de.status, de.body.status]).toEqual([200, 'processing']);
    expect(us.status).toBe(404);
    expect((await t.query('SELECT status FROM orders WHERE id = ?', [usOrder.id]))[0].status).toBe('pending');
  });

  test('when staff of de list orders, then they get every user\'s de orders, and no other marketplace\'s', async () => {
    const auth = await germanStaff();

    const mine = await request(t.app).get('/orders?limit=100').set('Authorization', auth);
    const us = await request(t.app).get('/orders?limit=100&marketplace=us').set('Authorization', auth);

    expect(mine.status).toBe(200);
    expect(mine.body.data.map((order: Order) => order.id)).toEqual([deOrder.id]);
    expect(us.body.data).toEqual([]);
  });

  test('when staff of de and jp list, then both marketplaces\' orders come; staff of every marketplace still see all', async () => {
    const both = await request(t.app).get('/orders?limit=100').set('Authorization', bearer(await issuer.marketplaceStaff(['de', 'jp'])));
    const all = await request(t.app).get('/orders?limit=100').set('Authorization', bearer(await issuer.staff()));

    expect(both.body.data.map((order: Order) => order.id)).toEqual([jpOrder.id, deOrder.id]);
    expect(all.body.data.map((order: Order) => order.id)).toEqual(expect.arrayContaining([usOrder.id, deOrder.id, jpOrder.id]));
  });

  test('when staff of de shop for themselves in us, then they are a customer there: their own order is theirs', async () => {
    const auth = await germanStaff();
    const own = await create(clerk, 'us', auth);

    const read = await request(t.app).get(`/orders/${own.id}`).set('Authorization', auth);
    const listed = await request(t.app).get(`/orders?userId=${own.userId}`).set('Authorization', auth);

    expect(read.status).toBe(200);
    expect(listed.body.data.map((order: Order) => order.id)).toContain(own.id);
  });
});
