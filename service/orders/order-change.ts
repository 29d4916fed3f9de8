import type { EntityManager } from 'typeorm';
import type { Order } from '../api-types';
import type { OrderPolicy } from '../auth/order-policy';
import type { Database } from '../db/database';
import { authorize, type OrderChangeAction, type OrderRequest } from './order-access';
import { OrderChangedError } from './order-errors';
import { appendOrderEvent, type OrderEventType } from './order-events';
import * as orders from './order-repository';

/** What a change did, for the order's history; null when it changed nothing. */
export type Change = { type: OrderEventType; from: Record<string, unknown> | null; to: Record<string, unknown> } | null;

/** Applies a change to the locked, current order; `at` is the change's time. */
export type ApplyChange = (manager: EntityManager, order: Order, at: Date) => Promise<Change>;

/**
 * The versions a change is allowed to apply to (If-Match); undefined when any version will do.
 * An empty list matches none.
 */
export type ExpectedVersions = readonly number[] | undefined;

/**
 * The one way an existing order changes, its shipments included. Each change is one transaction:
 * it reads the order under its row lock, asks the policy about it, checks the expected version,
 * applies the change, bumps the version and appends the change's event to the outbox, or does
 * none of it.
 */
export class OrderChanges {
  constructor(
    private readonly db: Database,
    private readonly policy: OrderPolicy,
  ) {}

  /** Runs the change in a transaction of its own; returns the order after it. */
  run(request: OrderRequest<OrderChangeAction>, expected: ExpectedVersions, apply: ApplyChange): Promise<Order> {
    return this.db.write((manager) => this.runIn(manager, request, expected, apply), { byUser: request.caller.id });
  }

  /**
   * The body of `run`, for callers that wrap it in a transaction of their own (idempotency). The
   * order is read twice: under the lock (for the policy, the version and the rule), and after.
   */
  async runIn(manager: EntityManager, request: OrderRequest<OrderChangeAction>, expected: ExpectedVersions, apply: ApplyChange): Promise<Order> {
    const { caller, orderId } = request;
    const order = authorize(this.policy, request, await orders.findOrderForUpdate(manager, orderId));
    if (expected && !expected.includes(order.version)) throw new OrderChangedError(order.version);
    const at = new Date();
    const change = await apply(manager, order, at);
    if (!change) return order;
    await orders.bumpOrderVersion(manager, orderId, at);
    await appendOrderEvent(manager, { orderId, userId: order.userId, orderVersion: order.version + 1, actorUserId: caller.id, at, ...change });
    return (await orders.findOrder(manager, orderId))!;
  }
}
