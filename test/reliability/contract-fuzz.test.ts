import type { Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { operations } from '../helpers/contract';
import { brokenInvariants, INVARIANT_COUNT, stockLevels } from '../helpers/consistency';
import { requestsFor, type GeneratedRequest } from '../helpers/request-generator';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { recordFigures } from '../helpers/reliability-figures';

/**
 * Requests generated from openapi.yaml, valid and broken one thing at a time, for every operation.
 * After each: no 5xx, every answer is documented for its operation (the spec recorder turns any
 * other into a failing 500), and the database keeps every invariant. `npm run fuzz` runs it deeper.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED === undefined ? 20261126 : Number(process.env.FUZZ_SEED);
const figures = { requests: 0, invariantsChecked: 0, byKind: {} as Record<string, number>, byStatus: {} as Record<string, number> };

describe('requests generated from the contract', () => {
  let t: TestApp;
  let server: Server;
  let initialStock: Map<number, number>;
  beforeAll(async () => {
    t = await createTestApp();
    server = t.listen();
    // Orders for the generated ids to find: users 1-3 own a few each.
    for (let i = 0; i < 12; i++) {
      await request(server).post('/orders').set('user_id', String((i % 3) + 1)).send({ products: [{ id: (i % 17) + 1, quantity: 1 }] });
    }
    // Shipments for the generated shipment ids to find: some lines of those orders.
    for (let order = 1; order <= 12; order += 3) {
      await request(server).post(`/orders/${order}/shipments`).set('user_id', String(((order - 1) % 3) + 1)).send({ lines: [{ orderLineId: order, quantity: 1 }] });
    }
    initialStock = await stockLevels(t.query);
    for (const [id, stock] of initialStock) {
      const held = await t.query<{ n: number }>(
        `SELECT CAST(COALESCE(SUM(quantity), 0) AS INTEGER) AS n FROM order_lines WHERE product_id = ?`,
        [id],
      );
      initialStock.set(id, stock + held[0].n);
    }
  });
  afterAll(async () => {
    await t.close();
    writeFigures();
  });

  test.each(operations.map((op) => [op.operationId, op] as const))('%s: never a 5xx, never an undocumented answer, never a broken invariant', async (_id, op) => {
    await fc.assert(
      fc.asyncProperty(requestsFor(op), async (generated) => {
        const res = await send(generated);
        figures.requests += 1;
        figures.byKind[generated.kind] = (figures.byKind[generated.kind] ?? 0) + 1;
        figures.byStatus[res.status] = (figures.byStatus[res.status] ?? 0) + 1;

        expect({ status: res.status, body: res.status >= 500 ? res.body : undefined }).toEqual({ status: expect.any(Number), body: undefined });
        expect(await brokenInvariants(t.query, initialStock)).toEqual([]);
        figures.invariantsChecked += INVARIANT_COUNT;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  function send(generated: GeneratedRequest): Promise<request.Response> {
    let req = request(server)[generated.method.toLowerCase() as 'get'](generated.url);
    for (const [name, value] of Object.entries(generated.headers)) req = req.set(name, value);
    if (generated.body) req = req.set('Content-Type', generated.body.contentType).send(generated.body.raw);
    return req;
  }
});

function writeFigures(): void {
  recordFigures('generated requests', { seed: SEED, runsPerOperation: RUNS, operations: operations.length, ...figures });
}
