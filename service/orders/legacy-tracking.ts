import type { EntityManager } from 'typeorm';
import type { Order, Shipment } from '../api-types';
import { carrierNamed } from '../shipments/carriers';
import { insertShipment, type Tracking, updateTracking } from '../shipments/shipment-repository';
import { isActive } from '../shipments/shipment-status';
import type { Change } from './order-change';
import { OrderCancelledError, SeveralShipmentsError } from './order-errors';
import { canSetTracking } from './order-status';

/**
 * PATCH /orders/{id}/tracking as older clients know it, on top of split shipments: with no
 * shipment it makes one holding every line, with one it replaces that one's tracking, with several
 * it cannot tell which (409). The provider stays any name, and the number is not checked against
 * the carrier's formats as the shipments routes do, so every request that worked before still does.
 */
export async function setLegacyTracking(manager: EntityManager, order: Order, shipment: Shipment, at: Date): Promise<Change> {
  if (!canSetTracking(order.status)) throw new OrderCancelledError();
  const active = order.shipments.filter((one) => isActive(one.status));
  if (active.length > 1) throw new SeveralShipmentsError(order.id, active.map((one) => one.id));
  const tracking: Tracking = {
    carrier: carrierNamed(shipment.shippingProvider),
    carrierName: shipment.shippingProvider,
    trackingNumber: shipment.trackingNumber,
  };
  if (!active.length) {
    const lines = order.products.map((line) => ({ orderLineId: line.id, quantity: line.quantity }));
    const shipmentId = await insertShipment(manager, { orderId: order.id, ...tracking, lines, at });
    return { type: 'tracking_set', from: null, to: { shipment, shipmentId } };
  }
  const [current] = active;
  if (current.carrierName === tracking.carrierName && current.trackingNumber === tracking.trackingNumber) return null;
  await updateTracking(manager, current.id, tracking, at);
  return order.shipment
    ? { type: 'tracking_replaced', from: { shipment: order.shipment }, to: { shipment, shipmentId: current.id } }
    : { type: 'tracking_set', from: null, to: { shipment, shipmentId: current.id } };
}
