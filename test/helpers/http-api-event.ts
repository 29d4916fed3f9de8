import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import fixture from '../lambda/fixtures/http-api-event.json';

/** What a test sends: as a client would, before API Gateway turns it into an event. */
export interface HttpRequest {
  readonly method: string;
  /** The path with its query string, as the client wrote it: /orders?status=pending */
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** A string or an object (sent as JSON). */
  readonly body?: string | object;
  /** Send the body base64-encoded, as API Gateway does for bodies it does not treat as text. */
  readonly base64?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  readonly text: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json: any;
}

let requests = 0;

/**
 * The event API Gateway's HTTP API sends with payload format 2.0, built on a recorded one
 * (fixtures/http-api-event.json): header names lower-cased, the query string raw, the body a
 * string, base64-encoded when the client's is binary.
 */
export function httpApiEvent(request: HttpRequest): APIGatewayProxyEventV2 {
  const [path, query = ''] = request.url.split('?');
  const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const headers: Record<string, string> = { ...fixture.headers };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  if (body !== undefined && typeof request.body === 'object') headers['content-type'] ??= 'application/json';
  headers['content-length'] = String(Buffer.byteLength(body ?? ''));
  requests += 1;
  return {
    ...fixture,
    rawPath: path,
    rawQueryString: query,
    headers,
    ...(query && { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) }),
    requestContext: {
      ...fixture.requestContext,
      http: { ...fixture.requestContext.http, method: request.method.toUpperCase(), path },
      requestId: `${fixture.requestContext.requestId.slice(0, 8)}${String(requests).padStart(7, '0')}=`,
    },
    ...(body !== undefined && { body: request.base64 ? Buffer.from(body).toString('base64') : body }),
    isBase64Encoded: Boolean(request.base64 && body !== undefined),
  };
}

/** A Lambda context as the runtime passes it; the handler reads none of it but the request id. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'OrderService-staging-Api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:OrderService-staging-Api',
    memoryLimitInMB: '1024',
    awsRequestId: `req-${requests}`,
    logGroupName: '/aws/lambda/OrderService-staging-Api',
    logStreamName: '2026/11/26/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 28_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The handler's result as a client would read it after API Gateway. */
export function asResponse(result: APIGatewayProxyStructuredResultV2): HttpResponse {
  const text = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64').toString('utf8') : (result.body ?? '');
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: result.statusCode ?? 200, headers, text, json };
}
