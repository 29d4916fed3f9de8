import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { error as openApiErrors } from 'express-openapi-validator';
import type { Problem } from '../api-types';
import { AppError, type FieldError, ValidationError } from '../errors';
import { MethodNotAllowedError, NotUtf8JsonError } from './http-errors';
import { etagOf } from './preconditions';

/** The most a client needs to see of an error it did not cause. */
const INTERNAL = new AppError(500, 'The server could not complete the request.', { title: 'Internal Server Error' });

/** Turns any thrown value into the AppError the client should see. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof openApiErrors.MethodNotAllowed) return fromMethodNotAllowed(error);
  if (isOpenApiError(error)) return fromOpenApiError(error);
  return fromBodyParserError(error) ?? fromClientHttpError(error) ?? INTERNAL;
}

/** Renders the error as application/problem+json; the body never carries stack traces or SQL. */
export function sendProblem(req: Request, res: Response, error: AppError): void {
  const problem: Problem = {
    type: error.type,
    title: error.title,
    status: error.status,
    detail: error.message,
    instance: req.originalUrl.split('?')[0],
    ...(req.id !== undefined && { requestId: String(req.id) }),
    ...error.extensions,
  };
  res.status(error.status).set(headersOf(error)).type('application/problem+json').json(problem);
}

/** What the error tells the client beside its body, as the headers HTTP has for it. */
function headersOf(error: AppError): Record<string, string> {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  if (error.challenge !== undefined) headers['WWW-Authenticate'] = error.challenge;
  if (error.currentVersion !== undefined) headers.ETag = etagOf(error.currentVersion);
  if (error.replayed) headers['Idempotent-Replayed'] = 'true';
  if (error instanceof MethodNotAllowedError && error.allow.length) headers.Allow = error.allow.join(', ');
  return headers;
}

type OpenApiError = InstanceType<typeof openApiErrors.BadRequest>;

function isOpenApiError(error: unknown): error is OpenApiError {
  return Object.values(openApiErrors).some((ErrorClass) => error instanceof ErrorClass);
}

function fromMethodNotAllowed(error: OpenApiError): AppError {
  const allow = (error.headers as Record<string, string> | undefined)?.Allow ?? '';
  return new MethodNotAllowedError(error.message, allow.split(',').map((method) => method.trim()).filter(Boolean));
}

function fromOpenApiError(error: OpenApiError): AppError {
  if (error.status === 400) {
    const errors: FieldError[] = error.errors.map(({ path, message }) => ({ path: fieldPath(path), message }));
    return new ValidationError(error.message, errors);
  }
  if (error.status >= 400 && error.status < 500) {
    return new AppError(error.status, describe(error), { title: STATUS_CODES[error.status] ?? 'Client Error' });
  }
  return INTERNAL;
}

/**
 * EOV says `.body.products[0].id` or `/body/products/0/id`, and `/params/id` for path parameters;
 * clients get a JSON Pointer into the request: /body/..., /path/..., /query/...
 */
function fieldPath(path: string | undefined): string | undefined {
  if (!path) return undefined;
  const pointer = path.startsWith('.') ? path.replace(/\[(\d+)\]/g, '.$1').replace(/\./g, '/') : path;
  return pointer.replace(/^\/params\//, '/path/');
}

function describe(error: OpenApiError): string {
  if (error.status === 404) return 'No such resource.';
  if (error.status === 415) return 'The request body must be application/json.';
  return error.message;
}

/** body-parser marks its errors with `type`: malformed JSON, too large, or an unsupported encoding. */
function fromBodyParserError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  const { type, limit } = error as { type: unknown; limit?: number };
  switch (type) {
    case 'entity.parse.failed':
      return new ValidationError('The request body is not valid JSON.', [{ path: '/body', message: 'malformed JSON' }]);
    case 'entity.too.large':
      return new AppError(413, `The request body exceeds the limit of ${limit} bytes.`, { title: 'Content Too Large' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new NotUtf8JsonError();
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError(400, 'The request body was incomplete.', { title: 'Bad Request' });
    default:
      return undefined;
  }
}

/**
 * Other errors the body parser raises as 4xx http-errors with `expose` but no `type`: a body whose
 * Content-Encoding does not decode (a corrupt gzip or brotli stream), for one.
 */
function fromClientHttpError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (expose !== true || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  // `expose` is http-errors' mark of a message meant for the client (zlib's "incorrect header check").
  const reason = typeof message === 'string' && message ? `: ${message.slice(0, 200)}` : '';
  return new AppError(status, `The request could not be read as sent${reason}.`, { title: STATUS_CODES[status] ?? 'Client Error' });
}
