import fc from 'fast-check';
import { resolve, type Operation } from './contract';

type Json = Record<string, any>;

/** One generated HTTP request, and what was done to it (for the figures and for failure reports). */
export interface GeneratedRequest {
  readonly operationId: string;
  readonly kind: string;
  readonly method: string;
  /** Path and query string, ready to send. */
  readonly url: string;
  readonly headers: Record<string, string>;
  /** A raw body with its content type; absent for requests without one. */
  readonly body?: { readonly raw: string; readonly contentType: string };
}

/** Request parts before they are put on the wire, so that mutations can break one at a time. */
interface Parts {
  /** Every id the path names ({id}, {shipmentId}), by name. */
  pathIds: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body?: unknown;
}

const BAD_IDS = ['0', '-1', '1e3', 'abc', '9223372036854775808', '1.5', '00', '%20', '٣', '1 ', '0x10', String(2 ** 31), 'Infinity', '9'.repeat(320)];
const NASTY_STRINGS = ['', ' ', 'x'.repeat(10_000), '\u0000', '\u202e\u0041', '😀'.repeat(50), '\ud800', '<script>', "'; DROP TABLE orders; --", '\n\r\t'];
const HUGE_NUMBERS = [1e308, -1e308, 2 ** 63, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -1, 0, 1.5, -0.5];

/**
 * Requests for an operation, generated from its definition in openapi.yaml: valid ones, and invalid
 * ones that each break exactly one thing (a field, a type, a number, a string, the nesting, the
 * size, the content type, the JSON itself, the path id, a query parameter or a header).
 */
export function requestsFor(op: Operation): fc.Arbitrary<GeneratedRequest> {
  const valid = validParts(op);
  const mutations = mutationsFor(op);
  return fc.oneof(
    { weight: 1, arbitrary: valid.map((parts) => build(op, 'valid', parts)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...mutations))
        .chain(([parts, mutation]) => mutation.apply(parts).map((broken) => build(op, mutation.name, broken))),
    },
  );
}

function validParts(op: Operation): fc.Arbitrary<Parts> {
  const parameters: Json[] = [...(op.definition.parameters ?? []), ...op.pathParameters].map(resolve);
  const query = parameters.filter((p) => p.in === 'query');
  const headerParams = parameters.filter((p) => p.in === 'header');
  return fc.record({
    pathIds: fc.record(Object.fromEntries(pathIdNames(op).map((name) => [name, fc.integer({ min: 1, max: 40 }).map(String)]))),
    query: fc
      .tuple(...query.map((p) => fc.option(queryValue(p), { nil: undefined }).map((v) => (v === undefined ? [] : v.map((one) => [p.name, one] as [string, string])))))
      .map((lists) => lists.flat()),
    headers: fc
      .tuple(fc.constantFrom('1', '2', '3'), ...headerParams.map((p) => fc.option(headerValue(p), { nil: undefined }).map((v) => [p.name, v] as const)))
      .map(([user, ...pairs]) => Object.fromEntries([['user_id', user], ...pairs.filter(([, v]) => v !== undefined)])),
    body: bodySchema(op) ? bodyValue(op) : fc.constant(undefined),
  }) as fc.Arbitrary<Parts>;
}

/** The ids a path names, such as ['id', 'shipmentId'] for /orders/{id}/shipments/{shipmentId}. */
function pathIdNames(op: Operation): string[] {
  return [...op.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
}

/** Orders that can succeed, most of the time: existing products, each once, small quantities. */
function bodyValue(op: Operation): fc.Arbitrary<unknown> {
  if (op.operationId === 'createShipment') {
    // Small line ids and quantities, so that some name a line of the order and fit what is left.
    const lines = fc.uniqueArray(fc.record({ orderLineId: fc.integer({ min: 1, max: 40 }), quantity: fc.integer({ min: 1, max: 2 }) }), {
      selector: (line) => line.orderLineId,
      minLength: 1,
      maxLength: 3,
    });
    return fc.oneof({ weight: 4, arbitrary: lines.map((chosen) => ({ lines: chosen })) }, { weight: 1, arbitrary: fromSchema(bodySchema(op)!) });
  }
  if (op.operationId === 'createOrder') {
    const orderable = fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 22 }), quantity: fc.integer({ min: 1, max: 3 }) }), {
      selector: (line) => line.id,
      minLength: 1,
      maxLength: 4,
    });
    return fc.oneof({ weight: 4, arbitrary: orderable.map((products) => ({ products })) }, { weight: 1, arbitrary: fromSchema(bodySchema(op)!) });
  }
  return fromSchema(bodySchema(op)!);
}

