import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { createPublisher } from './create-publisher';
import { OutboxRelay } from './outbox-relay';

/**
 * Starts this process's outbox relay: to the SQS queue when QUEUE_URL is set, otherwise to the
 * consumers in this process (WORKER_EMBEDDED, the default), or not at all. Returns it, to stop.
 */
export async function startOutboxRelay(config: Config, db: Database, logger: Logger): Promise<OutboxRelay | undefined> {
  const { messaging } = config;
  if (!messaging.relay.enabled) return undefined;
  const publisher = createPublisher(config, db, logger);
  if (!publisher) {
    logger.info('no QUEUE_URL and WORKER_EMBEDDED=false: order events wait in the outbox');
    return undefined;
  }
  const relay = new OutboxRelay(db, publisher, messaging.relay, logger);
  await relay.start();
  logger.info({ to: messaging.queue ? 'sqs' : 'in-process' }, 'outbox relay started');
  return relay;
}
