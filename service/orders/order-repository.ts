import { In, type EntityManager } from 'typeorm';
import type { Order, Shipment } from '../api-types';
import { OrderEntity, OrderLineEntity, ShipmentEntity } from '../db/entities';
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
  const entity = await manager
    .createQueryBuilder(OrderEntity, 'o')
    .leftJoinAndSelect('o.lines', 'l')
    .leftJoinAndSelect('o.shipment', 's')
    .where('o.id = :id', { id })
    .orderBy('l.id', 'ASC')
    .getOne();
  return entity ? toOrder(entity) : null;
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
  const query = manager.createQueryBuilder(OrderEntity, 'o').leftJoinAndSelect('o.shipment', 's');
  if (filter.userId !== undefined) query.andWhere('o.user_id = :userId', { userId: filter.userId });
  if (filter.statuses?.length) query.andWhere('o.status IN (:...statuses)', { statuses: filter.statuses });
  if (filter.createdAfter) query.andWhere('o.created_at >= :createdAfter', { createdAfter: filter.createdAfter });
  if (filter.createdBefore) query.andWhere('o.created_at < :createdBefore', { createdBefore: filter.createdBefore });
  if (page.beforeId !== undefined) query.andWhere('o.id < :beforeId', { beforeId: page.beforeId });
  const orders = await query.orderBy('o.id', 'DESC').limit(page.limit).getMany();
  if (orders.length === 0) return [];

  const lines = await manager.find(OrderLineEntity, {
    where: { orderId: In(orders.map((order) => order.id)) },
    order: { id: 'ASC' },
  });
  const linesOf = new Map(orders.map((order) => [order.id, [] as OrderLineEntity[]]));
  for (const line of lines) linesOf.get(line.orderId)!.push(line);
  for (const order of orders) order.lines = linesOf.get(order.id)!;
  return orders.map(toOrder);
}

/** Inserts a pending order (version 1) with its lines; returns its id. Call inside a write transaction. */
export async function insertOrder(manager: EntityManager, order: NewOrder): Promise<number> {
  const total = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const result = await manager.insert(OrderEntity, {
    userId: order.userId,
    status: 'pending',
    currency: order.currency,
    total,
    version: 1,
    createdAt: order.at,
    updatedAt: order.at,
  });
  const orderId = Number(result.identifiers[0].id);
  await manager.insert(
    OrderLineEntity,
    order.lines.map((line) => ({ orderId, ...line })),
  );
  return orderId;
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

function toOrder(entity: OrderEntity): Order {
  return {
    id: entity.id,
    userId: entity.userId,
    orderDate: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
    status: entity.status,
    version: entity.version,
    currency: entity.currency,
    total: entity.total,
    products: entity.lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineTotal: line.quantity * line.unitPrice,
    })),
    shipment: entity.shipment
      ? { shippingProvider: entity.shipment.shippingProvider, trackingNumber: entity.shipment.trackingNumber }
      : null,
  };
}
