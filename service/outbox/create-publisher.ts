import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { createSqsClient } from '../messaging/sqs-client';
import { createConsumers } from '../worker/consumers';
import { EventProcessor } from '../worker/event-processor';
import { InProcessPublisher } from './in-process-publisher';
import type { Publisher } from './publisher';
import { SqsPublisher } from './sqs-publisher';

/**
 * Where this process's relay puts events: the SQS queue when QUEUE_URL is set, otherwise this
 * process's consumers (WORKER_EMBEDDED, the default); undefined when neither, and the events wait.
 * The long-running relay (start-relay.ts) and the Lambda functions' (serverless/) choose alike.
 */
export function createPublisher(config: Config, db: Database, logger: Logger): Publisher | undefined {
  const { messaging } = config;
  if (messaging.queue) return new SqsPublisher(createSqsClient(messaging.queue), messaging.queue.url);
  if (messaging.workerEmbedded) return new InProcessPublisher(new EventProcessor(db, createConsumers(config, logger), logger), logger);
  return undefined;
}
