import { ConflictError, UnprocessableError } from '../http/errors';

export class IdempotencyKeyInUseError extends ConflictError {
  constructor() {
    super(
      'Request in progress',
      'A request with this Idempotency-Key is still being processed. Retry shortly to get its result.',
      'idempotency-key-in-use',
      {},
      { 'Retry-After': '1' },
    );
  }
}

export class IdempotencyKeyReusedError extends UnprocessableError {
  constructor() {
    super(
      'Idempotency-Key reused',
      'This Idempotency-Key was already used with a different request body. Use a new key for a new request.',
      'idempotency-key-reused',
      [{ path: '/header/Idempotency-Key', message: 'already used with a different body' }],
    );
  }
}
