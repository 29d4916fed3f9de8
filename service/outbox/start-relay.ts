import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { createSqsClient } from '../messaging/sqs-client';
import { EventProcessor } from '../worker/event-processor';
import { createConsumers } from '../worker/consumers';
import { InProcessPublisher } from './in-process-publisher';
import { OutboxRelay } from './outbox-relay';
import type { Publisher } from './publisher';
import { SqsPublisher } from './sqs-publisher';

/**
 * Starts this process's outbox relay: to the SQS queue when QUEUE_URL is set, otherwise to the
 * consumers in this process (WORKER_EMBEDDED, the default), or not at all. Returns it, to stop.
 */
export async function startOutboxRelay(config: Config, db: Database, logger: Logger): Promise<OutboxRelay | undefined> {
  const { messaging } = config;
  if (!messaging.relay.enabled) return undefined;
  let publisher: Publisher;
  if (messaging.queue) {
    publisher = new SqsPublisher(createSqsClient(messaging.queue), messaging.queue.url);
  } else if (messaging.workerEmbedded) {
    publisher = new InProcessPublisher(new EventProcessor(db, createConsumers(config, logger), logger), logger);
  } else {
    logger.info('no QUEUE_URL and WORKER_EMBEDDED=false: order events wait in the outbox');
    return undefined;
  }
  const relay = new OutboxRelay(db, publisher, messaging.relay, logger);
  await relay.start();
  logger.info({ to: messaging.queue ? 'sqs' : 'in-process' }, 'outbox relay started');
  return relay;
}
