import type { EntityManager } from 'typeorm';
import type { CreateOrderRequest, Order, Shipment } from '../api-types';
import type { Caller } from '../auth/caller';
import { findPricedProducts } from '../catalogue/product-repository';
import type { Database } from '../db/database';
import {
  DuplicateProductsError,
  InvalidStatusTransitionError,
  MixedCurrenciesError,
  OrderCancelledError,
  OrderNotCancellableError,
  OrderNotFoundError,
  UnknownProductsError,
} from './order-errors';
import * as orders from './order-repository';
import { canCancel, canMoveTo, canSetTracking, type OrderStatus } from './order-status';
import { decodeCursor, encodeCursor } from './order-cursor';

/** The order rules. Every change is one transaction that re-reads the order under a lock. */
export class OrderService {
  constructor(private readonly db: Database) {}

  /** Creates a pending order with each product's current price. */
  async create(caller: Caller, request: CreateOrderRequest): Promise<Order> {
    rejectDuplicates(request);
    const ids = request.products.map((line) => line.id);
    return this.db.write(async (manager) => {
      const products = await findPricedProducts(manager, ids);
      const unknown = request.products.flatMap(({ id }, index) => (products.has(id) ? [] : [{ index, id }]));
      if (unknown.length) throw new UnknownProductsError(unknown);
      const currencies = [...new Set([...products.values()].map((product) => product.currency))];
      if (currencies.length > 1) throw new MixedCurrenciesError(currencies);

      const orderId = await orders.insertOrder(manager, {
        userId: caller.id,
        currency: currencies[0],
        lines: request.products.map(({ id, quantity }) => ({ productId: id, quantity, unitPrice: products.get(id)!.price })),
        at: new Date(),
      });
      return (await orders.findOrder(manager, orderId))!;
    }, { byUser: caller.id });
  }

  /** For showing only: may be served by a read replica, unless the caller has just written. */
  findForReading(id: number, caller: Caller): Promise<Order | null> {
    return this.db.read((manager) => orders.findOrder(manager, id), {
      forUser: caller.id,
      confirmOnWriterIf: (order) => order === null,
    });
  }

  /** For the guard of a change: always the writer, never a lagging replica. */
  findForChange(id: number): Promise<Order | null> {
    return this.db.readPrimary((manager) => orders.findOrder(manager, id));
  }

  /**
   * One page of orders, newest first: of user `page.userId`, or of every user when it is undefined
   * (staff; the listing guard decides which the caller may see).
   */
  async list(
    caller: Caller,
    page: { limit: number; cursor?: string; userId: number | undefined },
  ): Promise<{ data: Order[]; nextCursor: string | null }> {
    const beforeId = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    // One extra row tells whether another page exists.
    const rows = await this.db.read(
      (manager) => orders.listUserOrders(manager, page.userId, { limit: page.limit + 1, beforeId }),
      { forUser: caller.id },
    );
    const data = rows.slice(0, page.limit);
    const nextCursor = rows.length > page.limit ? encodeCursor(data[data.length - 1].id) : null;
    return { data, nextCursor };
  }

  async setTracking(caller: Caller, orderId: number, shipment: Shipment): Promise<Order> {
    return this.change(caller, orderId, async (manager, order) => {
      if (!canSetTracking(order.status)) throw new OrderCancelledError();
      await orders.saveShipment(manager, orderId, shipment, new Date());
    });
  }

  async moveTo(caller: Caller, orderId: number, target: OrderStatus): Promise<Order> {
    return this.change(caller, orderId, async (manager, order) => {
      if (!canMoveTo(order.status, target)) throw new InvalidStatusTransitionError(order.status, target);
      await orders.updateOrderStatus(manager, orderId, target, new Date());
    });
  }

  /** Cancelling twice is harmless: an already cancelled order comes back unchanged. */
  async cancel(caller: Caller, orderId: number): Promise<Order> {
    return this.change(caller, orderId, async (manager, order) => {
      if (order.status === 'cancelled') return;
      if (!canCancel(order.status)) throw new OrderNotCancellableError(order.status);
      const at = new Date();
      await orders.deleteShipment(manager, orderId);
      await orders.updateOrderStatus(manager, orderId, 'cancelled', at);
    });
  }

  /** Runs `apply` on the locked, current order in one transaction and returns the order after it. */
  private change(
    caller: Caller,
    orderId: number,
    apply: (manager: EntityManager, order: Order) => Promise<void>,
  ): Promise<Order> {
    return this.db.write(async (manager) => {
      const order = await orders.findOrderForUpdate(manager, orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      await apply(manager, order);
      return (await orders.findOrder(manager, orderId))!;
    }, { byUser: caller.id });
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
