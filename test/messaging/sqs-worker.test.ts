import { SendMessageCommand } from '@aws-sdk/client-sqs';
import pino from 'pino';
import request from 'supertest';
import type { OrderEvent } from '../../service/api-types';
import { createSqsClient } from '../../service/messaging/sqs-client';
import { SqsPublisher } from '../../service/outbox/sqs-publisher';
import type { EventConsumer } from '../../service/worker/event-consumer';
import { EventProcessor } from '../../service/worker/event-processor';
import { SqsWorker } from '../../service/worker/sqs-worker';
import { README_ORDER } from '../helpers/orders';
import { bodiesOf, relayOn } from '../helpers/outbox';
import { eventually } from '../helpers/pg-cluster';
import { QueueEmulator } from '../helpers/queue-emulator';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('the worker on an SQS FIFO queue', () => {
  let emulator: QueueEmulator;
  let t: TestApp;
  let queue: { url: string; dlqUrl: string };
  let queueNo = 0;
  const applied: OrderEvent[] = [];
  let gate: Promise<void> | undefined;
  const consumer: EventConsumer = {
    name: 'recorder',
    async handle(_manager, event) {
      await gate;
      applied.push(event);
    },
  };

  beforeAll(async () => {
    emulator = await QueueEmulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(async () => {
    t = await createTestApp();
    queue = await emulator.createFifoQueue(`worker-${process.pid}-${++queueNo}`, { maxReceiveCount: 2, visibilityTimeoutSeconds: 1 });
    applied.length = 0;
    gate = undefined;
  });
  afterEach(() => t.close());

  const sqs = () => createSqsClient({ url: queue.url, endpoint: emulator.endpoint, region: 'us-east-1' }, {});
  const workerOn = () => new SqsWorker(sqs(), queue.url, new EventProcessor(t.db, [consumer], pino({ level: 'silent' })), { waitTimeSeconds: 1, visibilityTimeoutSeconds: 1 }, pino({ level: 'silent' }));

  async function publishHistory(): Promise<number> {
    for (const user of [1, 2, 3]) {
      const { body: order } = await request(t.app).post('/orders').set('user_id', String(user)).send(README_ORDER).expect(201);
      await request(t.app).patch(`/orders/${order.id}/status`).set('user_id', String(user)).send({ status: 'processing' }).expect(200);
      await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', String(user)).expect(200);
    }
    const relay = relayOn(t.db, new SqsPublisher(sqs(), queue.url));
    const unpublished = async () => (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM order_events WHERE published_at IS NULL'))[0].n;
    await relay.start();
    try {
      await eventually(async () => (await unpublished()) === 0, 10_000, 'every event published');
    } finally {
      await relay.stop();
    }
    return (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM order_events'))[0].n;
  }

  test('when events are on the queue, then each is applied once, in order per order, and deleted', async () => {
    const published = await publishHistory();
    const worker = workerOn();
    worker.start();
    try {
      await eventually(async () => applied.length === published, 15_000, 'every event applied');
      await eventually(async () => (await emulator.depth(queue.url)).inFlight === 0, 5000, 'the messages deleted');
    } finally {
      await worker.stop();
    }

    expect(applied).toHaveLength(9);
    for (const orderId of new Set(applied.map((event) => event.orderId))) {
      expect(applied.filter((event) => event.orderId === orderId).map((event) => event.type)).toEqual(['created', 'status_changed', 'cancelled']);
    }
    expect(await emulator.depth(queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  test('when poison arrives, then it goes to the dead-letter queue after the redrive count and the worker goes on with the next messages', async () => {
    for (const [group, body] of [['901', 'not json'], ['902', JSON.stringify({ schemaVersion: 7, event: {} })]]) {
      await emulator.sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: `poison-${group}` }));
    }
    const published = await publishHistory();
    const worker = workerOn();
    worker.start();
    try {
      await eventually(async () => applied.length === published, 15_000, 'the good events applied');
      await eventually(async () => (await emulator.depth(queue.dlqUrl)).visible === 2, 15_000, 'the poison in the dead-letter queue');
    } finally {
      await worker.stop();
    }

    const dead = await emulator.drain(queue.dlqUrl);
    expect(dead.map((message) => message.Body).sort()).toEqual(['not json', JSON.stringify({ schemaVersion: 7, event: {} })]);
    expect(await emulator.depth(queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  test('when the worker is stopped with a batch in hand, then it finishes that batch, deletes it, and stops polling', async () => {
    const published = await publishHistory();
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    const worker = workerOn();
    worker.start();
    await eventually(async () => (await emulator.depth(queue.url)).inFlight > 0, 10_000, 'a batch received');

    const stopped = worker.stop();
    release();
    await stopped;
    const inHand = applied.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // Whatever it received it applied and deleted; the rest waits on the queue, untouched.
    expect(inHand).toBeGreaterThan(0);
    expect(applied).toHaveLength(inHand);
    expect(await emulator.depth(queue.url)).toEqual({ visible: published - inHand, inFlight: 0 });
    expect(bodiesOf(await emulator.drain(queue.url)).map((body) => body.event.id)).not.toEqual(expect.arrayContaining(applied.map((e) => e.id)));
  });
});
