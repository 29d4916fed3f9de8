import type { CreateOrderRequest, Order } from '../api-types';
import type { Caller } from '../auth/caller';
import type { Database } from '../db/database';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from './idempotency-errors';
import { findStoredResponse, hashRequest, storeResponse, tryLockKey } from './idempotency-repository';
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
 * still running a 409. Only successes are stored: a refused request may be retried with its key.
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
    try {
      const requestHash = hashRequest(request);
      return await this.db.write(
        async (manager) => {
          if (!(await tryLockKey(manager, caller.id, key))) throw new IdempotencyKeyInUseError();
          const now = new Date();
          const stored = await findStoredResponse(manager, caller.id, key, now);
          if (stored) {
            if (stored.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
            return { status: stored.status, order: JSON.parse(stored.body) as Order, location: stored.location!, replayed: true };
          }
          const result = created(await this.orders.insert(manager, caller, request), false);
          await storeResponse(manager, {
            userId: caller.id,
            key,
            response: { requestHash, status: result.status, body: JSON.stringify(result.order), location: result.location },
            createdAt: now,
            expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
          });
          return result;
        },
        { byUser: caller.id },
      );
    } finally {
      this.inFlight.delete(slot);
    }
  }
}

function created(order: Order, replayed: boolean): CreateResult {
  return { status: 201, order, location: `/orders/${order.id}`, replayed };
}
