import type { EntityManager } from 'typeorm';
import type { Order, Shipment } from '../api-types';
import { OrderEntity, ShipmentEntity } from '../db/entities';
import { changeRows, dialectOf, selectRows } from '../db/sql-dialect';
import { FIND_ORDER, foldOrders, INSERT_ORDER, insertLinesSql, listOrdersQuery, type OrderRow } from './order-sql';
import type { OrderStatus } from './order-status';

export interface NewOrder {
  readonly userId: number;
  readonly currency: string;
  readonly lines: ReadonlyArray<{ productId: number; quantity: number; unitPrice: number }>;
  readonly at: Date;
}

export interface OrderFilter {
  /** Whose orders; every user's when undefined (staff). */
  readonly userId: number | undefined;
  readonly statuses?: readonly OrderStatus[];
  /** Created at or after. */
  readonly createdAfter?: Date;
  /** Created strictly before. */
  readonly createdBefore?: Date;
}

export async function findOrder(manager: EntityManager, id: number): Promise<Order | null> {
  const dialect = dialectOf(manager);
  const rows = await selectRows<OrderRow>(manager, FIND_ORDER, [id]);
  return foldOrders(rows, dialect)[0] ?? null;
}

/**
 * Locks the order row until the transaction ends, then loads it, so that two concurrent changes
 * of one order apply one after the other. SQLite needs no lock: its writes are serialized.
 */
export async function findOrderForUpdate(manager: EntityManager, id: number): Promise<Order | null> {
  if (manager.connection.driver.options.type === 'postgres') {
    await manager.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [id]);
  }
  return findOrder(manager, id);
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
  await manager
    .createQueryBuilder()
    .update(OrderEntity)
    .set({ version: () => 'version + 1', updatedAt: at })
    .where('id = :id', { id })
    .execute();
}

export async function updateOrderStatus(manager: EntityManager, id: number, status: OrderStatus): Promise<void> {
  await manager.update(OrderEntity, { id }, { status });
}

/** Sets the order's single shipment, replacing the one it had. */
export async function saveShipment(manager: EntityManager, orderId: number, shipment: Shipment, at: Date): Promise<void> {
  const updated = await manager.update(ShipmentEntity, { orderId }, { ...shipment, updatedAt: at });
  if (!updated.affected) await manager.insert(ShipmentEntity, { orderId, ...shipment, createdAt: at, updatedAt: at });
}

export async function deleteShipment(manager: EntityManager, orderId: number): Promise<void> {
  await manager.delete(ShipmentEntity, { orderId });
}
