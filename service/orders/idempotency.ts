import type { EntityManager } from 'typeorm';
import type { CreateOrderRequest, Order } from '../api-types';
import type { Caller } from '../auth/caller';
import type { Database } from '../db/database';
import { AppError } from '../errors';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from './idempotency-errors';
import { findStoredResponse, hashRequest, storeResponse, type StoredResponse, tryLockKey } from './idempotency-repository';
import type { OrderService } from './order-service';

/** How long a key's response is kept and replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface CreateResult {
  readonly status: number;
  readonly order: Order;
  readonly location: string;
  /** True when this is the stored answer to an earlier request with the same key. */
  readonly replayed: boolean;
}

/**
 * POST /orders with an Idempotency-Key: the first request with a key creates the order and stores
 * its response in the same transaction; a retry with the same body gets that response again (even
 * after a restart, or on another instance), with a different body a 422, and while the first is
 * still running a 409. An order refused for what it asks (409 out of stock, 422 unknown product)
 * is stored too and replayed as refused: a key names one attempt, whatever became of it. Failures
 * that say nothing about the request (503, 500) are not: the retry runs again.
 */
export class IdempotentOrderCreation {
  /** Keys being processed by this process; the database's advisory lock covers other instances. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly orders: OrderService,
  ) {}

  async create(caller: Caller, request: CreateOrderRequest, key: string | undefined): Promise<CreateResult> {
    if (key === undefined) return created(await this.orders.create(caller, request), false);

    const slot = `${caller.id}\u0000${key}`;
    if (this.inFlight.has(slot)) throw new IdempotencyKeyInUseError();
    this.inFlight.add(slot);
    const requestHash = hashRequest(request);
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
            return { status: stored.status, order: JSON.parse(stored.body) as Order, location: stored.location!, replayed: true };
          }
          let order: Order;
          try {
            order = await this.orders.insert(manager, caller, request);
          } catch (error) {
            refusal = isRefusal(error) ? error : undefined;
            throw error;
          }
          const result = created(order, false);
          await remember(manager, caller.id, key, { requestHash, status: result.status, body: JSON.stringify(result.order), location: result.location }, now);
          return result;
        },
        { byUser: caller.id },
      );
    } catch (error) {
      // The order's transaction rolled back; the refusal is remembered in a transaction of its own.
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

/** What an order is refused for by its content: stock (409) or the products it names (422). */
function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError && (error.status === 409 || error.status === 422);
}

function replayedRefusal(status: number, body: string): AppError {
  const { type, title, detail, extensions } = JSON.parse(body) as { type: string; title: string; detail: string; extensions: AppError['extensions'] };
  return new AppError(status, detail, { title, type, extensions, replayed: true });
}

function created(order: Order, replayed: boolean): CreateResult {
  return { status: 201, order, location: `/orders/${order.id}`, replayed };
}
