import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Publisher } from './publisher';
import { publisherOnFirstUse } from './publisher-on-first-use';

/**
 * Where this process's relay puts events: the SQS queue when QUEUE_URL is set, otherwise this
 * process's consumers (WORKER_EMBEDDED, the default); undefined when neither, and the events wait.
 * The long-running relay (start-relay.ts) and the Lambda functions' (serverless/) choose alike.
 * Either is loaded by the first publish (dynamic imports), not when this module is.
 */
export function createPublisher(config: Config, db: Database, logger: Logger): Publisher | undefined {
  const { messaging } = config;
  const queue = messaging.queue;
  if (queue) {
    return publisherOnFirstUse(async () => {
      const [{ SqsPublisher }, { createSqsClient }] = await Promise.all([import('./sqs-publisher'), import('../messaging/sqs-client')]);
      return new SqsPublisher(createSqsClient(queue), queue.url);
    });
  }
  if (messaging.workerEmbedded) {
    return publisherOnFirstUse(async () => {
      const [{ InProcessPublisher }, { EventProcessor }, { createConsumers }] = await Promise.all([
        import('./in-process-publisher'),
        import('../worker/event-processor'),
        import('../worker/consumers'),
      ]);
      return new InProcessPublisher(new EventProcessor(db, createConsumers(config, logger), logger), logger);
    });
  }
  return undefined;
}
