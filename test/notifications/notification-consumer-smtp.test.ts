import request from 'supertest';
import type { OrderEvent } from '../../service/api-types';
import { loadConfig } from '../../service/config';
import { createNotificationConsumer, type NotificationConsumer } from '../../service/notifications/notification-consumer';
import { recordInInbox } from '../../service/worker/inbox-repository';
import { capturedLogger } from '../helpers/captured-logger';
import { eventsOf, handleAsWorker } from '../helpers/consumer-runner';
import { advance, placeOrder } from '../helpers/orders';

const USPS_TRACKING = { shippingProvider: 'USPS', trackingNumber: '03071790000523483741' };
import { SmtpCapture } from '../helpers/smtp-capture';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('order notifications through a real SMTP server', () => {
  let smtp: SmtpCapture;
  let t: TestApp;
  let log: ReturnType<typeof capturedLogger>;
  let consumer: NotificationConsumer;
  beforeAll(async () => {
    smtp = await SmtpCapture.start();
    t = await createTestApp();
    log = capturedLogger();
    const { mail } = loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, MAIL_FROM: 'Coffee Shop <orders@shop.example.com>' });
    consumer = createNotificationConsumer(mail, log.logger);
  });
  afterAll(async () => {
    consumer.close();
    await t.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.mails.length = 0;
    smtp.refuseNext = 0;
    log.entries.length = 0;
  });

  /** Every event of the order, through the consumer as the worker runs it; returns the events. */
  const deliverAll = async (orderId: number): Promise<OrderEvent[]> => {
    const events = await eventsOf(t.db, orderId);
    for (const event of events) await handleAsWorker(t.db, consumer, event);
    return events;
  };
  const eventOfType = async (orderId: number, type: string) => (await eventsOf(t.db, orderId)).find((event) => event.type === type)!;
  const notificationsOf = (eventId: number) =>
    t.query<{ kind: string; status: string; recipient: string | null; reason: string | null; message_id: string | null; user_id: number }>(
      'SELECT kind, status, recipient, reason, message_id, user_id FROM notifications WHERE event_id = ?',
      [eventId],
    );
  const inboxOf = (eventId: number) => t.query("SELECT event_id FROM inbox WHERE consumer = 'notifications' AND event_id = ?", [eventId]);

  test('when an order is placed, then its owner gets one "received" mail with text and HTML, the lines and the total, and the row records it', async () => {
    const order = await placeOrder(t.app, 1);

    const [created] = await deliverAll(order.id);

    expect(smtp.mails).toHaveLength(1);
    const [{ parsed, envelopeFrom, envelopeTo }] = smtp.mails;
    expect(envelopeFrom).toBe('orders@shop.example.com');
    expect(envelopeTo).toEqual(['ada@example.com']);
    expect(parsed.from?.text).toBe('"Coffee Shop" <orders@shop.example.com>');
    expect(parsed.subject).toBe(`We received your order #${order.id}`);
    expect(parsed.text).toContain('Hello Ada Lovelace,');
    expect(parsed.text).toContain(`Your order (order #${order.id}):\n- Chocolate bar: 7 × $2.99 = $20.93\n- Espresso beans, 1 kg: 1 × $15.29 = $15.29\nOrder total: $36.22`);
    expect(parsed.html).toContain('Chocolate bar</td>');
    expect(parsed.html).toMatch(/Order total<\/th><th [^>]+>\$36\.22</);
    expect(parsed.messageId).toMatch(new RegExp(`^<order-event-${created.id}\\.order_received\\.\\d+@shop\\.example\\.com>$`));
    expect(await notificationsOf(created.id)).toEqual([
      { kind: 'order_received', status: 'sent', recipient: 'ada@example.com', reason: null, message_id: parsed.messageId, user_id: 1 },
    ]);
    expect(log.entries).toContainEqual(expect.objectContaining({ consumer: 'notifications', eventId: created.id, kind: 'order_received', userId: 1, messageId: parsed.messageId }));
    expect(JSON.stringify(log.entries)).not.toContain('ada@example.com');
  });

  test('when an order is shipped with USPS tracking, then the shipped mail carries the carrier, the number and USPS\'s tracking link', async () => {
    const order = await placeOrder(t.app, 2);
    // A number USPS can have (the README's example is not one, and gets no link).
    await request(t.app).patch(`/orders/${order.id}/tracking`).set('user_id', '2').send(USPS_TRACKING).expect(200);
    await advance(t.app, 2, order.id, 'processing', 'shipped');

    await deliverAll(order.id);

    // created, tracking_set, processing, shipped: a mail for the first and the last only.
    expect(smtp.mails.map((mail) => mail.parsed.subject)).toEqual([`We received your order #${order.id}`, `Your order #${order.id} has shipped`]);
    const shipped = smtp.mails[1].parsed;
    expect(shipped.text).toContain(
      'Carrier: USPS\nTracking number: 03071790000523483741\nTrack your parcel: https://tools.usps.com/go/TrackConfirmAction?tLabels=03071790000523483741\n',
    );
    expect(shipped.html).toContain('<a href="https://tools.usps.com/go/TrackConfirmAction?tLabels=03071790000523483741">Track your parcel</a>');
    expect(shipped.to).toMatchObject({ text: 'grace@example.com' });
  });

  test('when an order is delivered, then its owner gets the delivered mail', async () => {
    const order = await placeOrder(t.app, 3);
    await advance(t.app, 3, order.id, 'processing', 'shipped', 'delivered');

    await deliverAll(order.id);

    expect(smtp.mails.map((mail) => mail.parsed.subject)).toEqual([
      `We received your order #${order.id}`,
      `Your order #${order.id} has shipped`,
      `Your order #${order.id} was delivered`,
    ]);
    // Shipped without tracking: the mail says so without a carrier.
    expect(smtp.mails[1].parsed.text).not.toContain('Carrier');
  });

  test('when an order is cancelled, then its owner gets the cancelled mail with what was ordered', async () => {
    const order = await placeOrder(t.app, 4);
    await request(t.app).patch(`/orders/${order.id}/cancel`).set('user_id', '4').expect(200);

    await deliverAll(order.id);

    expect(smtp.mails.map((mail) => mail.parsed.subject)).toEqual([`We received your order #${order.id}`, `Your order #${order.id} was cancelled`]);
    expect(smtp.mails[1].parsed.text).toContain('The cancelled order (order #');
    expect(smtp.mails[1].parsed.text).toContain('Order total: $36.22');
  });

  test('when one parcel of an order ships, then the shipped mail lists that parcel\'s lines and DHL\'s link', async () => {
    const order = await placeOrder(t.app, 1);
    const chocolate = order.products.find((line) => line.productId === 9)!;
    const { body: shipment } = await request(t.app)
      .post(`/orders/${order.id}/shipments`)
      .set('user_id', '1')
      .send({ lines: [{ orderLineId: chocolate.id, quantity: 3 }], carrier: 'DHL', trackingNumber: '3318810025' })
      .expect(201);
    await request(t.app).patch(`/orders/${order.id}/shipments/${shipment.id}/status`).set('user_id', '1').send({ status: 'shipped' }).expect(200);

    const shipped = await eventOfType(order.id, 'shipment.shipped');
    await t.db.write((manager) => consumer.handle(manager, shipped));

    const [{ parsed }] = smtp.mails;
    expect(parsed.subject).toBe(`Your order #${order.id} has shipped`);
    expect(parsed.text).toContain('Track your parcel: https://www.dhl.com/global-en/home/tracking/tracking-express.html?tracking-id=3318810025');
    expect(parsed.text).toContain(`In this shipment (order #${order.id}):\n- Chocolate bar: 3 × $2.99 = $8.97\nOrder total: $36.22`);
  });

  test('when several orders are mailed one after another, then they travel over one kept-open SMTP connection', async () => {
    const sessionsBefore = smtp.sessions;
    for (const user of [1, 2, 3]) await deliverAll((await placeOrder(t.app, user)).id);

    expect(smtp.mails).toHaveLength(3);
    // At most one new session: the pool's, opened by the first mail (or by an earlier test).
    expect(smtp.sessions - sessionsBefore).toBeLessThanOrEqual(1);
  });

  test('when the same event is delivered twice, in two transactions as the worker runs them, then one mail is sent', async () => {
    const order = await placeOrder(t.app, 1);
    const created = await eventOfType(order.id, 'created');

    expect(await handleAsWorker(t.db, consumer, created)).toBe(true);
    expect(await handleAsWorker(t.db, consumer, created)).toBe(false);

    expect(smtp.mails).toHaveLength(1);
    expect(await notificationsOf(created.id)).toHaveLength(1);
  });

  test('when the consumer itself runs twice for one event (no inbox in front), then its notifications row still lets one mail out', async () => {
    const order = await placeOrder(t.app, 1);
    const created = await eventOfType(order.id, 'created');

    await t.db.write((manager) => consumer.handle(manager, created));
    await t.db.write((manager) => consumer.handle(manager, created));

    expect(smtp.mails).toHaveLength(1);
    expect(log.entries).toContainEqual(expect.objectContaining({ msg: `order_received mail for event ${created.id} is recorded already: not sent again` }));
  });

  test('when two deliveries of one event are handled at the same time, then one mail is sent', async () => {
    const order = await placeOrder(t.app, 1);
    const created = await eventOfType(order.id, 'created');

    const ran = await Promise.all([handleAsWorker(t.db, consumer, created), handleAsWorker(t.db, consumer, created)]);

    expect(ran.sort()).toEqual([false, true]);
    expect(smtp.mails).toHaveLength(1);
  });

  test('when the SMTP server refuses the mail, then the transaction rolls back (no notification, no inbox row) and the retry sends it once', async () => {
    const order = await placeOrder(t.app, 1);
    const created = await eventOfType(order.id, 'created');
    smtp.refuseNext = 1;

    await expect(handleAsWorker(t.db, consumer, created)).rejects.toThrow(/451/);

    expect(smtp.mails).toHaveLength(0);
    expect(await notificationsOf(created.id)).toEqual([]);
    expect(await inboxOf(created.id)).toEqual([]);

    expect(await handleAsWorker(t.db, consumer, created)).toBe(true);
    expect(await handleAsWorker(t.db, consumer, created)).toBe(false);

    expect(smtp.mails).toHaveLength(1);
    expect(await notificationsOf(created.id)).toEqual([expect.objectContaining({ status: 'sent' })]);
    expect(await inboxOf(created.id)).toHaveLength(1);
  });

  test('when the transaction fails after the server accepted the mail (the one window), then the retry sends it again under the same Message-ID', async () => {
    const order = await placeOrder(t.app, 1);
    const created = await eventOfType(order.id, 'created');

    // As a crash between the transport's acceptance and COMMIT: the mail is out, nothing is recorded.
    await expect(
      t.db.write(async (manager) => {
        await recordInInbox(manager, consumer.name, created.id, new Date());
        await consumer.handle(manager, created);
        throw new Error('the process died before COMMIT');
      }),
    ).rejects.toThrow('before COMMIT');
    expect(await notificationsOf(created.id)).toEqual([]);

    await handleAsWorker(t.db, consumer, created);

    expect(smtp.mails).toHaveLength(2);
    expect(smtp.mails[1].parsed.messageId).toBe(smtp.mails[0].parsed.messageId);
  });

  test('when the owner has no address, then nothing is sent, a skipped row says why, and the log says so once', async () => {
    await t.query('UPDATE users SET email = NULL WHERE id = 5');
    try {
      const order = await placeOrder(t.app, 5);
      const created = await eventOfType(order.id, 'created');

      await handleAsWorker(t.db, consumer, created);
      await t.db.write((manager) => consumer.handle(manager, created));

      expect(smtp.mails).toEqual([]);
      expect(await notificationsOf(created.id)).toEqual([
        { kind: 'order_received', status: 'skipped', recipient: null, reason: 'no_address', message_id: null, user_id: 5 },
      ]);
      const skipped = log.entries.filter((entry) => entry.eventId === created.id);
      expect(skipped).toEqual([
        expect.objectContaining({ level: 40, userId: 5, orderId: order.id, msg: `no order_received mail for order ${order.id}: its owner (user 5) has no email address` }),
      ]);
    } finally {
      await t.query("UPDATE users SET email = 'barbara@example.com' WHERE id = 5");
    }
  });

  test('when the database itself gets a second notification for one event and kind, then the unique key refuses it', async () => {
    const order = await placeOrder(t.app, 1);
    const [created] = await deliverAll(order.id);

    await expect(
      t.query("INSERT INTO notifications (event_id, kind, user_id, recipient, status, created_at) VALUES (?, 'order_received', 1, 'x@example.com', 'sent', '2026-01-01')", [
        created.id,
      ]),
    ).rejects.toThrow(/unique/i);
    await expect(
      t.query("INSERT INTO notifications (event_id, kind, user_id, status, created_at) VALUES (?, 'order_shipped', 1, 'skipped', '2026-01-01')", [created.id]),
    ).rejects.toThrow(/constraint/i);
  });
});
