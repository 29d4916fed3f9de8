import type { Message } from '@aws-sdk/client-sqs';
import pino from 'pino';
import type { OrderEvent } from '../../service/api-types';
import type { Database } from '../../service/db/database';
import { type OrderEventMessage, orderEventMessageValidator } from '../../service/messaging/event-contract';
import type { MessagingSettings } from '../../service/messaging/messaging-settings';
import { OutboxRelay } from '../../service/outbox/outbox-relay';
import type { Publisher, PublishResult } from '../../service/outbox/publisher';

const validate = orderEventMessageValidator();

/** Relay settings for tests: quick polls and short leases. */
export const TEST_RELAY: MessagingSettings['relay'] = { enabled: true, pollMs: 50, batchSize: 50, lingerMs: 20, leaseMs: 1000, sweepApiFunction: undefined };

/** A relay on `db` publishing through `publisher`, logging nowhere. */
export function relayOn(db: Database, publisher: Publisher, settings: Partial<MessagingSettings['relay']> = {}): OutboxRelay {
  return new OutboxRelay(db, publisher, { ...TEST_RELAY, ...settings }, pino({ level: 'silent' }));
}

/**
 * The body of each message, checked against asyncapi.yaml as the responses are against
 * openapi.yaml: a message that breaks the contract fails the test that received it.
 */
export function bodiesOf(messages: readonly Message[]): OrderEventMessage[] {
  return messages.map((message) => {
    const body = JSON.parse(message.Body ?? '');
    const violations = validate(body);
    if (violations.length) throw new Error(`message breaks asyncapi.yaml: ${violations.join('; ')}\n${message.Body}`);
    return body as OrderEventMessage;
  });
}

/** Wraps a publisher and counts what it sent, to tell a resend from a first send. */
export class CountingPublisher implements Publisher {
  readonly sent: number[] = [];
  /** How many times the relay published: once per round that claimed something. */
  rounds = 0;

  constructor(private readonly inner: Publisher) {}

  async publish(events: readonly OrderEvent[]): Promise<PublishResult> {
    this.rounds++;
    const result = await this.inner.publish(events);
    this.sent.push(...events.filter((event) => !result.failed.has(event.id)).map((event) => event.id));
    return result;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
