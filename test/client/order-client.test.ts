import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createOrderClient, type Order, type OrderPage, type OrderServiceClient, type Problem } from '../../client/order-client';
import { orderLifecycleExample } from '../../client/readme-example';
import { ROOT } from '../helpers/built-service';
import { startIssuerApp } from '../helpers/issuer-app';
import { TRACKING } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';
import type { TestIssuer } from '../helpers/token-issuer';

/** true only when A and B are the same type; anything else fails `tsc --noEmit` (npm test's pretest). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The client over real HTTP, against the real app on a port; the recorder checks every answer. */
describe('the typed client (client/order-client.ts)', () => {
  let t: TestApp;
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    // fetch keeps connections alive; close them so the server can stop.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  test('when an order is created, tracked, moved on and cancelled, then every answer is a typed Order', async () => {
    const orders = createOrderClient({ baseUrl, userId: 2 });

    const created = await orders.POST('/orders', { body: { products: [{ id: 3, quantity: 2 }] } });
    const order = dataOf(created, 201);
    expect(created.response.headers.get('location')).toBe(`/orders/${order.id}`);
    expect(order).toMatchObject({ userId: 2, status: 'pending', shipment: null, products: [{ productId: 3, quantity: 2 }] });
    expect(order.total).toBe(order.products[0].unitPrice * 2);
    const path = { id: order.id };

    const tracked = dataOf(await orders.PATCH('/orders/{id}/tracking', { params: { path }, body: TRACKING }), 200);
    expect(tracked.shipment).toEqual(TRACKING);

    const processing = dataOf(await orders.PATCH('/orders/{id}/status', { params: { path }, body: { status: 'processing' } }), 200);
    expect(processing.status).toBe('processing');

    const cancelled = dataOf(await orders.PATCH('/orders/{id}/cancel', { params: { path } }), 200);
    expect(cancelled).toMatchObject({ id: order.id, status: 'cancelled', shipment: null });

    const page = dataOf(await orders.GET('/orders', { params: { query: { limit: 5 } } }), 200);
    expect(page).toEqual({ data: [cancelled], nextCursor: null });

    const checks: [Equals<typeof order, Order>, Equals<typeof cancelled.status, Order['status']>, Equals<typeof page, OrderPage>] = [true, true, true];
    expect(checks).toEqual([true, true, true]);
  });

  test('when the service refuses a change, then error is the typed Problem and data is absent', async () => {
    const orders = createOrderClient({ baseUrl, userId: 3 });
    const order = dataOf(await orders.POST('/orders', { body: { products: [{ id: 1, quantity: 1 }] } }), 201);

    const { data, error, response } = await orders.PATCH('/orders/{id}/status', {
      params: { path: { id: order.id } },
      body: { status: 'delivered' },
    });

    expect(response.status).toBe(409);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ type: 'urn:order-service:problem:invalid-status-transition', allowedStatuses: ['processing'] });
    const check: Equals<typeof error, Problem | undefined> = true;
    expect(check).toBe(true);
  });

  test('when the user does not exist, then every call answers the 401 Problem', async () => {
    const stranger = createOrderClient({ baseUrl, userId: 999 });

    const { error, response } = await stranger.GET('/orders');

    expect(response.status).toBe(401);
    expect(error).toMatchObject({ title: 'Unauthorized', status: 401 });
  });

  test("when the TypeScript example of docs/api.md runs, then it ends with user 1's order cancelled", async () => {
    const cancelled = await orderLifecycleExample(baseUrl);

    expect(cancelled).toMatchObject({ userId: 1, status: 'cancelled', shipment: null, total: 3622 });
  });

  test('when docs/api.md shows the TypeScript example, then it is client/readme-example.ts as it is', () => {
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');
    const example = fs.readFileSync(path.join(ROOT, 'client', 'readme-example.ts'), 'utf8');

    expect(page).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});

describe('the typed client with bearer tokens (AUTH_MODE=jwt)', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    ({ issuer, t } = await startIssuerApp());
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  test('when a customer orders with a token, then staff find it with the typed userId filter', async () => {
    const customer = createOrderClient({ baseUrl, token: await issuer.customer() });
    const staff = createOrderClient({ baseUrl, token: await issuer.staff() });

    const order = dataOf(await customer.POST('/orders', { body: { products: [{ id: 2, quantity: 1 }] } }), 201);
    const page = dataOf(await staff.GET('/orders', { params: { query: { userId: order.userId } } }), 200);
    const refused = await customer.GET('/orders', { params: { query: { userId: order.userId + 1000 } } });

    expect(page.data).toEqual([order]);
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ title: 'Forbidden', status: 403 });
  });
});

/** The body of a successful answer, after checking its status; typed as the operation's response. */
function dataOf<T>(result: { data?: T; error?: unknown; response: Response }, status: number): T {
  expect({ status: result.response.status, error: result.error }).toEqual({ status, error: undefined });
  return result.data as T;
}

/** Never called: `tsc --noEmit` fails when the client would accept what openapi.yaml forbids. */
export function requestsOutsideTheContractDoNotCompile(orders: OrderServiceClient): void {
  // @ts-expect-error 'teleported' is not an OrderStatus
  void orders.PATCH('/orders/{id}/status', { params: { path: { id: 1 } }, body: { status: 'teleported' } });
  // @ts-expect-error a quantity is an integer, never a string
  void orders.POST('/orders', { body: { products: [{ id: 1, quantity: '7' }] } });
  // @ts-expect-error the id path parameter is required
  void orders.GET('/orders/{id}', {});
  // @ts-expect-error orders cannot be deleted
  void orders.DELETE('/orders/{id}', { params: { path: { id: 1 } } });
}
