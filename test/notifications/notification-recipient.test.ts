import { randomUUID } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import type { Order } from '../../service/api-types';
import { loadConfig } from '../../service/config';
import { createNotificationConsumer, type NotificationConsumer } from '../../service/notifications/notification-consumer';
import { eventsOf, handleAsWorker } from '../helpers/consumer-runner';
import { README_ORDER } from '../helpers/orders';
import { SmtpCapture } from '../helpers/smtp-capture';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { bearer, TestIssuer } from '../helpers/token-issuer';

describe('JWT mode: notifications go to the address the owner\'s latest token carried', () => {
  let issuer: TestIssuer;
  let smtp: SmtpCapture;
  let t: TestApp;
  let consumer: NotificationConsumer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    smtp = await SmtpCapture.start();
    t = await createTestApp({ env: issuer.env() });
    consumer = createNotificationConsumer(loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, MAIL_FROM: 'orders@shop.example.com' }).mail, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    consumer.close();
    await t.close();
    await smtp.close();
    await issuer.close();
  });

  const order = async (claims: Record<string, unknown>): Promise<Order> => {
    const res = await request(t.app).post('/orders').set('Authorization', bearer(await issuer.token(claims))).send(README_ORDER);
    expect(res.status).toBe(201);
    return res.body;
  };
  const deliver = async (placed: Order) => {
    for (const event of await eventsOf(t.db, placed.id)) await handleAsWorker(t.db, consumer, event);
  };

  test('when a customer orders, changes their address, and orders again, then each mail goes to the address of its time', async () => {
    const sub = randomUUID();
    const first = await order({ sub, email: 'first@example.com', email_verified: true });
    await deliver(first);
    const second = await order({ sub, email: 'second@example.org', email_verified: true });
    await deliver(second);

    expect(smtp.mails.map((mail) => [mail.parsed.subject, mail.envelopeTo])).toEqual([
      [`We received your order #${first.id}`, ['first@example.com']],
      [`We received your order #${second.id}`, ['second@example.org']],
    ]);
    // No name comes from a token: the greeting has none.
    expect(smtp.mails[0].parsed.text).toMatch(/^Hello,\n/);
  });

  test('when a customer\'s tokens never carried a usable address, then their order is skipped, not mailed', async () => {
    const placed = await order({ sub: randomUUID(), email: 'typed-in@example.com', email_verified: false });
    const sent = smtp.mails.length;

    await deliver(placed);

    expect(smtp.mails).toHaveLength(sent);
    expect(
      await t.query("SELECT n.status, n.reason FROM notifications n JOIN order_events e ON e.id = n.event_id WHERE e.order_id = ?", [placed.id]),
    ).toEqual([{ status: 'skipped', reason: 'no_address' }]);
  });
});
