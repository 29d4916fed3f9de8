import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from './idempotency-errors';
import { findStoredResponse, storeResponse, type StoredResponse, tryLockKey } from './idempotency-repository';

/** How long a key's response is kept and replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** What a creating request answered: its status, its body as stored, and where the new thing is. */
export interface Answer {
  readonly status: number;
  /** The body as text; each kind of request decides what it stores there. */
  readonly body: string;
  readonly location: string;
}

export interface IdempotentResult {
  readonly answer: Answer;
  /** True when this is the stored answer to an earlier request with the same key. */
  readonly replayed: boolean;
}

/**
 * A POST with an Idempotency-Key: the first request with a key runs and stores its answer in the
 * same transaction; a retry with the same request gets that answer again (even after a restart,
 * or on another instance), with a different request a 422, and while the first is still running
 * a 409. A request refused for what it asks (409, 422) is stored too and replayed as refused: a
 * key names one attempt, whatever became of it. Failures that say nothing about the request
 * (503, 500) are not: the retry runs again. Without a key the request simply runs.
 */
export class IdempotentRequests {
  /** Keys being processed by this process; the database's advisory lock covers other instances. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly db: Database) {}

  async run(
    caller: Caller,
    key: string | undefined,
    requestHash: string,
    attempt: (manager: EntityManager) => Promise<Answer>,
  ): Promise<IdempotentResult> {
    if (key === undefined) return { answer: await this.db.write(attempt, { byUser: caller.id }), replayed: false };

    const slot = `${caller.id}\u0000${key}`;
    if (this.inFlight.has(slot)) throw new IdempotencyKeyInUseError();
    this.inFlight.add(slot);
    let refusal: AppError | undefined;
    try {
      return await this.db.write(
        async (manager) => {
          if (!(await tryLockKey(manager, caller.id, key))) throw new IdempotencyKeyInUseError();
          const now = new Date();
          const stored = await findStoredResponse(manager, caller.id, key, now);
          if (stored) {
            if (stored.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
            if (stored.status >= 400) throw replayedRefusal(stored.status, stored.body);
            return { answer: { status: stored.status, body: stored.body, location: stored.location! }, replayed: true };
          }
          let answer: Answer;
          try {
            answer = await attempt(manager);
          } catch (error) {
            refusal = isRefusal(error) ? error : undefined;
            throw error;
          }
          await remember(manager, caller.id, key, { requestHash, ...answer }, now);
          return { answer, replayed: false };
        },
        { byUser: caller.id },
      );
    } catch (error) {
      // The request's transaction rolled back; the refusal is remembered in a transaction of its own.
      if (refusal && error === refusal) await this.storeRefusal(caller.id, key, requestHash, refusal);
      throw error;
    } finally {
      this.inFlight.delete(slot);
    }
  }

  private async storeRefusal(userId: number, key: string, requestHash: string, refusal: AppError): Promise<void> {
    const { type, title, message: detail, extensions } = refusal;
    try {
      await this.db.write(
        async (manager) => {
          const now = new Date();
          if (!(await tryLockKey(manager, userId, key)) || (await findStoredResponse(manager, userId, key, now))) return;
          const body = JSON.stringify({ type, title, detail, extensions });
          await remember(manager, userId, key, { requestHash, status: refusal.status, body, location: null }, now);
        },
        { byUser: userId },
      );
    } catch {
      // Not remembered (the database just failed): the client still gets the refusal, and a retry
      // with the key runs the request again, as it would without a key.
    }
  }
}

/** Stores the key's response, kept for IDEMPOTENCY_TTL_MS from `now`. */
function remember(manager: EntityManager, userId: number, key: string, response: StoredResponse, now: Date): Promise<void> {
  return storeResponse(manager, { userId, key, response, createdAt: now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) });
}

/**
 * What a request is refused for by its content or the state it meets (409, 422). Not 403, 404
 * or 412: those say the caller may not, or asked about another version, and a retry asks again.
 */
function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError && (error.status === 409 || error.status === 422);
}

function replayedRefusal(status: number, body: string): AppError {
  const { type, title, detail, extensions } = JSON.parse(body) as { type: string; title: string; detail: string; extensions: AppError['extensions'] };
  return new AppError(status, detail, { title, type, extensions, replayed: true });
}
