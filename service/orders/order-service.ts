import type { EntityManager } from 'typeorm';
import type { CreateOrderRequest, Order, OrderEvent, Shipment } from '../api-types';
import type { Caller } from '../auth/caller';
import type { OrderPolicy } from '../auth/order-policy';
import { OutOfStockError } from '../catalogue/catalogue-errors';
import { findPricedProducts, releaseStock, reserveStock } from '../catalogue/product-repository';
import type { Database } from '../db/database';
import { decodeCursor, pageOf } from '../http/cursor';
import {
  DuplicateProductsError,
  InvalidStatusTransitionError,
  MixedCurrenciesError,
  OrderCancelledError,
  OrderChangedError,
  OrderNotCancellableError,
  UnknownProductsError,
} from './order-errors';
import { authorize, type OrderChangeAction, type OrderRequest } from './order-access';
import { appendOrderEvent, listOrderEvents, type OrderEventType } from './order-events';
import * as orders from './order-repository';
import { canCancel, canMoveTo, canSetTracking, type OrderStatus } from './order-status';

/** What a change did, for the order's history; null when it changed nothing. */
type Change = { type: OrderEventType; from: Record<string, unknown> | null; to: Record<string, unknown> } | null;

export interface ListQuery {
  /** Whose orders: one user's, or every user's when undefined (staff; the listing guard decides). */
  readonly userId: number | undefined;
  readonly limit: number;
  readonly cursor?: string;
  readonly statuses?: OrderStatus[];
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
}

/**
 * The versions a change is allowed to apply to (If-Match); undefined when any version will do.
 * An empty list matches none.
 */
export type ExpectedVersions = readonly number[] | undefined;

/**
 * The order rules. Every change is one transaction: it reads the order under a lock, asks the
 * policy about it, checks the expected version, applies the change with its stock movements,
 * bumps the version and appends the event, or does none of it.
 */
export class OrderService {
  constructor(
    private readonly db: Database,
    private readonly policy: OrderPolicy,
  ) {}

  /** Creates a pending order with each product's current price, reserving its stock. */
  async create(caller: Caller, request: CreateOrderRequest): Promise<Order> {
    return this.db.write((manager) => this.insert(manager, caller, request), { byUser: caller.id });
  }

  /** The body of `create`, for callers that wrap it in a transaction of their own (idempotency). */
  async insert(manager: EntityManager, caller: Caller, request: CreateOrderRequest): Promise<Order> {
    rejectDuplicates(request);
    const products = await findPricedProducts(manager, request.products.map((line) => line.id));
    const unknown = request.products.flatMap(({ id }, index) => (products.has(id) ? [] : [{ index, id }]));
    if (unknown.length) throw new UnknownProductsError(unknown);
    const currencies = [...new Set([...products.values()].map((product) => product.currency))];
    if (currencies.length > 1) throw new MixedCurrenciesError(currencies);

    const shortages = await reserveStock(manager, request.products.map(({ id, quantity }) => ({ productId: id, quantity })));
    if (shortages.length) throw new OutOfStockError(shortages);

    const at = new Date();
    const order = await orders.insertOrder(manager, {
      userId: caller.id,
      currency: currencies[0],
      lines: request.products.map(({ id, quantity }) => ({ productId: id, quantity, unitPrice: products.get(id)!.price })),
      at,
    });
    await appendOrderEvent(manager, {
      orderId: order.id,
      userId: caller.id,
      orderVersion: order.version,
      type: 'created',
      actorUserId: caller.id,
      at,
      from: null,
      to: { status: order.status, currency: order.currency, total: order.total, products: order.products },
    });
    return order;
  }

  /** For showing only: may be served by a read replica, unless the caller has just written. */
  findForReading(id: number, caller: Caller): Promise<Order | null> {
    return this.db.read((manager) => orders.findOrder(manager, id), {
      forUser: caller.id,
      confirmOnWriterIf: (order) => order === null,
    });
  }

  /** One page of orders, newest first, filtered. */
  async list(caller: Caller, query: ListQuery): Promise<{ data: Order[]; nextCursor: string | null }> {
    const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const filter = { userId: query.userId, statuses: query.statuses, createdAfter: query.createdAfter, createdBefore: query.createdBefore };
    // One extra row tells whether another page exists.
    const rows = await this.db.read((manager) => orders.listOrders(manager, filter, { limit: query.limit + 1, beforeId }), {
      forUser: caller.id,
    });
    return pageOf(rows, query.limit);
  }

