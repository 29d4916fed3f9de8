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

/** A page of the user's orders (every user's when `userId` is undefined), newest first, strictly older than `beforeId` when given. */
export async function listUserOrders(
  manager: EntityManager,
  userId: number | undefined,
  page: { limit: number; beforeId?: number },
): Promise<Order[]> {
  const query = manager.createQueryBuilder(OrderEntity, 'o').leftJoinAndSelect('o.shipment', 's');
  if (userId !== undefined) query.andWhere('o.user_id = :userId', { userId });
  if (page.beforeId !== undefined) query.andWhere('o.id < :beforeId', { beforeId: page.beforeId });
  const orders = await query.orderBy('o.id', 'DESC').limit(page.limit).getMany();
  if (orders.length === 0) return [];

  const lines = await manager.find(OrderLineEntity, {
    where: { orderId: In(orders.map((order) => order.id)) },
    order: { id: 'ASC' },
  });
  for (const order of orders) order.lines = lines.filter((line) => line.orderId === order.id);
  return orders.map(toOrder);
}

/** Inserts a pending order with its lines; returns its id. Call inside a write transaction. */
export async function insertOrder(manager: EntityManager, order: NewOrder): Promise<number> {
  const total = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const result = await manager.insert(OrderEntity, {
    userId: order.userId,
    status: 'pending',
    currency: order.currency,
    total,
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

export async function updateOrderStatus(manager: EntityManager, id: number, status: OrderStatus, at: Date): Promise<void> {
  await manager.update(OrderEntity, { id }, { status, updatedAt: at });
}

/** Sets the order's single shipment, replacing the one it had. */
export async function saveShipment(manager: EntityManager, orderId: number, shipment: Shipment, at: Date): Promise<void> {
  const updated = await manager.update(ShipmentEntity, { orderId }, { ...shipment, updatedAt: at });
  if (!updated.affected) await manager.insert(ShipmentEntity, { orderId, ...shipment, createdAt: at, updatedAt: at });
  await manager.update(OrderEntity, { id: orderId }, { updatedAt: at });
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
