import type { EntityManager } from 'typeorm';
import type { Order } from '../api-types';
import { changeRows, dialectOf, selectRows } from '../db/sql';
import { findShipmentsOfOrders } from '../shipments/shipment-repository';
import {
  BUMP_VERSION,
  FIND_ORDER,
  foldOrders,
  INSERT_ORDER,
  insertLinesSql,
  listOrdersQuery,
  lockOrderSql,
  type OrderFilter,
  type OrderRow,
  type OrderWithoutShipments,
  UPDATE_STATUS,
} from './order-sql';
import type { OrderStatus } from './order-status';
import { newOrder, withShipments } from './order-shipments';

export type { OrderFilter } from './order-sql';

export interface NewOrder {
  readonly userId: number;
  readonly marketplace: string;
  readonly locale: string;
  readonly currency: string;
  readonly lines: ReadonlyArray<{ productId: number; quantity: number; unitPrice: number }>;
  readonly at: Date;
}

export async function findOrder(manager: EntityManager, id: number): Promise<Order | null> {
  const [order] = foldOrders(await selectRows<OrderRow>(manager, FIND_ORDER, [id]), dialectOf(manager));
  return order ? (await attachShipments(manager, [order]))[0] : null;
}

/**
 * Locks the order's row until the transaction ends, then reads it, so that two concurrent changes
 * of one order apply one after the other and each sees the other's shipments.
 */
export async function findOrderForUpdate(manager: EntityManager, id: number): Promise<Order | null> {
  const locked = await selectRows<{ id: number }>(manager, lockOrderSql(dialectOf(manager)), [id]);
  return locked.length ? findOrder(manager, id) : null;
}

/** A page of matching orders, newest first, strictly older than `beforeId` when given. */
export async function listOrders(
  manager: EntityManager,
  filter: OrderFilter,
  page: { limit: number; beforeId?: number },
): Promise<Order[]> {
  const dialect = dialectOf(manager);
  const query = listOrdersQuery(filter, page.beforeId, page.limit, dialect);
  return attachShipments(manager, foldOrders(await selectRows<OrderRow>(manager, query.sql, query.parameters), dialect));
}

async function attachShipments(manager: EntityManager, orders: OrderWithoutShipments[]): Promise<Order[]> {
  const shipments = await findShipmentsOfOrders(manager, orders.map((order) => order.id));
  return orders.map((order) => withShipments(order, shipments.get(order.id)!));
}

/** Inserts a pending order (version 1) with its lines and returns it. Call inside a write transaction. */
export async function insertOrder(manager: EntityManager, order: NewOrder): Promise<Order> {
  const dialect = dialectOf(manager);
  const total = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const at = dialect.timestamp(order.at);
  const [{ id }] = await selectRows<{ id: number }>(manager, INSERT_ORDER, [order.userId, order.marketplace, order.locale, order.currency, total, at, at]);
  const inserted = await selectRows<{ id: number; product_id: number }>(
    manager,
    insertLinesSql(order.lines.length),
    order.lines.flatMap((line) => [id, line.productId, line.quantity, line.unitPrice]),
  );
  const lineIds = new Map(inserted.map((row) => [Number(row.product_id), Number(row.id)]));
  // Exactly what findOrder would read back, without reading it back: lines in id order.
  const products = order.lines
    .map((line) => ({ id: lineIds.get(line.productId)!, ...line, lineTotal: line.quantity * line.unitPrice }))
    .sort((a, b) => a.id - b.id);
  return newOrder({ id, userId: order.userId, marketplace: order.marketplace, locale: order.locale, currency: order.currency, total, products }, order.at);
}

/** Every change of an order moves its version on by one and stamps it. */
export async function bumpOrderVersion(manager: EntityManager, id: number, at: Date): Promise<void> {
  await changeRows(manager, BUMP_VERSION, [dialectOf(manager).timestamp(at), id]);
}

export async function updateOrderStatus(manager: EntityManager, id: number, status: OrderStatus): Promise<void> {
  await changeRows(manager, UPDATE_STATUS, [status, id]);
}

export async function orderExists(manager: EntityManager, id: number): Promise<boolean> {
  return (await selectRows(manager, 'SELECT 1 AS found FROM "orders" WHERE id = ?', [id])).length > 0;
}
