import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { changeRows, dialectOf, selectRows, tryTransactionLock } from '../db/sql';

export interface StoredResponse {
  readonly requestHash: string;
  readonly status: number;
  readonly body: string;
  readonly location: string | null;
}

const FIND_KEY =
  'SELECT request_hash, response_status, response_body, location, expires_at FROM "idempotency_keys" WHERE user_id = ? AND idempotency_key = ?';
const DELETE_KEY = 'DELETE FROM "idempotency_keys" WHERE user_id = ? AND idempotency_key = ?';
const INSERT_KEY =
  'INSERT INTO "idempotency_keys" (user_id, idempotency_key, request_hash, response_status, response_body, location, created_at, expires_at) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const DELETE_EXPIRED = 'DELETE FROM "idempotency_keys" WHERE expires_at < ?';

/**
 * Takes this user's key until the transaction ends: false while a request with the key is running
 * in another transaction, on any instance. A crashed request's lock ends with its transaction.
 * Within one process, IdempotentRequests' in-flight set answers first.
 */
export function tryLockKey(manager: EntityManager, userId: number, key: string): Promise<boolean> {
  return tryTransactionLock(manager, `${userId}\u0000${key}`);
}

/** The stored response for the key, unless it has expired (then it is deleted and forgotten). */
export async function findStoredResponse(
  manager: EntityManager,
  userId: number,
  key: string,
  now: Date,
): Promise<StoredResponse | null> {
  const [row] = await selectRows<{
    request_hash: string;
    response_status: number;
    response_body: string;
    location: string | null;
    expires_at: unknown;
  }>(manager, FIND_KEY, [userId, key]);
  if (!row) return null;
  if (dialectOf(manager).readTimestamp(row.expires_at) <= now) {
    await changeRows(manager, DELETE_KEY, [userId, key]);
    return null;
  }
  return { requestHash: row.request_hash, status: row.response_status, body: row.response_body, location: row.location };
}

export async function storeResponse(
  manager: EntityManager,
  entry: { userId: number; key: string; response: StoredResponse; createdAt: Date; expiresAt: Date },
): Promise<void> {
  const { timestamp } = dialectOf(manager);
  const { response } = entry;
  await changeRows(manager, INSERT_KEY, [
    entry.userId,
    entry.key,
    response.requestHash,
    response.status,
    response.body,
    response.location,
    timestamp(entry.createdAt),
    timestamp(entry.expiresAt),
  ]);
}

/** Deletes expired keys; returns how many. */
export function deleteExpiredKeys(manager: EntityManager, now: Date): Promise<number> {
  return changeRows(manager, DELETE_EXPIRED, [dialectOf(manager).timestamp(now)]);
}

/** SHA-256 of the body with object keys sorted, so that key order does not make two bodies differ. */
export function hashRequest(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
