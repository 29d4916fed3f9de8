import { ValidationError } from '../errors';
import { MAX_ID } from './integer-parameters';

/**
 * Cursors are opaque to clients: a versioned, base64url-encoded position (the id of the last row
 * shown). Keyset pagination on the id keeps pages stable while new rows arrive.
 */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`v1:${lastId}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^v1:([1-9][0-9]{0,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // A forged position past the largest id would overflow PostgreSQL's integer column.
  if (!match || Number(match[1]) > MAX_ID) {
    throw new ValidationError('The cursor is not valid; use the nextCursor of a previous page.', [
      { path: '/query/cursor', message: 'invalid cursor' },
    ]);
  }
  return Number(match[1]);
}

/**
 * A page from rows fetched with one more than `limit`: the extra row only says that another page
 * follows, and the cursor points after the page's last row.
 */
export function pageOf<T extends { id: number }>(rows: T[], limit: number): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? encodeCursor(data[data.length - 1].id) : null };
}
