import { createRelayHandler } from './serverless/relay-handler';

/**
 * The serverless tier's outbox sweep, run by an EventBridge schedule (see serverless/relay-handler.ts
 * and docs/serverless.md); the API function relays its own requests' events first.
 */
export const handler = createRelayHandler(process.env);
