import type { EntityManager } from 'typeorm';
import type { Order, OrderShipment } from '../api-types';
import { findShipmentsOfOrders, insertShipment, moveShipment } from '../shipments/shipment-repository';
import { unallocatedLines } from '../shipments/shipment-lines';
import { hasShipped, isActive } from '../shipments/shipment-status';
import { OrderShipmentsShippedError, ShipmentsIncompleteError } from './order-errors';

/**
 * What PATCH /orders/{id}/status to `shipped` or `delivered` does to the shipments, so that the
 * order's status never disagrees with them. Shipped: every unit must ship, so the pending shipments
 * ship when together they hold every unit; an order without any gets one holding every line (the
 * way orders shipped before they had shipments); units in no shipment beside others are refused.
 * Delivered: every shipped shipment is delivered. Returns the shipments it moved, as they are now.
 */
export async function moveShipmentsWithOrder(manager: EntityManager, order: Order, target: 'shipped' | 'delivered', at: Date): Promise<OrderShipment[]> {
  const active = order.shipments.filter((shipment) => isActive(shipment.status));
  const moved: number[] = [];
  if (target === 'shipped' && !active.length) {
    const lines = order.products.map((line) => ({ orderLineId: line.id, quantity: line.quantity }));
    moved.push(await insertShipment(manager, { orderId: order.id, carrier: null, carrierName: null, trackingNumber: null, lines, at }));
  } else if (target === 'shipped') {
    const unallocated = unallocatedLines(order);
    if (unallocated.length) throw new ShipmentsIncompleteError(order.id, unallocated);
    moved.push(...active.filter((shipment) => shipment.status === 'pending').map((shipment) => shipment.id));
  } else {
    moved.push(...active.filter((shipment) => shipment.status === 'shipped').map((shipment) => shipment.id));
  }
  for (const id of moved) await moveShipment(manager, id, target, at);
  const now = (await findShipmentsOfOrders(manager, [order.id])).get(order.id)!;
  return now.filter((shipment) => moved.includes(shipment.id));
}

/**
 * Cancelling an order cancels its pending shipments; once one has shipped, the order is on its
 * way and cannot be cancelled. Returns the ids of the shipments it cancelled.
 */
export async function cancelShipmentsWithOrder(manager: EntityManager, order: Order, at: Date): Promise<number[]> {
  const shipped = order.shipments.filter((shipment) => hasShipped(shipment.status));
  if (shipped.length) throw new OrderShipmentsShippedError(order.status, shipped.map((shipment) => shipment.id));
  const pending = order.shipments.filter((shipment) => shipment.status === 'pending').map((shipment) => shipment.id);
  for (const id of pending) await moveShipment(manager, id, 'cancelled', at);
  return pending;
}
