import type { Order, OrderShipment } from '../api-types';
import { fulfilmentOf } from '../shipments/fulfilment';
import { isActive } from '../shipments/shipment-status';
import type { OrderWithoutShipments } from './order-sql';

/**
 * The single-shipment view of older clients: the carrier name and tracking number of the order's
 * one shipment that is not cancelled. With none, several, or one without tracking yet, there is
 * nothing that view can show truthfully, so it is null (PATCH /tracking answers 409 with several).
 */
export function legacyShipmentOf(shipments: readonly OrderShipment[]): Order['shipment'] {
  const active = shipments.filter((shipment) => isActive(shipment.status));
  if (active.length !== 1) return null;
  const [{ carrierName, trackingNumber }] = active;
  return carrierName === null || trackingNumber === null ? null : { shippingProvider: carrierName, trackingNumber };
}

/** The order as the contract shows it: with its shipments, the legacy view and the fulfilment they make. */
export function withShipments(order: OrderWithoutShipments, shipments: OrderShipment[]): Order {
  return { ...order, shipment: legacyShipmentOf(shipments), shipments, fulfilment: fulfilmentOf(order.products, shipments) };
}

/** What a new order's row holds besides what every new order has. */
export type NewOrderFields = Pick<Order, 'id' | 'userId' | 'marketplace' | 'locale' | 'currency' | 'total' | 'products'>;

/**
 * A just-created order as the contract shows it, exactly as reading it back would: pending,
 * version 1, created and updated `at`, no shipments yet. Both ways of creating one answer with it.
 */
export function newOrder(order: NewOrderFields, at: Date): Order {
  const iso = at.toISOString();
  const { id, userId, marketplace, locale, currency, total, products } = order;
  return withShipments({ id, userId, orderDate: iso, updatedAt: iso, status: 'pending', version: 1, marketplace, locale, currency, total, products }, []);
}
