import { createHash } from 'node:crypto';
import { LessThan, type EntityManager } from 'typeorm';
import { IdempotencyKeyEntity } from '../db/entities';

export interface StoredResponse {
  readonly requestHash: string;
  readonly status: number;
  readonly body: string;
  readonly location: string | null;
}

/**
 * On PostgreSQL, takes a transaction-scoped advisory lock for this user's key: false when another
 * transaction (on any instance) holds it, that is, while a request with the key is running. The
 * lock ends with the transaction, so a crashed request leaves nothing to clean up. SQLite's
 * writes are serialized in-process, where IdempotencyGuard's in-flight set does this job.
 */
export async function tryLockKey(manager: EntityManager, userId: number, key: string): Promise<boolean> {
  if (manager.connection.driver.options.type !== 'postgres') return true;
  const digest = createHash('sha256').update(`${userId}\u0000${key}`).digest();
  const [row] = await manager.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS locked', [digest.readBigInt64BE(0).toString()]);
  return row.locked === true;
}

/** The stored response for the key, unless it has expired (then it is deleted and forgotten). */
export async function findStoredResponse(
  manager: EntityManager,
  userId: number,
  key: string,
  now: Date,
): Promise<StoredResponse | null> {
  const row = await manager.findOne(IdempotencyKeyEntity, { where: { userId, key } });
  if (!row) return null;
  if (row.expiresAt <= now) {
    await manager.delete(IdempotencyKeyEntity, { userId, key });
    return null;
  }
  return { requestHash: row.requestHash, status: row.responseStatus, body: row.responseBody, location: row.location };
}

export async function storeResponse(
  manager: EntityManager,
  entry: { userId: number; key: string; response: StoredResponse; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await manager.insert(IdempotencyKeyEntity, {
    userId: entry.userId,
    key: entry.key,
    requestHash: entry.response.requestHash,
    responseStatus: entry.response.status,
    responseBody: entry.response.body,
    location: entry.response.location,
    createdAt: entry.createdAt,
    expiresAt: entry.expiresAt,
  });
}

/** Deletes expired keys; returns how many. */
export async function deleteExpiredKeys(manager: EntityManager, now: Date): Promise<number> {
  const result = await manager.delete(IdempotencyKeyEntity, { expiresAt: LessThan(now) });
  return result.affected ?? 0;
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
