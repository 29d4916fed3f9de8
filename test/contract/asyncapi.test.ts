import fs from 'node:fs';
import { parse } from 'yaml';
import { EVENTS_CONTRACT_PATH } from '../../service/contract';
import { orderEventMessageValidator } from '../../service/messaging/event-contract';
import { spec } from '../helpers/contract';

/** asyncapi.yaml is the queue's contract as openapi.yaml is the API's: complete, and true to itself. */
describe('asyncapi.yaml', () => {
  const doc = parse(fs.readFileSync(EVENTS_CONTRACT_PATH, 'utf8'));
  const validate = orderEventMessageValidator();
  const message = doc.components.messages.OrderEvent;

  test('is AsyncAPI 3, with a send and a receive operation on the order events channel', () => {
    expect(doc.asyncapi).toMatch(/^3\./);
    expect(Object.values<{ action: string }>(doc.operations).map((op) => op.action).sort()).toEqual(['receive', 'send']);
  });

  test('takes the event itself from openapi.yaml, not a copy', () => {
    expect(doc.components.schemas.OrderEventMessage.properties.event).toEqual({ $ref: './openapi.yaml#/components/schemas/OrderEvent' });
    expect(spec.components.schemas.OrderEvent).toBeDefined();
  });

  test.each((message.examples as Array<{ name: string; payload: unknown }>).map((example) => [example.name, example.payload]))(
    'its %s example is a valid message',
    (_name, payload) => {
      expect(validate(payload)).toEqual([]);
    },
  );

  test('accepts every event type openapi.yaml names, and refuses any other', () => {
    const types: string[] = spec.components.schemas.OrderEvent.properties.type.enum;
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect(validate({ schemaVersion: 1, event: { ...message.examples[0].payload.event, type } })).toEqual([]);
    expect(validate({ schemaVersion: 1, event: { ...message.examples[0].payload.event, type: 'order.teleported' } })).not.toEqual([]);
  });
});
