import pino from 'pino';
import request from 'supertest';
import { loadConfig } from '../../service/config';
import type { Database } from '../../service/db/database';
import { openDatabase } from '../../service/db/open-database';
import { seedDevelopmentData } from '../../service/seed/development-seed';
import { createSqsClient } from '../../service/messaging/sqs-client';
import { SqsPublisher } from '../../service/outbox/sqs-publisher';
import type { EventConsumer } from '../../service/worker/event-consumer';
import { EventProcessor } from '../../service/worker/event-processor';
import { SqsWorker } from '../../service/worker/sqs-worker';
import { README_ORDER } from '../helpers/orders';
import { relayOn } from '../helpers/outbox';
import { describeWithPostgresBinaries, eventually, PgCluster } from '../helpers/pg-cluster';
import { QueueEmulator } from '../helpers/queue-emulator';
import { appOn } from '../helpers/test-app';

/** The database goes away under the worker: messages come back after the visibility timeout, none is lost. */
describeWithPostgresBinaries('the worker while the database is down', () => {
  let cluster: PgCluster;
  let emulator: QueueEmulator;
  let db: Database;

  beforeAll(async () => {
    [cluster, emulator] = await Promise.all([PgCluster.primary(), QueueEmulator.start()]);
    await cluster.sql('CREATE DATABASE orders');
    db = await openDatabase(loadConfig({ DATABASE_URL: cluster.url('orders'), DB_STARTUP_RETRY_MS: '20000' }).database, pino({ level: 'silent' }));
    await db.migrate();
    await seedDevelopmentData(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await Promise.all([cluster?.destroy(), emulator?.stop()]);
  });

  test('when the database stops while messages wait and starts again, then every event is applied once, none lost', async () => {
    const queue = await emulator.createFifoQueue(`outage-${process.pid}`, { visibilityTimeoutSeconds: 1, maxReceiveCount: 100 });
    const sqs = () => createSqsClient({ url: queue.url, endpoint: emulator.endpoint, region: 'us-east-1' }, {});
    const app = appOn(db);
    for (const user of [1, 2, 3, 4, 5]) await request(app).post('/orders').set('user_id', String(user)).send(README_ORDER).expect(201);
    const relay = relayOn(db, new SqsPublisher(sqs(), queue.url));
    await relay.start();
    await eventually(async () => (await emulator.depth(queue.url)).visible === 5, 15_000, 'five events on the queue');
    await relay.stop();

    const applied: number[] = [];
    const recorder: EventConsumer = { name: 'recorder', handle: async (_manager, event) => void applied.push(event.id) };
    const logs: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
    await cluster.stop();
    const worker = new SqsWorker(sqs(), queue.url, new EventProcessor(db, [recorder], logger), { waitTimeSeconds: 1, visibilityTimeoutSeconds: 1 }, logger);
    worker.start();
    try {
      await eventually(async () => logs.some((entry) => entry.msg === 'message not handled; it is retried after the visibility timeout'), 15_000, 'a failed attempt');
      await cluster.start();
      await eventually(async () => applied.length >= 5, 60_000, 'the events applied once the database is back');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      await worker.stop();
    }

    expect(applied.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(await emulator.depth(queue.url)).toEqual({ visible: 0, inFlight: 0 });
    expect(await emulator.depth(queue.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
  }, 120_000);
});
