import { ValidationError } from './errors';

/**
 * The validator has checked the range, but its type coercion also turns `1e3` into 1000; an id is
 * accepted only in its plain decimal form, so each resource has exactly one URL.
 */
export function parsePathId(raw: unknown): number {
  const text = String(raw);
  if (!/^[1-9][0-9]*$/.test(text)) {
    throw new ValidationError(`The id must be a positive integer, not '${text}'.`, [
      { path: '/path/id', message: 'must be a positive integer in decimal digits' },
    ]);
  }
  return Number(text);
}
