import http from 'node:http';
import request from 'supertest';
import { ensureBuilt, startService, startWorker } from '../helpers/built-service';
import { createSqsClient } from '../../service/messaging/sqs-client';
import { SqsPublisher } from '../../service/outbox/sqs-publisher';
import { README_ORDER } from '../helpers/orders';
import { relayOn } from '../helpers/outbox';
import { eventually } from '../helpers/pg-cluster';
import { QueueEmulator } from '../helpers/queue-emulator';
import { SmtpCapture } from '../helpers/smtp-capture';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The asynchronous path under SIGKILL, with the real compiled processes: each event's effect (the
 * owner's email) happens exactly once whatever dies when.
 */
describe('crashes on the way from the outbox to the email', () => {
  let emulator: QueueEmulator;
  let smtp: SmtpCapture;
  let t: TestApp;
  let queue: { url: string; dlqUrl: string };
  let queueNo = 0;
  beforeAll(async () => {
    ensureBuilt();
    emulator = await QueueEmulator.start();
  }, 180_000);
  afterAll(() => emulator.stop());
  beforeEach(async () => {
    t = await createTestApp({ persistent: true });
    smtp = await SmtpCapture.start();
    queue = await emulator.createFifoQueue(`crash-${process.pid}-${++queueNo}`, { visibilityTimeoutSeconds: 2 });
  });
  afterEach(async () => {
    await smtp.close();
    await t.close();
  });

  /** What the worker's process needs: the database, the queue, the SMTP server. */
  const workerEnv = () => ({
    ...t.env,
    QUEUE_URL: queue.url,
    SQS_ENDPOINT: emulator.endpoint,
    AWS_REGION: 'us-east-1',
    RELAY_ENABLED: 'false',
    WORKER_WAIT_SECONDS: '1',
    WORKER_VISIBILITY_TIMEOUT_SECONDS: '2',
    MAIL_TRANSPORT: 'smtp',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'orders@example.com',
  });
  const count = async (sql: string) => (await t.query<{ n: number }>(sql))[0].n;
  const subjects = () => smtp.mails.map((mail) => mail.parsed.subject ?? '').sort();

  test('when the worker is SIGKILLed in the middle of a batch, then after the visibility timeout every order gets its email once', async () => {
    for (const user of [1, 2, 3, 4, 5]) await placeOrder(t, user);
    const relay = relayOn(t.db, new SqsPublisher(createSqsClient({ url: queue.url, endpoint: emulator.endpoint, region: 'us-east-1' }, {}), queue.url));
    await relay.start();
    await eventually(async () => (await count('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM order_events WHERE published_at IS NULL')) === 0, 15_000, 'events on the queue');
    await relay.stop();

    // The first mail of the batch waits at the SMTP server, its transaction open: then SIGKILL.
    const held = smtp.holdNextMessage();
    const first = await startWorker(workerEnv());
    await held.reached;
    first.process.kill('SIGKILL');
    await first.exited;
    await held.clientGone;
    held.release();
    const second = await startWorker(workerEnv());
    try {
      await eventually(async () => smtp.mails.length >= 5, 30_000, 'five emails');
      // Longer than the visibility timeout: any message handled twice would have come back by now.
      await new Promise((resolve) => setTimeout(resolve, 3000));
    } finally {
      second.process.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }

    expect(subjects()).toEqual([1, 2, 3, 4, 5].map((id) => `We received your order #${id}`));
    expect(await count("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM notifications WHERE status = 'sent'")).toBe(5);
    expect(await count("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM inbox WHERE consumer = 'notifications'")).toBe(5);
  }, 120_000);

  test('when the API is SIGKILLed after its relay sent events and before it marked them, then the restarted relay sends them again, the queue drops the resend, and each email goes once', async () => {
    const proxy = await SendKillingProxy.start(emulator.endpoint);
    const apiEnv = {
      ...t.env,
      QUEUE_URL: queue.url,
      SQS_ENDPOINT: proxy.url,
      AWS_REGION: 'us-east-1',
      RELAY_POLL_MS: '100',
      RELAY_LEASE_MS: '1000',
      MAIL_TRANSPORT: 'file',
    };
    try {
      const first = await startService(apiEnv);
      proxy.killAfterNextSend(() => first.process.kill('SIGKILL'));
      await fetch(`${first.baseUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', user_id: '1' }, body: JSON.stringify(README_ORDER) }).catch(() => undefined);
      await first.exited;
      expect(proxy.sendsForwarded).toBe(1);
      expect(await count('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM order_events WHERE published_at IS NULL')).toBe(1);

      const second = await startService(apiEnv);
      const worker = await startWorker(workerEnv());
      try {
        await eventually(async () => (await count('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM order_events WHERE published_at IS NULL')) === 0, 15_000, 'the event published again');
        await eventually(async () => smtp.mails.length >= 1, 15_000, 'the email');
        await new Promise((resolve) => setTimeout(resolve, 3000));
      } finally {
        second.process.kill('SIGTERM');
        worker.process.kill('SIGTERM');
        await Promise.all([second.exited, worker.exited]);
      }

      expect(proxy.sendsForwarded).toBe(2);
      expect(subjects()).toEqual(['We received your order #1']);
      expect(await emulator.depth(queue.url)).toEqual({ visible: 0, inFlight: 0 });
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

async function placeOrder(t: TestApp, user: number): Promise<void> {
  await request(t.app).post('/orders').set('user_id', String(user)).send(README_ORDER).expect(201);
}

/**
 * An HTTP proxy in front of the SQS stand-in. Armed, it forwards the next SendMessageBatch, and
 * once the queue has accepted it, calls `kill` instead of answering: the relay's process dies
 * between sending and marking, without any hook in the service.
 */
class SendKillingProxy {
  sendsForwarded = 0;
  private kill: (() => void) | undefined;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(upstream: string): Promise<SendKillingProxy> {
    let proxy!: SendKillingProxy;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const isSend = req.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch';
        const answer = await fetch(upstream + (req.url ?? '/'), {
          method: req.method,
          headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)) as [string, string][]),
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        const body = Buffer.from(await answer.arrayBuffer());
        if (isSend) proxy.sendsForwarded += 1;
        if (isSend && proxy.kill) {
          const kill = proxy.kill;
          proxy.kill = undefined;
          kill();
          req.socket.destroy();
          return;
        }
        // fetch has decoded the body already: its length and encoding headers no longer apply.
        const headers = [...answer.headers.entries()].filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding'].includes(name));
        res.writeHead(answer.status, Object.fromEntries(headers));
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new SendKillingProxy(server, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    return proxy;
  }

  killAfterNextSend(kill: () => void): void {
    this.kill = kill;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
