import { AppError } from '../errors';

/** Errors only the HTTP layer raises: they are about the request as HTTP, not about its meaning. */

/** The path exists, but not with this method. */
export class MethodNotAllowedError extends AppError {
  constructor(
    detail: string,
    /** The methods the path does answer. */
    readonly allow: readonly string[],
  ) {
    super(405, detail, { title: 'Method Not Allowed' });
  }
}

/** A body that is not UTF-8 JSON: another charset, or an encoding body-parser cannot read. */
export class NotUtf8JsonError extends AppError {
  constructor() {
    super(415, 'The request body must be UTF-8 encoded JSON.', { title: 'Unsupported Media Type' });
  }
}
