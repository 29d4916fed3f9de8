import type { Problem } from './api-types';

/**
 * The error vocabulary every layer throws. It knows nothing of HTTP headers or of any domain:
 * http/problem-response.ts renders an AppError as problem+json, and the domains subclass these
 * with their own wording.
 */

/** Members a problem document carries beside the standard ones (openapi.yaml's Problem). */
export type ProblemExtensions = Omit<Problem, 'type' | 'title' | 'status' | 'detail' | 'instance' | 'requestId'>;

export interface AppErrorOptions {
  /** A short summary of the kind of problem, the same for every occurrence. */
  readonly title: string;
  /** A URI naming the kind of problem (see problemType). @default 'about:blank' */
  readonly type?: string;
  /** What a client needs to act on it: the violations, the shortages, the current status. */
  readonly extensions?: ProblemExtensions;
  /** The client may try again after this many seconds. */
  readonly retryAfterSeconds?: number;
  /** How the client should authenticate, for a 401. */
  readonly challenge?: string;
  /** The version the resource has now, for a failed precondition. */
  readonly currentVersion?: number;
  /** The answer is the stored outcome of an earlier request with the same idempotency key. */
  readonly replayed?: boolean;
  readonly cause?: unknown;
}

/** An error the client caused or should know about; anything else becomes an opaque 500. */
export class AppError extends Error {
  readonly title: string;
  readonly type: string;
  readonly extensions: ProblemExtensions;
  readonly retryAfterSeconds: number | undefined;
  readonly challenge: string | undefined;
  readonly currentVersion: number | undefined;
  readonly replayed: boolean;

  constructor(
    /** The status class of the problem, as RFC 9457 documents carry it. */
    readonly status: number,
    detail: string,
    options: AppErrorOptions,
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.title = options.title;
    this.type = options.type ?? 'about:blank';
    this.extensions = options.extensions ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.challenge = options.challenge;
    this.currentVersion = options.currentVersion;
    this.replayed = options.replayed ?? false;
  }
}

/** Problem types are URNs: stable names a client can switch on, never fetched. */
export function problemType(slug: string): string {
  return `urn:order-service:problem:${slug}`;
}

export type FieldError = { path?: string; message: string };

export class ValidationError extends AppError {
  constructor(detail: string, errors: FieldError[]) {
    super(400, detail, { title: 'Request does not match the API contract', type: problemType('validation-failed'), extensions: { errors } });
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail: string, challenge: string) {
    super(401, detail, { title: 'Unauthorized', challenge });
  }
}

export class ForbiddenError extends AppError {
  constructor(detail: string) {
    super(403, detail, { title: 'Forbidden' });
  }
}

export class NotFoundError extends AppError {
  constructor(detail: string) {
    super(404, detail, { title: 'Not Found' });
  }
}

/** The resource's state forbids the request (409). */
export class ConflictError extends AppError {
  constructor(detail: string, options: AppErrorOptions) {
    super(409, detail, options);
  }
}

/** A condition the client set on the resource's version does not hold (412). */
export class PreconditionFailedError extends AppError {
  constructor(detail: string, options: AppErrorOptions & { readonly currentVersion: number }) {
    super(412, detail, options);
  }
}

/** Well-formed, but the request cannot be carried out as it stands (422). */
export class UnprocessableError extends AppError {
  constructor(detail: string, options: Omit<AppErrorOptions, 'extensions'> & { readonly errors: FieldError[] }) {
    const { errors, ...rest } = options;
    super(422, detail, { ...rest, extensions: { errors } });
  }
}

/** Something the service depends on does not answer; nothing was changed (503). */
export class ServiceUnavailableError extends AppError {
  constructor(detail: string, options: AppErrorOptions) {
    super(503, detail, options);
  }
}
