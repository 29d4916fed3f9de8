import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/open-database';
import { limitHeapGrowth } from './heap-settings';
import { bufferedStdout, createLogger } from './http/logger';
import { createSqsClient } from './messaging/sqs-client';
import { createConsumers } from './worker/consumers';
import { EventProcessor } from './worker/event-processor';
import { SqsWorker } from './worker/sqs-worker';

/**
 * `npm run worker`: the same image as the API with another command. loadConfig → open database
 * → migrate → consume the queue → on SIGTERM finish the batch in hand, stop, exit 0.
 */
async function main(): Promise<void> {
  limitHeapGrowth();
  const config = loadConfig();
  const queue = config.messaging.queue;
  if (!queue) {
    throw new ConfigError([
      'The worker consumes the queue: set QUEUE_URL. Without a queue the API process hands events to the consumers itself (WORKER_EMBEDDED).',
    ]);
  }
  const logger = createLogger(config.logLevel, bufferedStdout()).child({ process: 'worker' });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    process.exit(1);
  });

  const db = await openDatabase(config.database, logger);
  // Under the migration lock, as the API does: whichever starts first migrates.
  await db.migrate();
  const worker = new SqsWorker(createSqsClient(queue), queue.url, new EventProcessor(db, createConsumers(config, logger), logger), config.messaging.worker, logger);
  worker.start();
  logger.info({ queue: queue.url }, 'worker consuming order events');

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing the batch in hand');
    worker
      .stop()
      .then(() => db.close())
      .then(
        () => {
          logger.info('worker stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.fatal({ err: error }, 'worker stop failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
