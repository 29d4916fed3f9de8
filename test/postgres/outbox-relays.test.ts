import request from 'supertest';
import { createSqsClient } from '../../service/messaging/sqs-client';
import { SqsPublisher } from '../../service/outbox/sqs-publisher';
import { README_ORDER } from '../helpers/orders';
import { bodiesOf, CountingPublisher, relayOn } from '../helpers/outbox';
import { eventually } from '../helpers/pg-cluster';
import { QueueEmulator } from '../helpers/queue-emulator';
import { appOn, createTestApp, type TestApp } from '../helpers/test-app';

/** One relay per task: on PostgreSQL several relay the same outbox at once. */
describe('two outbox relays on one PostgreSQL database, under load', () => {
  let emulator: QueueEmulator;
  let t: TestApp;
  beforeAll(async () => {
    emulator = await QueueEmulator.start();
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    await emulator.stop();
  });

  test('when both relay while two instances take orders, then every event is published once, by one relay, in order per order', async () => {
    const queue = await emulator.createFifoQueue(`relays-${process.pid}`);
    const publisher = () => new CountingPublisher(new SqsPublisher(createSqsClient({ url: queue.url, endpoint: emulator.endpoint, region: 'us-east-1' }, {}), queue.url));
    const [a, b] = [publisher(), publisher()];
    const other = await t.reopen();
    // Small batches, so that the two relays' claims interleave; leases as long as in production,
    // since one that ran out (on a slow machine) would rightly be sent again.
    const settings = { batchSize: 5, leaseMs: 30_000 };
    const relays = [relayOn(t.db, a, settings), relayOn(other, b, settings)];
    await Promise.all(relays.map((relay) => relay.start()));
    try {
      const instances = [t.app, appOn(other)];
      await Promise.all(
        Array.from({ length: 60 }, async (_, i) => {
          const app = instances[i % 2];
          const user = String((i % 5) + 1);
          const { body: order } = await request(app).post('/orders').set('user_id', user).send(README_ORDER).expect(201);
          await request(app).patch(`/orders/${order.id}/status`).set('user_id', user).send({ status: 'processing' }).expect(200);
          await request(instances[(i + 1) % 2]).patch(`/orders/${order.id}/cancel`).set('user_id', user).expect(200);
        }),
      );
      const unpublished = async () => (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM order_events WHERE published_at IS NULL'))[0].n;
      await eventually(async () => (await unpublished()) === 0, 30_000, 'every event published');
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
      await other.close();
    }

    const ids = (await t.query<{ id: number }>('SELECT id FROM order_events ORDER BY id')).map((row) => row.id);
    const sent = [...a.sent, ...b.sent].sort((x, y) => x - y);
    expect(sent).toEqual(ids);
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);

    const bodies = bodiesOf(await emulator.drain(queue.url));
    expect(bodies).toHaveLength(ids.length);
    for (const orderId of new Set(bodies.map((body) => body.event.orderId))) {
      expect(bodies.filter((body) => body.event.orderId === orderId).map((body) => body.event.type)).toEqual(['created', 'status_changed', 'cancelled']);
    }
  });
});
