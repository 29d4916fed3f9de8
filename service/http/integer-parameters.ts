import type { Request } from 'express';
import { ValidationError } from '../errors';

/** `limit` of the paged lists, as openapi.yaml's Limit parameter says. */
export const PAGE_SIZE = { min: 1, max: 100, default: 20 } as const;

/** The largest id the tables hold (PostgreSQL `integer`). */
export const MAX_ID = 2_147_483_647;

/**
 * The validator has checked the range, but its type coercion also lets through `1e3`, `0x10` and
 * texts that overflow to `Infinity`; an integer parameter is accepted only in plain decimal
 * digits, so each resource has exactly one URL and no number outside the contract reaches SQL.
 */
function parseDecimal(text: string, pointer: string, min: number, max: number): number {
  const value = /^[0-9]{1,16}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max) || (text.length > 1 && text.startsWith('0'))) {
    throw new ValidationError(`'${text.slice(0, 40)}' is not an integer from ${min} to ${max}.`, [
      { path: pointer, message: `must be an integer from ${min} to ${max} in decimal digits` },
    ]);
  }
  return value;
}

/** The `{id}` of a path such as /orders/{id}, or another id parameter of the path by its name. */
export function parsePathId(raw: unknown, name = 'id'): number {
  return parseDecimal(String(raw), `/path/${name}`, 1, MAX_ID);
}

/** An integer query parameter as the client wrote it (not as the validator coerced it), or `fallback`. */
export function queryInteger(req: Request<any, any, any, any>, name: string, range: { min: number; max: number }, fallback: number): number;
export function queryInteger(req: Request<any, any, any, any>, name: string, range: { min: number; max: number }): number | undefined;
export function queryInteger(req: Request<any, any, any, any>, name: string, { min, max }: { min: number; max: number }, fallback?: number): number | undefined {
  const query = req.originalUrl.indexOf('?');
  const raw = query < 0 ? null : new URLSearchParams(req.originalUrl.slice(query + 1)).get(name);
  return raw === null ? fallback : parseDecimal(raw, `/query/${name}`, min, max);
}
