import { createWorkerHandler } from './serverless/worker-handler';

/** The serverless tier's queue worker, behind Lambda's SQS event source (see serverless/worker-handler.ts). */
export const handler = createWorkerHandler(process.env);
