import pino from 'pino';
import request from 'supertest';
import type { OrderEvent } from '../../service/api-types';
import { orderEventMessage } from '../../service/messaging/event-contract';
import type { EventConsumer } from '../../service/worker/event-consumer';
import { EventProcessor } from '../../service/worker/event-processor';
import { README_ORDER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** A consumer whose effect is a list in memory; it fails while `failing` is set. */
function recorder(name: string) {
  const applied: number[] = [];
  const consumer: EventConsumer & { applied: number[]; failing: boolean } = {
    name,
    applied,
    failing: false,
    async handle(_manager, event) {
      if (consumer.failing) throw new Error('the mail server is down');
      applied.push(event.id);
    },
  };
  return consumer;
}

describe('the event processor (what the worker does with each message)', () => {
  let t: TestApp;
  let event: OrderEvent;
  beforeEach(async () => {
    t = await createTestApp();
    const { body: order } = await request(t.app).post('/orders').set('user_id', '1').send(README_ORDER).expect(201);
    [event] = (await request(t.app).get(`/orders/${order.id}/events`).set('user_id', '1').expect(200)).body.data;
  });
  afterEach(() => t.close());

  const processorWith = (...consumers: EventConsumer[]) => new EventProcessor(t.db, consumers, pino({ level: 'silent' }));
  const inboxRows = async () => (await t.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM inbox'))[0].n;

  test('when a message is delivered twice, then each consumer applies it once and the inbox holds one row per consumer', async () => {
    const [mail, audit] = [recorder('mail'), recorder('audit')];
    const processor = processorWith(mail, audit);
    const body = JSON.stringify(orderEventMessage(event));

    const first = await processor.process(body);
    const again = await processor.process(body);

    expect([first.handled, again.handled]).toEqual([true, true]);
    expect([mail.applied, audit.applied]).toEqual([[event.id], [event.id]]);
    expect(await inboxRows()).toBe(2);
  });

  test('when a consumer fails, then the message throws to be retried, its inbox row is rolled back, and the retry applies it once', async () => {
    const mail = recorder('mail');
    const processor = processorWith(mail);
    const body = JSON.stringify(orderEventMessage(event));

    mail.failing = true;
    await expect(processor.process(body)).rejects.toThrow('the mail server is down');
    const rowsAfterFailure = await inboxRows();
    mail.failing = false;
    await processor.process(body);

    expect(rowsAfterFailure).toBe(0);
    expect(mail.applied).toEqual([event.id]);
  });

  test.each([
    ['not JSON', () => '{"schemaVersion": 1, "event": ', /not JSON/],
    ['another schema version', () => JSON.stringify({ schemaVersion: 2, event }), /schema version 2 is not one this worker reads/],
    ['an unknown event type', () => JSON.stringify({ schemaVersion: 1, event: { ...event, type: 'order.teleported' } }), /does not match asyncapi.yaml: \/event\/type/],
    ['a field missing', () => JSON.stringify({ schemaVersion: 1, event: { ...event, orderId: undefined } }), /orderId/],
    ['an order that does not exist', () => JSON.stringify({ schemaVersion: 1, event: { ...event, orderId: 999_999 } }), /order 999999 does not exist/],
  ])('when a message is %s, then it is poison with that reason and no consumer runs', async (_case, body, reason) => {
    const mail = recorder('mail');

    const outcome = await processorWith(mail).process(body());

    expect(outcome).toEqual({ handled: false, poison: expect.stringMatching(reason) });
    expect(mail.applied).toEqual([]);
    expect(await inboxRows()).toBe(0);
  });
});
