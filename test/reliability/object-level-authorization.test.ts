import request from 'supertest';
import { HTTP_METHODS, operations, resolve, type Operation } from '../helpers/contract';
import { startIssuerApp } from '../helpers/issuer-app';
import { README_ORDER } from '../helpers/orders';
import type { TestApp } from '../helpers/test-app';
import { bearer, type TestIssuer } from '../helpers/token-issuer';

/**
 * OWASP API1 (broken object level authorization), as a matrix over every operation on an order id
 * that openapi.yaml declares: a route added to the contract is covered without touching this file.
 */
const ORDER_ROUTES = operations.filter((op) => op.path.startsWith('/orders/{id}'));
const ORDER_PATHS = [...new Set(ORDER_ROUTES.map((op) => op.path))];
const UNDECLARED = ORDER_PATHS.flatMap((path) =>
  HTTP_METHODS.filter((method) => !['head', 'options', 'trace'].includes(method))
    .map((method) => method.toUpperCase())
    .filter((method) => !ORDER_ROUTES.some((op) => op.path === path && op.method === method))
    .map((method) => [method, path] as const),
);

describe('object-level authorization on every /orders/{id} route', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  const alice = 'alice-subject';
  const bob = 'bob-subject';
  const clerk = 'clerk-subject';

  beforeAll(async () => ({ issuer, t } = await startIssuerApp()));
  afterAll(() => t.close());

  test('the contract has order routes to check, each with an example body where it takes one', () => {
    expect(ORDER_ROUTES.map((op) => op.operationId).sort()).toEqual(
      expect.arrayContaining(['getOrder', 'listOrderEvents', 'setOrderTracking', 'updateOrderStatus', 'cancelOrder']),
    );
    for (const op of ORDER_ROUTES) if (op.definition.requestBody) expect(exampleBody(op)).toBeDefined();
  });

  const as = async (who: 'owner' | 'stranger' | 'staff' | 'nobody') =>
    who === 'nobody'
      ? undefined
      : bearer(await (who === 'staff' ? issuer.staff(clerk) : issuer.customer(who === 'owner' ? alice : bob)));

  async function call(method: string, path: string, id: number, auth: string | undefined, body?: unknown) {
    const url = path.replace('{id}', String(id));
    let req = request(t.app)[method.toLowerCase() as 'get'](url);
    if (auth) req = req.set('Authorization', auth);
    return body === undefined ? req : req.send(body as object);
  }

  async function aliceOrder(): Promise<number> {
    const res = await request(t.app).post('/orders').set('Authorization', (await as('owner'))!).send(README_ORDER);
    expect(res.status).toBe(201);
    return res.body.id;
  }

  /** Every row the service could touch, so that "nothing changed" is checked, not assumed. */
  async function snapshot(): Promise<string> {
    const tables = ['orders', 'order_lines', 'shipments', 'order_events', 'idempotency_keys'];
    const rows = await Promise.all(tables.map((table) => t.query(`SELECT * FROM ${table} ORDER BY 1, 2`)));
    const stock = await t.query('SELECT id, stock FROM products ORDER BY id');
    return JSON.stringify([rows, stock]);
  }

  describe.each(ORDER_ROUTES.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', (_name, op) => {
    test('another customer gets 404, exactly as for a missing order, and nothing changes', async () => {
      const id = await aliceOrder();
      const before = await snapshot();

      const theirs = await call(op.method, op.path, id, await as('stranger'), exampleBody(op));
      const missing = await call(op.method, op.path, 999_999, await as('stranger'), exampleBody(op));

      expect(theirs.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(theirs.body.title).toBe(missing.body.title);
      expect(await snapshot()).toBe(before);
    });

    test('no credentials get 401, and nothing changes', async () => {
      const id = await aliceOrder();
      const before = await snapshot();

      const res = await call(op.method, op.path, id, await as('nobody'), exampleBody(op));

      expect(res.status).toBe(401);
      expect(await snapshot()).toBe(before);
    });

    test('staff succeed', async () => {
      const id = await aliceOrder();

      const res = await call(op.method, op.path, id, await as('staff'), exampleBody(op));

      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
    });

    test('the owner succeeds', async () => {
      const id = await aliceOrder();

      const res = await call(op.method, op.path, id, await as('owner'), exampleBody(op));

      expect(res.status).toBeLessThan(300);
    });
  });

  test.each(UNDECLARED)('%s %s, undeclared, answers 405 to owner and stranger alike and changes nothing', async (method, path) => {
    const id = await aliceOrder();
    const before = await snapshot();

    const owner = await call(method, path, id, await as('owner'));
    const stranger = await call(method, path, id, await as('stranger'));

    expect([owner.status, stranger.status]).toEqual([405, 405]);
    expect(stranger.body).toEqual({ ...owner.body, requestId: stranger.body.requestId });
    expect(await snapshot()).toBe(before);
  });
});

/** The operation's first request-body example from openapi.yaml (undefined when it takes no body). */
function exampleBody(op: Operation): unknown {
  const media = op.definition.requestBody && resolve(op.definition.requestBody).content['application/json'];
  if (!media) return undefined;
  return media.example ?? resolve(Object.values<Record<string, unknown>>(media.examples ?? {})[0] as never).value;
}
