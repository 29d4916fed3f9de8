import pino from 'pino';
import { loadConfig } from '../../service/config';
import { createNotificationConsumer, type NotificationConsumer } from '../../service/notifications/notification-consumer';
import { eventsOf, handleAsWorker } from '../helpers/consumer-runner';
import { advance, placeOrder } from '../helpers/orders';
import { SesStandIn } from '../helpers/ses-stand-in';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** Made up: the stand-in only checks that requests are signed, as the SDK does with any keys. */
const FAKE_AWS_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLESTANDIN00', AWS_SECRET_ACCESS_KEY: 'stand-in-secret' };

describe('order notifications through SES\'s v2 API (aws-ses-v2-local as the endpoint)', () => {
  let ses: SesStandIn;
  let t: TestApp;
  let consumer: NotificationConsumer;
  const saved = { ...process.env };
  beforeAll(async () => {
    // The SDK's default credential chain reads these, as it reads the task role in ECS.
    Object.assign(process.env, FAKE_AWS_CREDENTIALS);
    ses = await SesStandIn.start();
    t = await createTestApp();
    const { mail } = loadConfig({
      MAIL_TRANSPORT: 'ses',
      MAIL_FROM: 'Coffee Shop <orders@shop.example.com>',
      AWS_REGION: 'eu-west-1',
      SES_ENDPOINT: ses.endpoint,
    });
    consumer = createNotificationConsumer(mail, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    consumer.close();
    await t.close();
    await ses.close();
    process.env = saved;
  });

  test('when an order is placed and delivered, then SES gets each mail as a raw MIME message and the row keeps SES\'s message id', async () => {
    const order = await placeOrder(t.app, 2);
    await advance(t.app, 2, order.id, 'processing', 'shipped', 'delivered');

    for (const event of await eventsOf(t.db, order.id)) await handleAsWorker(t.db, consumer, event);

    const mails = await ses.mails();
    expect(mails.map((mail) => [mail.subject, mail.destination.to])).toEqual([
      [`We received your order #${order.id}`, ['grace@example.com']],
      [`Your order #${order.id} has shipped`, ['grace@example.com']],
      [`Your order #${order.id} was delivered`, ['grace@example.com']],
    ]);
    // The stand-in parsed these out of the raw MIME message nodemailer composed (Content.Raw).
    expect(mails[0].from).toBe('"Coffee Shop" <orders@shop.example.com>');
    expect(mails[0].body.text).toContain('Hello Grace Hopper,');
    expect(mails[0].body.text).toContain('Order total: $36.22');
    expect(mails[0].body.html).toContain('Chocolate bar</td>');
    const rows = await t.query<{ message_id: string }>(
      "SELECT n.message_id FROM notifications n JOIN order_events e ON e.id = n.event_id WHERE e.order_id = ? AND n.status = 'sent' ORDER BY n.id",
      [order.id],
    );
    // nodemailer's form of SES's MessageId: <id@<region>.amazonses.com>.
    expect(rows.map((row) => row.message_id)).toEqual(mails.map((mail) => `<${mail.messageId}@eu-west-1.amazonses.com>`));
  });

  test('when the SES endpoint does not answer, then the send fails, nothing is recorded, and the event stays to be retried', async () => {
    const order = await placeOrder(t.app, 4);
    const [created] = await eventsOf(t.db, order.id);
    const { mail } = loadConfig({ MAIL_TRANSPORT: 'ses', MAIL_FROM: 'orders@shop.example.com', AWS_REGION: 'eu-west-1', SES_ENDPOINT: 'http://127.0.0.1:9' });
    const unreachable = createNotificationConsumer(mail, pino({ level: 'silent' }));
    try {
      await expect(handleAsWorker(t.db, unreachable, created)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      unreachable.close();
    }

    expect(await t.query('SELECT id FROM notifications WHERE event_id = ?', [created.id])).toEqual([]);
    expect(await t.query('SELECT event_id FROM inbox WHERE event_id = ?', [created.id])).toEqual([]);
  });
});
