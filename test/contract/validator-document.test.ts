import { loadContract } from '../../service/contract';
import { validatorDocument } from '../../service/http/validator-document';

type Json = Record<string, any>;

/** Every object of a document, with the key it sits under. */
function* nodes(node: unknown, key?: string, seen = new Set<unknown>()): Generator<[string | undefined, Json]> {
  if (node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (!Array.isArray(node)) yield [key, node as Json];
  for (const [name, value] of Object.entries(node)) yield* nodes(value, Array.isArray(node) ? key : name, seen);
}

/** The document express-openapi-validator gets (http/validator-document.ts): openapi.yaml resolved, without its examples. */
describe('the validator`s copy of openapi.yaml', () => {
  const spec = loadContract().document() as Json;
  const document = validatorDocument(loadContract().document()) as Json;

  test('has every path, operation, parameter, response and schema of openapi.yaml, references resolved', () => {
    expect(Object.keys(document.paths)).toEqual(Object.keys(spec.paths));
    expect(Object.keys(document.components.schemas)).toEqual(Object.keys(spec.components.schemas));
    for (const [path, item] of Object.entries<Json>(spec.paths)) {
      expect(Object.keys(document.paths[path])).toEqual(Object.keys(item));
    }
    expect([...nodes(document)].filter(([, node]) => '$ref' in node)).toEqual([]);
    const createOrder = document.paths['/orders'].post;
    expect(createOrder.requestBody.content['application/json'].schema).toBe(document.components.schemas.CreateOrderRequest);
  });

  test('keeps every field name, even one called example, and every rule and description', () => {
    const withOwnNames = { type: 'object', properties: { example: { type: 'string', maxLength: 3, description: 'for people', example: 'abc' } } };
    expect(validatorDocument({ components: { schemas: { Note: withOwnNames } } })).toEqual({
      components: { schemas: { Note: { type: 'object', properties: { example: { type: 'string', maxLength: 3, description: 'for people' } } } } },
    });
  });

  test('leaves out the examples, which no validation reads', () => {
    expect([...nodes(spec)].filter(([key, node]) => key !== 'properties' && ('example' in node || 'examples' in node)).length).toBeGreaterThan(0);
    expect([...nodes(document)].filter(([key, node]) => key !== 'properties' && ('example' in node || 'examples' in node))).toEqual([]);
  });

  test('refuses a reference outside the document, which it could not resolve', () => {
    expect(() => validatorDocument({ paths: { '/x': { $ref: 'other.yaml#/paths/~1x' } } })).toThrow(/refers outside itself/);
  });
});
