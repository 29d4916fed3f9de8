import request from 'supertest';
import { SqsPublisher } from '../../service/outbox/sqs-publisher';
import { claimEvents } from '../../service/outbox/outbox-repository';
import { createSqsClient } from '../../service/messaging/sqs-client';
import { README_ORDER } from '../helpers/orders';
import { bodiesOf, CountingPublisher, relayOn } from '../helpers/outbox';
import { eventually } from '../helpers/pg-cluster';
import { QueueEmulator } from '../helpers/queue-emulator';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('the outbox relay to an SQS FIFO queue', () => {
  let emulator: QueueEmulator;
  let t: TestApp;
  let queue: { url: string; dlqUrl: string };
  let queueNo = 0;

  beforeAll(async () => {
    emulator = await QueueEmulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(async () => {
    t = await createTestApp();
    queue = await emulator.createFifoQueue(`relay-${process.pid}-${++queueNo}`);
  });
  afterEach(() => t.close());

  const publisherTo = (url: string, endpoint = emulator.endpoint) =>
    new SqsPublisher(createSqsClient({ url, endpoint, region: 'us-east-1' }, {}), url);
  const unpublished = async () =>
    (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM order_events WHERE published_at IS NULL'))[0].n;
  const eventCount = async () => (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM order_events'))[0].n;

  /** Orders of users 1-3, each moved along or cancelled: several events per order. */
  async function makeHistory(): Promise<void> {
    for (const user of [1, 2, 3]) {
      const { body: order } = await request(t.app).post('/orders').set('user_id', String(user)).send(README_ORDER).expect(201);
      await request(t.app).patch(`/orders/${order.id}/status`).set('user_id', String(user)).send({ status: 'processing' }).expect(200);
      if (user === 2) await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '2').expect(200);
      else await request(t.app).patch(`/orders/${order.id}/tracking`).set('user_id', String(user)).send({ shippingProvider: 'UPS', trackingNumber: `1Z${user}` }).expect(200);
    }
  }

  test('when orders change, then each event is sent once, as asyncapi.yaml says, grouped and in order per order, and marked published', async () => {
    const relay = relayOn(t.db, publisherTo(queue.url));
    await relay.start();
    try {
      await makeHistory();
      await eventually(async () => (await unpublished()) === 0, 10_000, 'every event published');
    } finally {
      await relay.stop();
    }

    const messages = await emulator.drain(queue.url);
    const bodies = bodiesOf(messages);
    const events = await t.query<{ id: number; order_id: number }>('SELECT id, order_id FROM order_events ORDER BY id');
    expect(bodies.map((body) => body.event.id).sort((a, b) => a - b)).toEqual(events.map((event) => event.id));
    for (const [i, message] of messages.entries()) {
      expect(message.Attributes?.MessageGroupId).toBe(String(bodies[i].event.orderId));
      expect(message.Attributes?.MessageDeduplicationId).toBe(`order-event-${bodies[i].event.id}`);
      expect(message.MessageAttributes?.type?.StringValue).toBe(bodies[i].event.type);
      expect(bodies[i].schemaVersion).toBe(1);
    }
    for (const orderId of new Set(events.map((event) => event.order_id))) {
      const versions = bodies.filter((body) => body.event.orderId === orderId).map((body) => body.event.orderVersion);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
  });

  test('when the queue is unreachable, then orders are still accepted, events wait in the outbox, and all leave in order once it is back', async () => {
    // A port nobody listens on: every send fails at once (connection refused).
    const down = new CountingPublisher(publisherTo(queue.url, 'http://127.0.0.1:9'));
    const relay = relayOn(t.db, down);
    await relay.start();
    try {
      await makeHistory();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await unpublished()).toBe(await eventCount());
      expect(down.sent).toEqual([]);
    } finally {
      await relay.stop();
    }

    const healthy = relayOn(t.db, publisherTo(queue.url), { pollMs: 50 });
    await healthy.start();
    try {
      // Failed events wait out their backoff (at most a few poll intervals here) before the next try.
      await eventually(async () => (await unpublished()) === 0, 15_000, 'the waiting events published');
    } finally {
      await healthy.stop();
    }
    const bodies = bodiesOf(await emulator.drain(queue.url));
    expect(bodies).toHaveLength(await eventCount());
    for (const orderId of new Set(bodies.map((body) => body.event.orderId))) {
      const versions = bodies.filter((body) => body.event.orderId === orderId).map((body) => body.event.orderVersion);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
  });

  test('when the queue stays down, then the relay backs off instead of trying again at every commit', async () => {
    const down = new CountingPublisher(publisherTo(queue.url, 'http://127.0.0.1:9'));
    const relay = relayOn(t.db, down, { pollMs: 400, lingerMs: 0 });
    await relay.start();
    try {
      // Twelve commits over about two seconds; each would wake a relay that did not back off.
      for (let i = 0; i < 12; i++) {
        await request(t.app).post('/orders').set('user_id', '1').send(README_ORDER).expect(201);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    } finally {
      await relay.stop();
    }

    // Tries after 0.4, 0.8 and 1.6 s of backoff: a handful of rounds, not one per commit.
    expect(down.rounds).toBeGreaterThanOrEqual(1);
    expect(down.rounds).toBeLessThanOrEqual(5);
    expect(await unpublished()).toBe(12);
  });

  test('when orders commit in a burst, then the relay gathers them into a few rounds instead of one per commit, and every event still leaves once', async () => {
    const counting = new CountingPublisher(publisherTo(queue.url));
    // A linger long enough that a slow machine still commits the whole burst within it.
    const relay = relayOn(t.db, counting, { lingerMs: 1000, pollMs: 5000 });
    await relay.start();
    try {
      await Promise.all(Array.from({ length: 12 }, (_, i) => request(t.app).post('/orders').set('user_id', String((i % 3) + 1)).send(README_ORDER).expect(201)));
      await eventually(async () => (await unpublished()) === 0, 10_000, 'every event published');
    } finally {
      await relay.stop();
    }

    expect(counting.sent).toHaveLength(12);
    expect(counting.rounds).toBeLessThanOrEqual(2);
    expect(bodiesOf(await emulator.drain(queue.url))).toHaveLength(12);
  });

  test('when the relay is stopped while it lingers, then it stops at once rather than after the linger, and the event waits in the outbox', async () => {
    const relay = relayOn(t.db, publisherTo(queue.url), { lingerMs: 60_000 });
    await relay.start();
    // The commit wakes the relay, which then lingers for more.
    await request(t.app).post('/orders').set('user_id', '1').send(README_ORDER).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const stopping = relay.stop();
    const outcome = await Promise.race([stopping.then(() => 'stopped'), new Promise((resolve) => setTimeout(() => resolve('still lingering'), 5_000))]);

    expect(outcome).toBe('stopped');
    expect(await unpublished()).toBe(1);
  });

  test('when a relay sent events but died before marking them, then after its lease another relay sends them again and the queue drops the resend', async () => {
    await makeHistory();
    const total = await eventCount();
    // What a relay does before it would mark: claim (lease 1 s), then send. Then it is gone.
    const now = new Date();
    const claimed = await t.db.write((manager) => claimEvents(manager, 100, now, new Date(now.getTime() + 1000)));
    await publisherTo(queue.url).publish(claimed.map((c) => c.event));

    const second = new CountingPublisher(publisherTo(queue.url));
    const relay = relayOn(t.db, second);
    await relay.start();
    try {
      await eventually(async () => (await unpublished()) === 0, 10_000, 'the dead relay\'s events published by the next');
    } finally {
      await relay.stop();
    }

    // Sent twice (the lease ran out), on the queue once (the deduplication id).
    expect(second.sent).toEqual(expect.arrayContaining(claimed.map((c) => c.event.id)));
    const bodies = bodiesOf(await emulator.drain(queue.url));
    expect(bodies.map((body) => body.event.id).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});
