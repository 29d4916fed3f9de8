import { createApiHandler } from './serverless/api-handler';

/**
 * The serverless tier's entry point: API Gateway → this Lambda function → the same Express app
 * main.ts serves (see serverless/api-handler.ts and docs/serverless.md). Nothing connects at
 * import: the container sets itself up on its first request.
 */
export const handler = createApiHandler(process.env);
