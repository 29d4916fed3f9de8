import type { EntityManager } from 'typeorm';
import type { Order, Shipment } from '../api-types';
import { changeRows, dialectOf, selectRows } from '../db/sql';
import {
  BUMP_VERSION,
  DELETE_SHIPMENT,
  FIND_ORDER,
  findOrderForUpdateSql,
  foldOrders,
  INSERT_ORDER,
  INSERT_SHIPMENT,
  insertLinesSql,
  listOrdersQuery,
  type OrderFilter,
  type OrderRow,
  UPDATE_SHIPMENT,
  UPDATE_STATUS,
} from './order-sql';
import type { OrderStatus } from './order-status';

export type { OrderFilter } from './order-sql';

export interface NewOrder {
  readonly userId: number;
  readonly currency: string;
  readonly lines: ReadonlyArray<{ productId: number; quantity: number; unitPrice: number }>;
  readonly at: Date;
}

export async function findOrder(manager: EntityManager, id: number): Promise<Order | null> {
  const dialect = dialectOf(manager);
  const rows = await selectRows<OrderRow>(manager, FIND_ORDER, [id]);
  return foldOrders(rows, dialect)[0] ?? null;
}

/**
 * Loads the order and locks its row until the transaction ends, in one statement, so that two
 * concurrent changes of one order apply one after the other.
 */
export async function findOrderForUpdate(manager: EntityManager, id: number): Promise<Order | null> {
  const dialect = dialectOf(manager);
  const rows = await selectRows<OrderRow>(manager, findOrderForUpdateSql(dialect), [id]);
  return foldOrders(rows, dialect)[0] ?? null;
}

/** A page of matching orders, newest first, strictly older than `beforeId` when given. */
export async function listOrders(
  manager: EntityManager,
  filter: OrderFilter,
  page: { limit: number; beforeId?: number },
): Promise<Order[]> {
  const dialect = dialectOf(manager);
  const query = listOrdersQuery(filter, page.beforeId, page.limit, dialect);
  return foldOrders(await selectRows<OrderRow>(manager, query.sql, query.parameters), dialect);
}

/** Inserts a pending order (version 1) with its lines and returns it. Call inside a write transaction. */
export async function insertOrder(manager: EntityManager, order: NewOrder): Promise<Order> {
  const dialect = dialectOf(manager);
  const products = order.lines.map((line) => ({ ...line, lineTotal: line.quantity * line.unitPrice }));
  const total = products.reduce((sum, line) => sum + line.lineTotal, 0);
  const at = dialect.timestamp(order.at);
  const [{ id }] = await selectRows<{ id: number }>(manager, INSERT_ORDER, [order.userId, order.currency, total, at, at]);
  await changeRows(
    manager,
    insertLinesSql(order.lines.length),
    order.lines.flatMap((line) => [id, line.productId, line.quantity, line.unitPrice]),
  );
  // Exactly what findOrder would read back, without reading it back.
  return {
    id,
    userId: order.userId,
    orderDate: order.at.toISOString(),
    updatedAt: order.at.toISOString(),
    status: 'pending',
    version: 1,
    currency: order.currency,
    total,
    products,
    shipment: null,
  };
}

/** Every change of an order moves its version on by one and stamps it. */
export async function bumpOrderVersion(manager: EntityManager, id: number, at: Date): Promise<void> {
  await changeRows(manager, BUMP_VERSION, [dialectOf(manager).timestamp(at), id]);
}

export async function updateOrderStatus(manager: EntityManager, id: number, status: OrderStatus): Promise<void> {
  await changeRows(manager, UPDATE_STATUS, [status, id]);
}

/** Sets the order's single shipment, replacing the one it had. */
export async function saveShipment(manager: EntityManager, orderId: number, shipment: Shipment, at: Date): Promise<void> {
  const stamp = dialectOf(manager).timestamp(at);
  const updated = await changeRows(manager, UPDATE_SHIPMENT, [shipment.shippingProvider, shipment.trackingNumber, stamp, orderId]);
  if (!updated) await changeRows(manager, INSERT_SHIPMENT, [orderId, shipment.shippingProvider, shipment.trackingNumber, stamp, stamp]);
}

export async function deleteShipment(manager: EntityManager, orderId: number): Promise<void> {
  await changeRows(manager, DELETE_SHIPMENT, [orderId]);
}

export async function orderExists(manager: EntityManager, id: number): Promise<boolean> {
  return (await selectRows(manager, 'SELECT 1 AS found FROM "orders" WHERE id = ?', [id])).length > 0;
}
