import request from 'supertest';
import { createRelayHandler, type RelayHandler } from '../../service/serverless/relay-handler';
import { README_ORDER } from '../helpers/orders';
import { bodiesOf } from '../helpers/outbox';
import { QueueEmulator } from '../helpers/queue-emulator';
import { invocationContext } from '../helpers/sqs-event';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('the relay sweep function, on the real database and an SQS FIFO queue (fauxqs)', () => {
  let emulator: QueueEmulator;
  let t: TestApp;
  let queue: { url: string; dlqUrl: string };
  let queueNo = 0;
  const handlers: RelayHandler[] = [];

  beforeAll(async () => {
    emulator = await QueueEmulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(async () => {
    t = await createTestApp({ persistent: true });
    queue = await emulator.createFifoQueue(`sweep-${process.pid}-${++queueNo}`);
  });
  afterEach(async () => {
    await Promise.all(handlers.splice(0).map((handler) => handler.close()));
    await t.close();
  });

  const sweep = (env: Record<string, string> = {}, options: Parameters<typeof createRelayHandler>[1] = {}) => {
    const handler = createRelayHandler({ ...t.env, NODE_ENV: 'test', QUEUE_URL: queue.url, SQS_ENDPOINT: emulator.endpoint, RELAY_POLL_MS: '10', ...env }, options);
    handlers.push(handler);
    return handler;
  };
  const context = () => invocationContext('OrderService-staging-RelaySweep', 60_000);
  const outbox = () => t.query<{ id: number; published: number; attempts: number }>(
    'SELECT id, CASE WHEN published_at IS NULL THEN 0 ELSE 1 END AS published, publish_attempts AS attempts FROM order_events ORDER BY id',
  );

  /** Three orders with three events each, none published (the requests that wrote them relayed nothing). */
  async function history(): Promise<void> {
    for (const user of [1, 2, 3]) {
      const { body: order } = await request(t.app).post('/orders').set('user_id', String(user)).send(README_ORDER).expect(201);
      await request(t.app).patch(`/orders/${order.id}/status`).set('user_id', String(user)).send({ status: 'processing' }).expect(200);
      await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', String(user)).expect(200);
    }
  }

  test('when events wait in the outbox, then a sweep publishes them in order per order and marks them published', async () => {
    await history();

    const result = await sweep()(undefined, context());

    expect(result).toEqual({ swept: true, sent: 9 });
    expect((await outbox()).every((row) => Number(row.published) === 1)).toBe(true);
    const messages = await emulator.drain(queue.url);
    const events = bodiesOf(messages).map((body) => body.event);
    expect(events).toHaveLength(9);
    for (const orderId of new Set(events.map((event) => event.orderId))) {
      expect(events.filter((event) => event.orderId === orderId).map((event) => event.type)).toEqual(['created', 'status_changed', 'cancelled']);
    }
    for (const message of messages) expect(message.Attributes?.MessageGroupId).toBe(String(JSON.parse(message.Body!).event.orderId));
  });

  test('when two sweeps run at once, then each event is claimed and sent once', async () => {
    await history();

    const [first, second] = await Promise.all([sweep()(undefined, context()), sweep()(undefined, context())]);

    expect(first.sent + second.sent).toBe(9);
    expect((await outbox()).map((row) => [Number(row.published), Number(row.attempts)])).toEqual(Array(9).fill([1, 1]));
    expect(await emulator.drain(queue.url)).toHaveLength(9);
  });

  test('when nothing signals left events, then the scheduled run does not touch the database; the daily forced one does', async () => {
    await history();
    const quiet = { signals: async () => false };

    // WHEN the minute's run finds no signal, on a database it could not even reach
    const skipped = await sweep({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', DB_STARTUP_RETRY_MS: '0' }, quiet)(undefined, context());
    // AND the daily run forces a look
    const forced = await sweep({}, quiet)({ force: true }, context());

    // THEN the first did nothing and failed on nothing; the second sent everything
    expect(skipped).toEqual({ swept: false, sent: 0 });
    expect(forced).toEqual({ swept: true, sent: 9 });
  });

  test('when the queue does not answer, then the sweep fails (its error is the next run`s signal) and the events stay in the outbox', async () => {
    await history();

    await expect(sweep({ SQS_ENDPOINT: 'http://127.0.0.1:1' })(undefined, context())).rejects.toThrow(/the sweep left outbox events/);

    expect((await outbox()).every((row) => Number(row.published) === 0)).toBe(true);
    // AND once the queue is back, the next sweep sends them
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await sweep()(undefined, context())).toEqual({ swept: true, sent: 9 });
  });
});
