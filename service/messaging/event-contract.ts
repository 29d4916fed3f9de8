import fs from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import type { OrderEvent } from '../api-types';
import { CONTRACT_PATH, EVENTS_CONTRACT_PATH } from '../contract';

/** The body of an order event message, as asyncapi.yaml's OrderEventMessage defines it. */
export interface OrderEventMessage {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly event: OrderEvent;
}

/** The body shape this service writes and reads; asyncapi.yaml says when it changes. */
export const SCHEMA_VERSION = 1;

/** Checks a parsed body against asyncapi.yaml; returns the violations (none when it conforms). */
export type MessageValidator = (body: unknown) => string[];

/**
 * Compiles asyncapi.yaml's message schema with openapi.yaml beside it (the event is defined once,
 * there), the same way for the worker that reads messages and the tests that check every sent one.
 */
export function orderEventMessageValidator(): MessageValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(parse(fs.readFileSync(CONTRACT_PATH, 'utf8')), 'openapi.yaml');
  ajv.addSchema(parse(fs.readFileSync(EVENTS_CONTRACT_PATH, 'utf8')), 'asyncapi.yaml');
  const validate = ajv.compile({ $ref: 'asyncapi.yaml#/components/schemas/OrderEventMessage' });
  return (body) => (validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`));
}

/** The message for one outbox event. */
export function orderEventMessage(event: OrderEvent): OrderEventMessage {
  return { schemaVersion: SCHEMA_VERSION, event };
}
