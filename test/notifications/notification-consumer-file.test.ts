import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../../service/config';
import { createNotificationConsumer, type NotificationConsumer } from '../../service/notifications/notification-consumer';
import { capturedLogger } from '../helpers/captured-logger';
import { eventsOf, handleAsWorker } from '../helpers/consumer-runner';
import { placeOrder } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('order notifications as .eml files (MAIL_TRANSPORT=file, the development default)', () => {
  let dir: string;
  let t: TestApp;
  let log: ReturnType<typeof capturedLogger>;
  let consumer: NotificationConsumer;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-mail-'));
    t = await createTestApp();
    log = capturedLogger();
    // MAIL_DIR does not exist yet: the first mail creates it.
    consumer = createNotificationConsumer(loadConfig({ MAIL_DIR: path.join(dir, 'mail') }).mail, log.logger);
  });
  afterAll(async () => {
    consumer.close();
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('when an order is placed, then one .eml file appears in MAIL_DIR with the headers and both parts, and the log names it', async () => {
    const order = await placeOrder(t.app, 1);
    const [created] = await eventsOf(t.db, order.id);

    await handleAsWorker(t.db, consumer, created);
    await handleAsWorker(t.db, consumer, created);

    const files = fs.readdirSync(path.join(dir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-order-event-\d+\.order_received\.\d+_example\.com\.eml$/);
    const file = path.join(dir, 'mail', files[0]);
    const raw = fs.readFileSync(file, 'utf8');
    expect(raw).toMatch(/\r\nContent-Type: multipart\/alternative;/);
    expect(raw).not.toMatch(/[^\r]\n/);
    const mail = await simpleParser(raw);
    expect(mail.from?.text).toBe('"Order Service" <orders@example.com>');
    expect(mail.to).toMatchObject({ text: 'ada@example.com' });
    expect(mail.subject).toBe(`We received your order #${order.id}`);
    expect(mail.messageId).toMatch(new RegExp(`^<order-event-${created.id}\\.order_received\\.\\d+@example\\.com>$`));
    expect(mail.text).toContain('- Chocolate bar: 7 × $2.99 = $20.93');
    expect(mail.html).toContain('<p>Hello Ada Lovelace,</p>');
    expect(log.entries).toContainEqual(expect.objectContaining({ file, msg: `mail written to ${file}` }));
    expect(await t.query('SELECT message_id FROM notifications WHERE event_id = ?', [created.id])).toEqual([{ message_id: mail.messageId }]);
  });

  test('when MAIL_DIR cannot be written, then the send fails and nothing is recorded', async () => {
    const order = await placeOrder(t.app, 2);
    const [created] = await eventsOf(t.db, order.id);
    const blocker = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocker, '');
    const broken = createNotificationConsumer(loadConfig({ MAIL_DIR: blocker }).mail, log.logger);

    await expect(handleAsWorker(t.db, broken, created)).rejects.toThrow(/EEXIST|ENOTDIR/);

    expect(await t.query('SELECT id FROM notifications WHERE event_id = ?', [created.id])).toEqual([]);
    broken.close();
  });
});
