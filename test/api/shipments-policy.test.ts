import request from 'supertest';
import type { Order, OrderShipment } from '../../service/api-types';
import { createShipment, placeOrder, UPS_NUMBER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { bearer, TestIssuer } from '../helpers/token-issuer';

/** Every shipment change, as [what, method, path under the order, body]. */
const CHANGES = (order: Order, shipment: OrderShipment) =>
  [
    ['create a shipment', 'post', '/shipments', { lines: [{ orderLineId: order.products[1].id, quantity: 1 }] }],
    ['set its tracking', 'patch', `/shipments/${shipment.id}`, { carrier: 'UPS', trackingNumber: UPS_NUMBER }],
    ['ship it', 'patch', `/shipments/${shipment.id}/status`, { status: 'shipped' }],
    ['cancel it', 'patch', `/shipments/${shipment.id}/cancel`, undefined],
  ] as const;

describe('shipments under ORDER_POLICY=strict', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    t = await createTestApp({ env: issuer.env({ ORDER_POLICY: 'strict' }) });
  });
  afterAll(async () => {
    await t.close();
    await issuer.close();
  });

  async function orderWithShipment(customer: string): Promise<[Order, OrderShipment]> {
    const staff = bearer(await issuer.staff());
    const order = (await request(t.app).post('/orders').set('Authorization', customer).send({ products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] })).body as Order;
    const res = await request(t.app).post(`/orders/${order.id}/shipments`).set('Authorization', staff).send({ lines: [{ orderLineId: order.products[0].id, quantity: 1 }] });
    return [order, res.body as OrderShipment];
  }

  test.each(['create a shipment', 'set its tracking', 'ship it', 'cancel it'])('when the owner tries to %s, then 403 and nothing changes; staff may do it', async (change) => {
    const customer = bearer(await issuer.customer());
    const [order, shipment] = await orderWithShipment(customer);
    const [what, method, path, body] = CHANGES(order, shipment).find(([name]) => name === change)!;
    const send = (auth: string) => {
      const req = request(t.app)[method](`/orders/${order.id}${path}`).set('Authorization', auth);
      return body === undefined ? req : req.send(body);
    };

    const byOwner = await send(customer);
    const version = (await t.query<{ version: number }>('SELECT version FROM orders WHERE id = ?', [order.id]))[0].version;
    const byStaff = await send(bearer(await issuer.staff()));

    expect([what, byOwner.status, version]).toEqual([what, 403, 2]);
    expect(byOwner.body.detail).toMatch(/^The order policy does not let you .*shipments of this order\.$/);
    expect(byStaff.status).toBeLessThan(300);
  });

  test('when the owner reads the shipments and cancels the order, then both are allowed, and the pending shipment is cancelled', async () => {
    const customer = bearer(await issuer.customer());
    const [order] = await orderWithShipment(customer);

    const list = await request(t.app).get(`/orders/${order.id}/shipments`).set('Authorization', customer);
    const cancelled = await request(t.app).patch(`/orders/${order.id}/cancel`).set('Authorization', customer);

    expect(list.status).toBe(200);
    expect([cancelled.status, cancelled.body.shipments[0].status]).toEqual([200, 'cancelled']);
  });
});

describe('shipment requests the HTTP layer refuses', () => {
  let t: TestApp;
  let order: Order;
  let shipment: OrderShipment;
  beforeAll(async () => {
    t = await createTestApp();
    order = await placeOrder(t.app, 1);
    shipment = await createShipment(t.app, 1, order.id, { lines: [{ orderLineId: order.products[0].id, quantity: 1 }] });
  });
  afterAll(() => t.close());

  const ROUTES = ['POST /orders/:id/shipments', 'PATCH /orders/:id/shipments/:shipmentId', 'PATCH /orders/:id/shipments/:shipmentId/status'];
  const withBody = (route: string) =>
    (
      [
        ['post', `/orders/${order.id}/shipments`, { lines: [{ orderLineId: order.products[1].id, quantity: 1 }] }],
        ['patch', `/orders/${order.id}/shipments/${shipment.id}`, { carrier: 'UPS', trackingNumber: UPS_NUMBER }],
        ['patch', `/orders/${order.id}/shipments/${shipment.id}/status`, { status: 'shipped' }],
      ] as const
    )[ROUTES.indexOf(route)];

  test.each(ROUTES)('when %s gets a body that is not JSON or too large, then 415 or 413, and nothing changes', async (route) => {
    const [method, path, body] = withBody(route);
    const call = () => request(t.app)[method](path).set('user_id', '1');

    const notJson = await call().type('text').send(JSON.stringify(body));
    const tooLarge = await call().send({ ...body, padding: 'x'.repeat(150 * 1024) });

    expect([notJson.status, tooLarge.status]).toEqual([415, 413]);
    expect(await t.query('SELECT version FROM orders WHERE id = ?', [order.id])).toEqual([{ version: 2 }]);
  });
});
