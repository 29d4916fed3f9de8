import { ConflictError, problemType, UnprocessableError } from '../errors';

export class IdempotencyKeyInUseError extends ConflictError {
  constructor() {
    super('A request with this Idempotency-Key is still being processed. Retry shortly to get its result.', {
      title: 'Request in progress',
      type: problemType('idempotency-key-in-use'),
      retryAfterSeconds: 1,
    });
  }
}

export class IdempotencyKeyReusedError extends UnprocessableError {
  constructor() {
    super('This Idempotency-Key was already used with a different request body. Use a new key for a new request.', {
      title: 'Idempotency-Key reused',
      type: problemType('idempotency-key-reused'),
      errors: [{ path: '/header/Idempotency-Key', message: 'already used with a different body' }],
    });
  }
}
