import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadContract } from '../../service/contract';

type Json = Record<string, any>;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface Operation {
  readonly operationId: string;
  readonly method: string;
  /** The spec's path template, for example /orders/{id}/tracking. */
  readonly path: string;
  /** Every documented response status, for example ['200', '401', '404']. */
  readonly statuses: string[];
  readonly definition: Json;
  /** Parameters declared on the path item, shared by its operations (the {id}). */
  readonly pathParameters: Json[];
  readonly pattern: RegExp;
}

/** openapi.yaml, parsed once per test file. */
export const spec: Json = loadContract().document();

export const operations: Operation[] = Object.entries(spec.paths as Json).flatMap(([path, item]) =>
  HTTP_METHODS.filter((method) => item[method]).map((method) => ({
    operationId: item[method].operationId,
    method: method.toUpperCase(),
    path,
    statuses: Object.keys(item[method].responses),
    definition: item[method],
    pathParameters: item.parameters ?? [],
    pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  })),
);

/** The operation a request would reach, or undefined for a path or method the spec lacks. */
export function findOperation(method: string, urlPath: string): Operation | undefined {
  return operations.find((op) => op.method === method.toUpperCase() && op.pattern.test(urlPath));
}

/** Follows a local $ref ('#/components/...') to the object it names. */
export function resolve(node: Json): Json {
  if (typeof node?.$ref !== 'string') return node;
  return resolve(node.$ref.slice(2).split('/').reduce((at: Json, key: string) => at[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec));
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, 'spec');
const validators = new Map<string, ValidateFunction>();

/**
 * Checks a response against the contract: its status must be documented for the operation, its
 * content type must be one the spec lists, and its body must match that schema. Returns the
 * violations (none when the response conforms).
 */
export function checkResponse(op: Operation, status: number, contentType: string, body: string): string[] {
  const response = op.definition.responses[String(status)];
  if (!response) return [`status ${status} is not documented for ${op.operationId}`];
  const content = resolve(response).content as Json | undefined;
  if (!content) return body ? [`${op.operationId} ${status} documents no body`] : [];
  if (!(contentType in content)) {
    return [`${op.operationId} ${status} documents ${Object.keys(content).join(', ')}, not "${contentType}"`];
  }
  if (!/json$/.test(contentType)) return [];

  const key = `${op.operationId} ${status} ${contentType}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ $ref: `spec#${schemaPointer(op, String(status), contentType)}` });
    validators.set(key, validate);
  }
  return validate(JSON.parse(body)) ? [] : (validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`);
}

/**
 * Every example given for the operation's request body and responses, checked against the schema
 * beside it; returns the mismatches as readable lines.
 */
export function exampleViolations(op: Operation): string[] {
  const media: Array<[string, Json, string]> = [];
  const body = op.definition.requestBody && resolve(op.definition.requestBody);
  for (const [type, content] of Object.entries<Json>(body?.content ?? {})) media.push([`request ${type}`, content, '']);
  for (const status of op.statuses) {
    for (const [type, content] of Object.entries<Json>(resolve(op.definition.responses[status]).content ?? {})) {
      media.push([`${status} ${type}`, content, schemaPointer(op, status, type)]);
    }
  }
  return media.flatMap(([where, content, pointer]) => {
    if (!content.schema) return [];
    const validate = pointer ? ajv.compile({ $ref: `spec#${pointer}` }) : ajv.compile({ $ref: `spec#${requestPointer(op)}` });
    const examples = [
      ...(content.example !== undefined ? [content.example] : []),
      ...Object.values<Json>(content.examples ?? {}).map((example) => resolve(example).value),
    ];
    return examples.flatMap((example) =>
      validate(example) ? [] : [`${op.operationId} ${where}: ${ajv.errorsText(validate.errors)}`],
    );
  });
}

function requestPointer(op: Operation): string {
  const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
  return `/paths/${escape(op.path)}/${op.method.toLowerCase()}/requestBody/content/application~1json/schema`;
}

/** Where the response schema sits in the document, following a $ref'd response object. */
function schemaPointer(op: Operation, status: string, media: string): string {
  const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
  const response = op.definition.responses[status];
  const base =
    typeof response.$ref === 'string'
      ? response.$ref.slice(1)
      : `/paths/${escape(op.path)}/${op.method.toLowerCase()}/responses/${status}`;
  return `${base}/content/${escape(media)}/schema`;
}

/** The schema of any problem document, for responses outside every operation (unknown routes). */
export const validateProblem = ajv.compile({ $ref: 'spec#/components/schemas/Problem' });
