import type { Problem } from '../api-types';

type ProblemExtensions = Omit<Problem, 'type' | 'title' | 'status' | 'detail' | 'instance'>;

/**
 * An error the client caused or should know about. The error handler renders it as an RFC 9457
 * problem; anything that is not an AppError becomes an opaque 500.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly type = 'about:blank',
    readonly extensions: ProblemExtensions = {},
    /** Response headers the problem needs (WWW-Authenticate, Allow). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export type FieldError = { path?: string; message: string };

export class ValidationError extends AppError {
  constructor(detail: string, errors: FieldError[]) {
    super(400, 'Request does not match the API contract', detail, problemType('validation-failed'), { errors });
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail: string, challenge: string) {
    super(401, 'Unauthorized', detail, 'about:blank', {}, { 'WWW-Authenticate': challenge });
  }
}

export class ForbiddenError extends AppError {
  constructor(detail: string) {
    super(403, 'Forbidden', detail);
  }
}

export class NotFoundError extends AppError {
  constructor(detail: string) {
    super(404, 'Not Found', detail);
  }
}

export class MethodNotAllowedError extends AppError {
  constructor(detail: string, allow: string[]) {
    super(405, 'Method Not Allowed', detail, 'about:blank', {}, allow.length ? { Allow: allow.join(', ') } : {});
  }
}

export class ConflictError extends AppError {
  constructor(
    title: string,
    detail: string,
    slug: string,
    extensions: ProblemExtensions = {},
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(409, title, detail, problemType(slug), extensions, headers);
  }
}

export class UnprocessableError extends AppError {
  constructor(title: string, detail: string, slug: string, errors: FieldError[]) {
    super(422, title, detail, problemType(slug), { errors });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(title: string, detail: string, slug: string, extensions: ProblemExtensions = {}) {
    super(503, title, detail, problemType(slug), extensions);
  }
}

/** Problem types are URNs: stable names a client can switch on, never fetched. */
export function problemType(slug: string): string {
  return `urn:order-service:problem:${slug}`;
}

/** A body that is not UTF-8 JSON: another charset, or an encoding body-parser cannot read. */
export class NotUtf8JsonError extends AppError {
  constructor() {
    super(415, 'Unsupported Media Type', 'The request body must be UTF-8 encoded JSON.');
  }
}
