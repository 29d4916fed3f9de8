import { ValidationError } from '../errors';

/**
 * A date-time query parameter the contract's format check has passed. Some texts pass that check
 * yet name no instant JavaScript can hold (a leap second, `23:59:60`): those are refused here
 * rather than reaching the database as an invalid date.
 */
export function parseTimestamp(raw: string | undefined, name: string): Date | undefined {
  if (raw === undefined) return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) {
    throw new ValidationError(`'${raw.slice(0, 40)}' is not a date-time this service can compare.`, [
      { path: `/query/${name}`, message: 'must be an RFC 3339 date-time such as 2026-11-01T00:00:00Z' },
    ]);
  }
  return date;
}