function bodySchema(op: Operation): Json | undefined {
  return op.definition.requestBody && resolve(op.definition.requestBody).content['application/json'].schema;
}

function queryValue(parameter: Json): fc.Arbitrary<string[]> {
  const schema = resolve(parameter.schema);
  if (schema.type === 'array') return fc.uniqueArray(fromSchema(schema.items), { minLength: 1, maxLength: 3 }).map((values) => values.map(String));
  if (parameter.name === 'cursor') return fc.constantFrom(['djE6MTA'], ['djE6Mg']);
  if (parameter.name === 'userId') return fc.constantFrom(['1'], ['2']);
  return fromSchema(schema).map((value) => [String(value)]);
}

function headerValue(parameter: Json): fc.Arbitrary<string> {
  if (parameter.name === 'If-Match') return fc.constantFrom('"1"', '"2"', '*', '"1", "2"');
  return fromSchema(resolve(parameter.schema)).map(String);
}

/** Values that satisfy a JSON schema of the contract (bounded, so that runs stay quick). */
export function fromSchema(input: Json): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1000, 2 ** 31 - 1) });
    case 'string':
      if (schema.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? 64));
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 32, 32) });
    case 'array':
      return fc.array(fromSchema(schema.items), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'object': {
      const properties = Object.fromEntries(Object.entries<Json>(schema.properties ?? {}).map(([key, value]) => [key, fromSchema(value)]));
      return fc.record(properties, { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.constant(null);
  }
}

interface Mutation {
  readonly name: string;
  apply(parts: Parts): fc.Arbitrary<Parts>;
}

/** The ways one request is broken; only those that make sense for the operation. */
function mutationsFor(op: Operation): Mutation[] {
  const withBody = Boolean(bodySchema(op));
  const all: Array<Mutation | false> = [
    pathIdNames(op).length > 0 && {
      name: 'bad path id',
      apply: (p) => fc.tuple(fc.constantFrom(...pathIdNames(op)), fc.constantFrom(...BAD_IDS)).map(([name, id]) => ({ ...p, pathIds: { ...p.pathIds, [name]: id } })),
    },
    { name: 'unknown query parameter', apply: (p) => fc.constantFrom('sort', 'admin', 'limit[$gt]').map((name) => ({ ...p, query: [...p.query, [name, '1']] })) },
    { name: 'bad query value', apply: (p) => fc.tuple(fc.constantFrom('limit', 'cursor', 'status', 'createdAfter', 'userId'), fc.constantFrom('0', '101', '-5', 'abc', '1.5', '9'.repeat(30), '', '☃', '%00', 'Infinity', '-Infinity', '1e999', '9'.repeat(320), '0x10', '2026-01-01T23:59:60Z', '2026-02-30T00:00:00Z', '2026-01-01T00:00:00%2B25:00', 'djE6MjE0NzQ4MzY0OA')).map(([name, value]) => ({ ...p, query: [...p.query, [name, value]] })) },
    { name: 'bad caller', apply: (p) => fc.constantFrom('', '0', '999', 'abc', '1 OR 1=1', '-1', '1'.repeat(40)).map((user) => ({ ...p, headers: { ...p.headers, user_id: user } })) },
    { name: 'no caller', apply: (p) => fc.constant({ ...p, headers: omit(p.headers, 'user_id') }) },
    { name: 'bad header', apply: (p) => fc.tuple(fc.constantFrom('If-Match', 'Idempotency-Key', 'Authorization', 'X-Request-Id'), fc.constantFrom('', 'x'.repeat(2000), 'W/"1"', '"', 'Bearer', 'é', '1')).map(([name, value]) => ({ ...p, headers: { ...p.headers, [name]: value } })) },
    withBody && { name: 'missing field', apply: (p) => pathInto(p.body, 'object').map((at) => ({ ...p, body: edit(p.body, at, (o) => omit(o, Object.keys(o)[0] ?? 'none')) })) },
    withBody && { name: 'extra field', apply: (p) => pathInto(p.body, 'object').map((at) => ({ ...p, body: edit(p.body, at, (o) => ({ ...o, unexpected: true })) })) },
    withBody && { name: 'wrong type', apply: (p) => fc.tuple(pathInto(p.body, 'any'), fc.constantFrom<unknown>('7', 7, true, null, [], {}, [7])).map(([at, value]) => ({ ...p, body: edit(p.body, at, () => value) })) },
    withBody && { name: 'huge or negative or fractional number', apply: (p) => fc.tuple(pathInto(p.body, 'any'), fc.constantFrom(...HUGE_NUMBERS)).map(([at, value]) => ({ ...p, body: edit(p.body, at, () => value) })) },
    withBody && { name: 'nasty string', apply: (p) => fc.tuple(pathInto(p.body, 'any'), fc.constantFrom(...NASTY_STRINGS)).map(([at, value]) => ({ ...p, body: edit(p.body, at, () => value) })) },
    withBody && { name: 'deep nesting', apply: (p) => fc.integer({ min: 50, max: 2000 }).map((depth) => ({ ...p, body: nest(depth) })) },
    withBody && { name: 'thousands of lines', apply: (p) => fc.integer({ min: 101, max: 5000 }).map((n) => ({ ...p, body: { products: Array.from({ length: n }, (_, i) => ({ id: (i % 20) + 1, quantity: 1 })) } })) },
    withBody && { name: 'not an object', apply: (p) => fc.constantFrom<unknown>('"text"', 42, null, [], true).map((body) => ({ ...p, body })) },
    withBody && { name: 'wrong content type', apply: (p) => fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x').map((type) => ({ ...p, headers: { ...p.headers, 'Content-Type': type } })) },
    withBody && { name: 'malformed JSON', apply: (p) => fc.integer({ min: 1, max: 20 }).map((cut) => ({ ...p, body: new RawJson(JSON.stringify(p.body).slice(0, -cut) || '{') })) },
    withBody && { name: 'oversized body', apply: (p) => fc.constant({ ...p, body: { ...(p.body as object), padding: 'x'.repeat(150 * 1024) } }) },
  ];
  return all.filter((m): m is Mutation => Boolean(m));
}

/** A body sent exactly as written (malformed JSON). */
class RawJson {
  constructor(readonly text: string) {}
}

function build(op: Operation, kind: string, parts: Parts): GeneratedRequest {
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => parts.pathIds[name] ?? '1');
  const query = parts.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const headers = { ...parts.headers };
  const contentType = headers['Content-Type'] ?? 'application/json';
  delete headers['Content-Type'];
  const body =
    parts.body === undefined ? undefined : { raw: parts.body instanceof RawJson ? parts.body.text : JSON.stringify(parts.body), contentType };
  return { operationId: op.operationId, kind, method: op.method, url: query ? `${path}?${query}` : path, headers, body };
}

/** A JSON path (array of keys) to some node of `value` of the wanted kind, the root included. */
function pathInto(value: unknown, want: 'object' | 'any'): fc.Arbitrary<Array<string | number>> {
  const paths: Array<Array<string | number>> = [];
  const walk = (node: unknown, at: Array<string | number>) => {
    const isObject = node !== null && typeof node === 'object' && !Array.isArray(node);
    if (want === 'any' ? at.length > 0 : isObject) paths.push(at);
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...at, i]));
    else if (isObject) for (const [key, child] of Object.entries(node as Json)) walk(child, [...at, key]);
  };
  walk(value, []);
  return paths.length ? fc.constantFrom(...paths) : fc.constant([]);
}

function edit(value: unknown, at: Array<string | number>, change: (node: any) => unknown): unknown {
  if (at.length === 0) return change(value);
  const [head, ...rest] = at;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as Json) };
  copy[head] = edit(copy[head], rest, change);
  return copy;
}

function omit<T extends Json>(object: T, key: string): T {
  const { [key]: _removed, ...rest } = object;
  return rest as T;
}

function nest(depth: number): unknown {
  let value: unknown = { products: [{ id: 1, quantity: 1 }] };
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { products: value };
  return value;
}
