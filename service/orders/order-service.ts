import type { Order, OrderEvent, Shipment } from '../api-types';
import type { Caller } from '../auth/caller';
import { releaseStock } from '../catalogue/product-repository';
import type { Database } from '../db/database';
import { decodeCursor, pageOf } from '../http/cursor';
import { setLegacyTracking } from './legacy-tracking';
import type { OrderRequest } from './order-access';
import type { ExpectedVersions, OrderChanges } from './order-change';
import { InvalidStatusTransitionError, OrderNotCancellableError } from './order-errors';
import { listOrderEvents } from './order-events';
import * as orders from './order-repository';
import { cancelShipmentsWithOrder, moveShipmentsWithOrder } from './order-shipping';
import { canCancel, canMoveTo, type OrderStatus } from './order-status';

export type { ExpectedVersions } from './order-change';

export interface ListQuery {
  /** Whose orders: one user's, or every user's when undefined (staff; the listing guard decides). */
  readonly userId: number | undefined;
  /** Only these marketplaces' orders; every marketplace's when undefined. */
  readonly marketplaces?: readonly string[];
  readonly limit: number;
  readonly cursor?: string;
  readonly statuses?: OrderStatus[];
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
}

/**
 * The order rules. Every change goes through OrderChanges: one transaction that reads the order
 * under a lock, asks the policy about it, checks the expected version, applies the change with its
 * stock and shipment movements, bumps the version and appends the event, or does none of it.
 */
export class OrderService {
  constructor(
    private readonly db: Database,
    private readonly changes: OrderChanges,
  ) {}

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
    const filter = { userId: query.userId, marketplaces: query.marketplaces, statuses: query.statuses, createdAfter: query.createdAfter, createdBefore: query.createdBefore };
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
    return this.changes.run(request, expected, (manager, order, at) => setLegacyTracking(manager, order, shipment, at));
  }

  /** Shipped and delivered move the shipments too (order-shipping.ts), and say which in the event. */
  moveTo(request: OrderRequest<'changeStatus'>, target: OrderStatus, expected: ExpectedVersions): Promise<Order> {
    return this.changes.run(request, expected, async (manager, order, at) => {
      if (!canMoveTo(order.status, target)) throw new InvalidStatusTransitionError(order.status, target);
      const moved = target === 'shipped' || target === 'delivered' ? await moveShipmentsWithOrder(manager, order, target, at) : [];
      await orders.updateOrderStatus(manager, order.id, target);
      return { type: 'status_changed', from: { status: order.status }, to: { status: target, ...(moved.length > 0 && { shipments: moved }) } };
    });
  }

  /** Cancelling twice is harmless: an already cancelled order comes back unchanged. */
  cancel(request: OrderRequest<'cancel'>, expected: ExpectedVersions): Promise<Order> {
    return this.changes.run(request, expected, async (manager, order, at) => {
      if (order.status === 'cancelled') return null;
      if (!canCancel(order.status)) throw new OrderNotCancellableError(order.status);
      const cancelledShipments = await cancelShipmentsWithOrder(manager, order, at);
      const returned = order.products.map(({ productId, quantity }) => ({ productId, quantity }));
      await orders.updateOrderStatus(manager, order.id, 'cancelled');
      await releaseStock(manager, returned);
      return {
        type: 'cancelled',
        from: { status: order.status, shipment: order.shipment },
        to: { status: 'cancelled', shipment: null, stockReturned: returned, ...(cancelledShipments.length > 0 && { cancelledShipments }) },
      };
    });
  }
}
