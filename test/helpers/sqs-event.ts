import { createHash, randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import type { OrderEvent } from '../../service/api-types';
import { orderEventMessage } from '../../service/messaging/event-contract';
import fixture from '../lambda/fixtures/sqs-event.json';

/** One message as Lambda's SQS event source hands it over, built on a recorded FIFO record (fixtures/sqs-event.json). */
export function sqsRecord(body: string, group: string, options: { messageId?: string; receiveCount?: number } = {}): SQSRecord {
  const [recorded] = fixture.Records;
  return {
    ...recorded,
    messageId: options.messageId ?? randomUUID(),
    body,
    md5OfBody: createHash('md5').update(body).digest('hex'),
    attributes: { ...recorded.attributes, MessageGroupId: group, ApproximateReceiveCount: String(options.receiveCount ?? 1) },
  } as SQSRecord;
}

/** The record the relay would have sent for an outbox event: its message body, its order as the group. */
export function recordOf(event: OrderEvent, options: { messageId?: string; receiveCount?: number } = {}): SQSRecord {
  return sqsRecord(JSON.stringify(orderEventMessage(event)), String(event.orderId), { ...options, messageId: options.messageId ?? `message-${event.id}` });
}

export function sqsEvent(records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** The context Lambda passes an invoked function, with `remainingMs` left of its timeout. */
export function invocationContext(functionName: string, remainingMs = 30_000): Context {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/12/03/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
