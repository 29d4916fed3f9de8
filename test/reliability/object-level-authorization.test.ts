import request from 'supertest';
import { HTTP_METHODS, operations, resolve, type Operation } from '../helpers/contract';
import { startIssuerApp } from '../helpers/issuer-app';
import { README_ORDER } from '../helpers/orders';
import type { TestApp } from '../helpers/test-app';
import { bearer, type TestIssuer } from '../helpers/token-issuer';

/**
 * OWASP API1 (broken object level authorization), as a matrix over every operation on an order id
 * that openapi.yaml declares: a route added to the contract is covered without touching this file.
 * A route under an order with an id of its own (a shipment's) gets a real one of the order's, made
 * by PARTS below; a new kind of id fails the first test until PARTS can make one.
 */
const ORDER_ROUTES = operations.filter((op) => op.path.startsWith('/orders/{id}'));
const PATH_IDS = [...new Set(ORDER_ROUTES.flatMap((op) => [...op.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1])))];
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

  test('the contract has order routes to check, each with an example body where it takes one, and every id in their paths can be made', () => {
    expect(ORDER_ROUTES.map((op) => op.operationId).sort()).toEqual(
      expect.arrayContaining(['getOrder', 'listOrderEvents', 'setOrderTracking', 'updateOrderStatus', 'cancelOrder', 'createShipment', 'cancelShipment']),
    );
    for (const op of ORDER_ROUTES) if (op.definition.requestBody) expect(exampleBody(op, { lineIds: [1] })).toBeDefined();
    expect(PATH_IDS.filter((name) => name !== 'id' && !(name in PARTS))).toEqual([]);
  });

  /** How to make each id a route under an order names, for one of alice's orders (as staff, whom every policy lets). */
  const PARTS: Record<string, (order: Fixture) => Promise<number>> = {
    shipmentId: async (order) => {
      const res = await request(t.app)
        .post(`/orders/${order.id}/shipments`)
        .set('Authorization', (await as('staff'))!)
        .send({ lines: [{ orderLineId: order.lineIds[0], quantity: 1 }] });
      expect(res.status).toBe(201);
      return res.body.id;
    },
  };

  const as = async (who: 'owner' | 'stranger' | 'staff' | 'nobody') =>
    who === 'nobody'
      ? undefined
      : bearer(await (who === 'staff' ? issuer.staff(clerk) : issuer.customer(who === 'owner' ? alice : bob)));

  async function call(method: string, path: string, ids: Fixture, auth: string | undefined, body?: unknown) {
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => String(ids[name]));
    let req = request(t.app)[method.toLowerCase() as 'get'](url);
    if (auth) req = req.set('Authorization', auth);
    return body === undefined ? req : req.send(body as object);
  }

  /** One of alice's orders, with every id the routes under it name (for a missing order, the same ids). */
  async function aliceOrder(): Promise<Fixture> {
    const res = await request(t.app).post('/orders').set('Authorization', (await as('owner'))!).send(README_ORDER);
    expect(res.status).toBe(201);
    const order: Fixture = { id: res.body.id, lineIds: res.body.products.map((line: { id: number }) => line.id) };
    for (const [name, make] of Object.entries(PARTS)) order[name] = await make(order);
    return order;
  }

  /** Every row the service could touch, so that "nothing changed" is checked, not assumed. */
  async function snapshot(): Promise<string> {
    const tables = ['orders', 'order_lines', 'shipments', 'shipment_lines', 'order_events', 'idempotency_keys'];
    const rows = await Promise.all(tables.map((table) => t.query(`SELECT * FROM ${table} ORDER BY 1, 2`)));
    const stock = await t.query('SELECT id, stock FROM products ORDER BY id');
    return JSON.stringify([rows, stock]);
  }

  describe.each(ORDER_ROUTES.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', (_name, op) => {
    test('another customer gets 404, exactly as for a missing order, and nothing changes', async () => {
      const order = await aliceOrder();
      const before = await snapshot();

      const theirs = await call(op.method, op.path, order, await as('stranger'), exampleBody(op, order));
      const missing = await call(op.method, op.path, { ...order, id: 999_999 }, await as('stranger'), exampleBody(op, order));

      expect(theirs.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(theirs.body.title).toBe(missing.body.title);
      expect(await snapshot()).toBe(before);
    });

    test('no credentials get 401, and nothing changes', async () => {
      const order = await aliceOrder();
      const before = await snapshot();

      const res = await call(op.method, op.path, order, await as('nobody'), exampleBody(op, order));

      expect(res.status).toBe(401);
      expect(await snapshot()).toBe(before);
    });

    test('staff succeed', async () => {
      const order = await aliceOrder();

      const res = await call(op.method, op.path, order, await as('staff'), exampleBody(op, order));

      expect(res.status).toBeGreaterThanOrEqual(200);
      expect(res.status).toBeLessThan(300);
    });

    test('the owner succeeds', async () => {
      const order = await aliceOrder();

      const res = await call(op.method, op.path, order, await as('owner'), exampleBody(op, order));

      expect(res.status).toBeLessThan(300);
    });
  });

  test.each(UNDECLARED)('%s %s, undeclared, answers 405 to owner and stranger alike and changes nothing', async (method, path) => {
    const order = await aliceOrder();
    const before = await snapshot();

    const owner = await call(method, path, order, await as('owner'));
    const stranger = await call(method, path, order, await as('stranger'));

    expect([owner.status, stranger.status]).toEqual([405, 405]);
    expect(stranger.body).toEqual({ ...owner.body, requestId: stranger.body.requestId });
    expect(await snapshot()).toBe(before);
  });
});

/** An order of the matrix: its id, its lines' ids, and the ids of the parts routes under it name. */
type Fixture = { id: number; lineIds: number[] } & Record<string, number | number[]>;

/**
 * The operation's first request-body example from openapi.yaml (undefined when it takes no body),
 * with the order line ids it names replaced by the order's own: the example's are another order's.
 */
function exampleBody(op: Operation, order: Pick<Fixture, 'lineIds'>): unknown {
  const media = op.definition.requestBody && resolve(op.definition.requestBody).content['application/json'];
  if (!media) return undefined;
  const example = media.example ?? resolve(Object.values<Record<string, unknown>>(media.examples ?? {})[0] as never).value;
  return JSON.parse(JSON.stringify(example), (key, value) => (key === 'orderLineId' ? order.lineIds[0] : value));
}
