import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, startService } from '../helpers/built-service';
import { eventually } from '../helpers/pg-cluster';
import { dropSchema, onPostgres } from '../helpers/test-database';

/** `npm ci && npm start` with nothing set: the relay and the consumers run in the one process. */
describe('the embedded default: no queue, the service handles its own events', () => {
  let dir: string;
  let schema: string;
  beforeAll(() => ensureBuilt(), 120_000);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-embedded-'));
    schema = `test_embedded_${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (onPostgres) await dropSchema(schema);
  });

  test('when an order is created and cancelled, then its owner gets both emails as .eml files, within seconds, and each event is published once', async () => {
    const mailDir = path.join(dir, 'mail');
    const database: Record<string, string> = onPostgres ? { DATABASE_URL: process.env.TEST_DATABASE_URL!, DB_SCHEMA: schema } : { SQLITE_PATH: path.join(dir, 'orders.sqlite') };
    const service = await startService({ ...database, MAIL_DIR: mailDir });
    const mails = () => (fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter((file) => file.endsWith('.eml')) : []);
    try {
      const created = await fetch(`${service.baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', user_id: '1' },
        body: JSON.stringify({ products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] }),
      });
      expect(created.status).toBe(201);
      await eventually(async () => mails().length === 1, 10_000, 'the order-received email');
      await fetch(`${service.baseUrl}/orders/1/cancel`, { method: 'PATCH', headers: { user_id: '1' } });
      await eventually(async () => mails().length === 2, 10_000, 'the cancellation email');
    } finally {
      service.process.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    }

    const contents = mails().map((file) => fs.readFileSync(path.join(mailDir, file), 'utf8'));
    expect(contents.map((mail) => /^Subject: (.*)$/m.exec(mail)?.[1]).sort()).toEqual(['We received your order #1', 'Your order #1 was cancelled']);
    for (const mail of contents) expect(mail).toMatch(/^To: ada@example\.com$/m);
    expect(service.logs.some((entry) => entry.msg === 'outbox relay started' && entry.to === 'in-process')).toBe(true);
  }, 60_000);
});
