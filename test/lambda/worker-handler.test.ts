import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { OrderEvent } from '../../service/api-types';
import { createWorkerHandler, type WorkerHandler } from '../../service/serverless/worker-handler';
import { capturedLogger } from '../helpers/captured-logger';
import { eventsOf } from '../helpers/consumer-runner';
import { advance, placeOrder } from '../helpers/orders';
import { invocationContext, recordOf, sqsEvent, sqsRecord } from '../helpers/sqs-event';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('the worker function, with SQS event source batches, on the real database and the file mail transport', () => {
  let t: TestApp;
  let dir: string;
  const handlers: WorkerHandler[] = [];
  const log = capturedLogger();

  beforeAll(async () => {
    t = await createTestApp({ persistent: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-worker-fn-'));
  });
  afterAll(async () => {
    await Promise.all(handlers.map((handler) => handler.close()));
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A container of the worker function with its own env (as its configuration would set it). */
  const worker = (env: Record<string, string> = {}) => {
    const handler = createWorkerHandler({ ...t.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', MAIL_DIR: path.join(dir, 'mail'), ...env }, { logDestination: log.stream });
    handlers.push(handler);
    return handler;
  };
  const mails = (kind: string, event: OrderEvent) =>
    (fs.existsSync(path.join(dir, 'mail')) ? fs.readdirSync(path.join(dir, 'mail')) : []).filter((file) => file.includes(`-order-event-${event.id}.${kind}.`));
  const context = () => invocationContext('OrderService-staging-Worker');

  test('when a batch of two orders is handled, then no failure is reported, and a redelivery changes nothing: each mail once', async () => {
    // GIVEN two orders' events: one created and cancelled, the other created
    const first = await placeOrder(t.app, 1);
    await request(t.app).patch(`/orders/${first.id}/cancel`).set('user_id', '1').expect(200);
    const second = await placeOrder(t.app, 2);
    const [created, cancelled] = await eventsOf(t.db, first.id);
    const [otherCreated] = await eventsOf(t.db, second.id);
    const handler = worker();

    // WHEN Lambda hands them over, then hands them over again (SQS delivers at least once)
    const batch = [recordOf(created), recordOf(otherCreated), recordOf(cancelled)];
    const answer = await handler(sqsEvent(batch), context());
    const again = await handler(sqsEvent(batch.map((record) => ({ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }))), context());

    // THEN nothing failed either time, and each mail went out once
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(mails('order_received', created)).toHaveLength(1);
    expect(mails('order_cancelled', cancelled)).toHaveLength(1);
    expect(mails('order_received', otherCreated)).toHaveLength(1);
    expect(await t.query('SELECT event_id FROM inbox ORDER BY event_id')).toEqual(
      expect.arrayContaining([created, cancelled, otherCreated].map((e) => expect.objectContaining({ event_id: e.id }))),
    );
  });

  test('when a message fails, then it and the later messages of its order are reported, and other orders go on', async () => {
    // GIVEN an order created then moved to processing (no mail), and another order moved to processing
    const failing = await advance(t.app, 3, (await placeOrder(t.app, 3)).id, 'processing');
    const other = await advance(t.app, 4, (await placeOrder(t.app, 4)).id, 'processing');
    const [created, processing] = await eventsOf(t.db, failing.id);
    const [, otherProcessing] = await eventsOf(t.db, other.id);
    // AND a container whose mail folder cannot be written: only mails fail
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, '');
    const handler = worker({ MAIL_DIR: blocker });

    // WHEN the created event (a mail) comes first in the batch
    const answer = await handler(sqsEvent([recordOf(created), recordOf(otherProcessing), recordOf(processing)]), context());

    // THEN it and its order's later event are reported failed; the other order's event is handled
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: `message-${created.id}` }, { itemIdentifier: `message-${processing.id}` }]);
    expect(await t.query('SELECT event_id FROM inbox WHERE event_id IN (?, ?, ?) ORDER BY event_id', [created.id, processing.id, otherProcessing.id])).toEqual([
      { event_id: otherProcessing.id },
    ]);
  });

  test('when a message is poison, then it is reported (for the dead-letter queue) with its order`s later ones, and logged with why', async () => {
    // GIVEN a body that is not JSON in one order's group, that order's next event behind it, and another order's event
    const blocked = await placeOrder(t.app, 5);
    const other = await placeOrder(t.app, 1);
    const [behind] = await eventsOf(t.db, blocked.id);
    const [otherCreated] = await eventsOf(t.db, other.id);
    const poison = sqsRecord('not json', String(blocked.id), { messageId: 'poison', receiveCount: 3 });

    // WHEN they arrive in one batch
    const answer = await worker()(sqsEvent([poison, recordOf(behind), recordOf(otherCreated)]), context());

    // THEN the poison and the event behind it come back, the other order's mail went out
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }, { itemIdentifier: `message-${behind.id}` }]);
    expect(mails('order_received', otherCreated)).toHaveLength(1);
    expect(mails('order_received', behind)).toHaveLength(0);
    expect(log.entries).toContainEqual(expect.objectContaining({ messageId: 'poison', receiveCount: 3, reason: 'the body is not JSON', msg: 'poison message: left for the dead-letter queue' }));
  });

  test('when too little of the function`s time is left to start a message, then the rest of the batch is reported, not begun', async () => {
    const order = await placeOrder(t.app, 2);
    const [created] = await eventsOf(t.db, order.id);

    const answer = await worker()(sqsEvent([recordOf(created)]), invocationContext('OrderService-staging-Worker', 1000));

    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: `message-${created.id}` }]);
    expect(mails('order_received', created)).toHaveLength(0);
  });
});