  /**
   * The order's history, oldest first. Every change appends an event carrying the version it made,
   * so a replica's history that ends below the version the guard saw is behind: none at all for an
   * order the guard found only on the writer, a shorter one from a replica further behind than the
   * one that answered the guard. It is read again on the writer.
   */
  events(caller: Caller, order: Pick<Order, 'id' | 'version'>): Promise<OrderEvent[]> {
    return this.db.read((manager) => listOrderEvents(manager, order.id), {
      forUser: caller.id,
      confirmOnWriterIf: (events) => (events.at(-1)?.orderVersion ?? 0) < order.version,
    });
  }

  /** Sending the tracking the order already has is harmless: the order comes back unchanged. */
  setTracking(request: OrderRequest<'setTracking'>, shipment: Shipment, expected: ExpectedVersions): Promise<Order> {
    return this.change(request, expected, async (manager, order, at) => {
      if (!canSetTracking(order.status)) throw new OrderCancelledError();
      const current = order.shipment;
      if (current?.shippingProvider === shipment.shippingProvider && current.trackingNumber === shipment.trackingNumber) return null;
      await orders.saveShipment(manager, order.id, shipment, at);
      return order.shipment
        ? { type: 'tracking_replaced', from: { shipment: order.shipment }, to: { shipment } }
        : { type: 'tracking_set', from: null, to: { shipment } };
    });
  }

  moveTo(request: OrderRequest<'changeStatus'>, target: OrderStatus, expected: ExpectedVersions): Promise<Order> {
    return this.change(request, expected, async (manager, order) => {
      if (!canMoveTo(order.status, target)) throw new InvalidStatusTransitionError(order.status, target);
      await orders.updateOrderStatus(manager, order.id, target);
      return { type: 'status_changed', from: { status: order.status }, to: { status: target } };
    });
  }

  /** Cancelling twice is harmless: an already cancelled order comes back unchanged. */
  cancel(request: OrderRequest<'cancel'>, expected: ExpectedVersions): Promise<Order> {
    return this.change(request, expected, async (manager, order) => {
      if (order.status === 'cancelled') return null;
      if (!canCancel(order.status)) throw new OrderNotCancellableError(order.status);
      const returned = order.products.map(({ productId, quantity }) => ({ productId, quantity }));
      await orders.deleteShipment(manager, order.id);
      await orders.updateOrderStatus(manager, order.id, 'cancelled');
      await releaseStock(manager, returned);
      return {
        type: 'cancelled',
        from: { status: order.status, shipment: order.shipment },
        to: { status: 'cancelled', shipment: null, stockReturned: returned },
      };
    });
  }

  /**
   * Runs `apply` on the locked, current order in one transaction and returns the order after it.
   * The order is read twice: under the lock (for the policy, the version and the rule), and after.
   */
  private change(
    request: OrderRequest<OrderChangeAction>,
    expected: ExpectedVersions,
    apply: (manager: EntityManager, order: Order, at: Date) => Promise<Change>,
  ): Promise<Order> {
    const { caller, orderId } = request;
    return this.db.write(
      async (manager) => {
        const order = authorize(this.policy, request, await orders.findOrderForUpdate(manager, orderId));
        if (expected && !expected.includes(order.version)) throw new OrderChangedError(order.version);
        const at = new Date();
        const change = await apply(manager, order, at);
        if (change) {
          await orders.bumpOrderVersion(manager, orderId, at);
          await appendOrderEvent(manager, {
            orderId,
            userId: order.userId,
            orderVersion: order.version + 1,
            actorUserId: caller.id,
            at,
            ...change,
          });
        }
        return (await orders.findOrder(manager, orderId))!;
      },
      { byUser: caller.id },
    );
  }
}

function rejectDuplicates(request: CreateOrderRequest): void {
  const seen = new Set<number>();
  const duplicates = request.products.flatMap(({ id }, index) => {
    if (!seen.has(id)) {
      seen.add(id);
      return [];
    }
    return [{ index, id }];
  });
  if (duplicates.length) throw new DuplicateProductsError(duplicates);
}
