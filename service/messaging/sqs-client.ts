import { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueSettings } from './messaging-settings';

/** Gives up on one SQS call after this long; the SDK retries it (3 attempts in all). */
const REQUEST_TIMEOUT_MS = 5000;

/**
 * The SQS client of the relay and the worker. On AWS it takes the task role's credentials by the
 * SDK's usual chain; against an emulator (SQS_ENDPOINT) without credentials in the environment it
 * signs with placeholder ones, since the emulator checks none.
 */
export function createSqsClient(queue: QueueSettings, env: NodeJS.ProcessEnv = process.env): SQSClient {
  const placeholder = queue.endpoint && !env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
  return new SQSClient({
    region: queue.region,
    endpoint: queue.endpoint,
    maxAttempts: 3,
    requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: REQUEST_TIMEOUT_MS },
    ...(placeholder && { credentials: placeholder }),
  });
}
