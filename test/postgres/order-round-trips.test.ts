import { Client } from 'pg';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * What a new order costs the writer (issue 22): its statements, each one a round trip. A product
 * row stays locked from the statement that takes its stock to the COMMIT, so every round trip
 * saved is throughput for a product everyone buys at once.
 */
describe('POST /orders on PostgreSQL: round trips to the database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /**
   * The statements of the transaction the service runs while `work` runs, by their first two
   * words: from its START TRANSACTION on, those of its connection (pg's Client, which TypeORM's
   * pool hands out). Other connections' queries (a readiness ping, say) are not the request's.
   */
  async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
    const sent: Array<{ client: Client; text: string }> = [];
    const query = Client.prototype.query;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      sent.push({ client: this, text: String(text).trim().split(/\s+/).slice(0, 2).join(' ') });
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      await work();
    } finally {
      Client.prototype.query = query;
    }
    const start = sent.findIndex(({ text }) => text === 'START TRANSACTION');
    return sent.slice(start).filter(({ client }) => client === sent[start].client).map(({ text }) => text);
  }

  test.each([1, 5, 17])('when an order of %i lines is made, then it takes three: BEGIN, one statement, COMMIT', async (lines) => {
    const body = { products: Array.from({ length: lines }, (_, i) => ({ id: i + 1, quantity: 1 })) };

    // A first order fills the marketplace cache, as a running service's has it.
    await request(t.app).post('/orders').set('user_id', '2').send({ products: [{ id: 1, quantity: 1 }] });
    let res: request.Response | undefined;
    const sent = await statementsDuring(async () => {
      res = await request(t.app).post('/orders').set('user_id', '1').send(body);
    });

    expect(res!.status).toBe(201);
    expect(res!.body.products).toHaveLength(lines);
    expect(sent).toEqual(['START TRANSACTION', 'WITH wanted', 'COMMIT']);
  });

  test('when the order cannot be made, then the refusal is read in the same transaction and rolled back, leaving the stock as it was', async () => {
    const before = await t.query('SELECT id, stock FROM products WHERE id IN (1, 19) ORDER BY id');

    let res: request.Response | undefined;
    const sent = await statementsDuring(async () => {
      res = await request(t.app).post('/orders').set('user_id', '1').send({ products: [{ id: 1, quantity: 1 }, { id: 19, quantity: 3 }] });
    });

    expect(res!.status).toBe(409);
    expect(res!.body.shortages).toEqual([{ productId: 19, requested: 3, available: 2 }]);
    expect(sent[0]).toBe('START TRANSACTION');
    expect(sent.at(-1)).toBe('ROLLBACK');
    expect(await t.query('SELECT id, stock FROM products WHERE id IN (1, 19) ORDER BY id')).toEqual(before);
  });
});
