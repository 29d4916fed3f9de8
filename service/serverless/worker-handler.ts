import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { openDatabase } from '../db/open-database';
import type { Env } from '../env-reader';
import { createConsumers } from '../worker/consumers';
import { EventProcessor } from '../worker/event-processor';
import { type BatchMessage, processBatch } from '../worker/process-batch';
import { type FunctionOptions, lazily, readFunctionSettings } from './function-container';
import { resumeAfterIdle } from './wait-for-database';

/** Kept free at the end of the function's timeout beside one send's (MAIL_SEND_TIMEOUT_MS): its commit, the answer. */
const RESERVE_MS = 2000;

export type WorkerHandler = ((event: SQSEvent, context: Context) => Promise<SQSBatchResponse>) & { close(): Promise<void> };

interface Working {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
  readonly processor: EventProcessor;
  readonly resumed: () => Promise<boolean>;
}

/**
 * The serverless tier's worker: Lambda's SQS event source hands it a batch of the FIFO queue, and
 * it answers which messages failed (ReportBatchItemFailures), so that Lambda deletes the others
 * and only those return to the queue. The batch goes through processBatch as on the Fargate
 * worker: in order, an order's later messages failing with the one before them, poison left for
 * the dead-letter queue. A message it has no time left to start fails too, and comes back. One
 * database connection per container, kept for its life.
 */
export function createWorkerHandler(env: Env, options: FunctionOptions = {}): WorkerHandler {
  const working = lazily(async (): Promise<Working> => {
    const { config, logger } = await readFunctionSettings(env, options);
    const db = await openDatabase(config.database, logger);
    const processor = new EventProcessor(db, createConsumers(config, logger), logger);
    return { config, logger, db, processor, resumed: resumeAfterIdle(config.database, db, logger) };
  });

  const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const { config, logger, processor, resumed } = await working.get();
    // A paused Aurora resumes in about 15 s: wait for it rather than fail the whole batch at once.
    if (!(await resumed())) {
      throw new Error('the database did not answer: the batch returns to the queue');
    }
    const reserveMs = config.mail.sendTimeoutMs + RESERVE_MS;
    const handled = await processBatch(event.Records.map(batchMessageOf), processor, logger, {
      mayStart: () => context.getRemainingTimeInMillis() > reserveMs,
    });
    return { batchItemFailures: event.Records.filter((record) => !handled.has(record.messageId)).map((record) => ({ itemIdentifier: record.messageId })) };
  };
  const close = async () => {
    const current = await working.forget();
    await current?.processor.close();
    await current?.db.close();
  };
  return Object.assign(handler, { close });
}

function batchMessageOf(record: SQSRecord): BatchMessage {
  return {
    id: record.messageId,
    group: record.attributes.MessageGroupId ?? '',
    body: record.body,
    receiveCount: Number(record.attributes.ApproximateReceiveCount ?? 1),
  };
}
