import type { ShipmentStatus } from '../api-types';

/** The shipment lifecycle, in one place: one forward step at a time; `cancelled` only by cancelling. */
const NEXT_STATUS: Readonly<Record<ShipmentStatus, ShipmentStatus | null>> = {
  pending: 'shipped',
  shipped: 'delivered',
  delivered: null,
  cancelled: null,
};

/** Statuses PATCH .../shipments/{shipmentId}/status may move a shipment in `from` to. */
export function allowedNextShipmentStatuses(from: ShipmentStatus): ShipmentStatus[] {
  const next = NEXT_STATUS[from];
  return next ? [next] : [];
}

export function canShipmentMoveTo(from: ShipmentStatus, to: ShipmentStatus): boolean {
  return NEXT_STATUS[from] === to;
}

/** Only a shipment that has not left can be called off; once with the carrier it is theirs. */
export function canCancelShipment(status: ShipmentStatus): boolean {
  return status === 'pending';
}

/** Shipments whose units count against the order's lines. */
export function isActive(status: ShipmentStatus): boolean {
  return status !== 'cancelled';
}

/** Shipments whose units have left the shop. */
export function hasShipped(status: ShipmentStatus): boolean {
  return status === 'shipped' || status === 'delivered';
}
