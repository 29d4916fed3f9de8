import { AppError, problemType, ValidationError } from './errors';

/** A strong entity tag for a version: If-Match compares strongly, so a weak W/ tag never matches. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

const ENTITY_TAG_LIST = /^\s*(\*|(W\/)?"[^"]*"(\s*,\s*(W\/)?"[^"]*")*)\s*$/;

/**
 * RFC 9110 If-Match: absent, `*`, or a list containing the current strong tag lets the change
 * through; anything else is 412. A header that is not an entity-tag list at all is a 400.
 */
export function checkIfMatch(header: string | undefined, currentVersion: number): void {
  if (header === undefined) return;
  if (!ENTITY_TAG_LIST.test(header)) {
    throw new ValidationError('If-Match must list entity tags in quotes, as sent in ETag (for example "3").', [
      { path: '/header/If-Match', message: 'not an entity-tag list' },
    ]);
  }
  if (header.trim() === '*') return;
  const tags = header.split(',').map((tag) => tag.trim());
  if (!tags.includes(etagOf(currentVersion))) throw new PreconditionFailedError(currentVersion);
}

export class PreconditionFailedError extends AppError {
  constructor(currentVersion: number) {
    super(
      412,
      'Precondition Failed',
      `The order has changed since you read it: it is now at version ${currentVersion}. Read it again, then retry.`,
      problemType('version-mismatch'),
      { currentVersion },
      { ETag: etagOf(currentVersion) },
    );
  }
}
