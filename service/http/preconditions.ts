import { createHash } from 'node:crypto';
import { ValidationError } from '../errors';

/** A strong entity tag for a version: If-Match compares strongly, so a weak W/ tag never matches. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * A weak entity tag for a page of orders, from what its body is made of: each order's id and
 * version (every change of an order, its shipments included, raises its version) and the next
 * page's cursor. Express would otherwise hash the whole body (SHA-1 of 10-20 KB for 20 orders).
 * Should the body ever depend on more (a language the request asks for), that belongs in here too.
 */
export function etagOfPage(orders: ReadonlyArray<{ readonly id: number; readonly version: number }>, nextCursor: string | null): string {
  let state = nextCursor ?? '';
  for (const order of orders) state += `,${order.id}.${order.version}`;
  return `W/"p${createHash('sha1').update(state).digest('base64url')}"`;
}

const ENTITY_TAG_LIST = /^\s*(\*|(W\/)?"[^"]*"(\s*,\s*(W\/)?"[^"]*")*)\s*$/;
const STRONG_VERSION_TAG = /^"(0|[1-9][0-9]{0,15})"$/;

/**
 * RFC 9110 If-Match as the versions it lets a change through for: undefined when any version will
 * do (no header, or `*`), otherwise the versions its strong tags name (possibly none, so that
 * nothing matches). A header that is not an entity-tag list at all is a 400.
 */
export function ifMatchVersions(header: string | undefined): readonly number[] | undefined {
  if (header === undefined) return undefined;
  if (!ENTITY_TAG_LIST.test(header)) {
    throw new ValidationError('If-Match must list entity tags in quotes, as sent in ETag (for example "3").', [
      { path: '/header/If-Match', message: 'not an entity-tag list' },
    ]);
  }
  if (header.trim() === '*') return undefined;
  return header
    .split(',')
    .map((tag) => STRONG_VERSION_TAG.exec(tag.trim())?.[1])
    .filter((version): version is string => version !== undefined)
    .map(Number);
}
