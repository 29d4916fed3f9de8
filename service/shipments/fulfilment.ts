import type { FulfilmentStatus, Order, OrderLine, OrderShipment } from '../api-types';
import { hasShipped, isActive } from './shipment-status';

type Lines = ReadonlyArray<Pick<OrderLine, 'id' | 'quantity'>>;
type Shipments = ReadonlyArray<Pick<OrderShipment, 'status' | 'lines'>>;

/** Units of each order line held by the shipments that pass `filter`. */
function unitsByLine(shipments: Shipments, filter: (shipment: Shipments[number]) => boolean): Map<number, number> {
  const units = new Map<number, number>();
  for (const shipment of shipments.filter(filter)) {
    for (const line of shipment.lines) units.set(line.orderLineId, (units.get(line.orderLineId) ?? 0) + line.quantity);
  }
  return units;
}

/** What each line has left to put in a shipment: ordered less what the active shipments hold. */
export function remainingByLine(lines: Lines, shipments: Shipments): Map<number, number> {
  const held = unitsByLine(shipments, (shipment) => isActive(shipment.status));
  return new Map(lines.map((line) => [line.id, line.quantity - (held.get(line.id) ?? 0)]));
}

/**
 * The order's fulfilment, derived from its shipments that are not cancelled (never stored apart
 * from them): how much of the order is in shipments, has shipped, has been delivered.
 */
export function fulfilmentOf(lines: Lines, shipments: Shipments): FulfilmentStatus {
  const ordered = lines.reduce((sum, line) => sum + line.quantity, 0);
  const total = (units: Map<number, number>) => [...units.values()].reduce((sum, n) => sum + n, 0);
  const allocated = total(unitsByLine(shipments, (shipment) => isActive(shipment.status)));
  const shipped = total(unitsByLine(shipments, (shipment) => hasShipped(shipment.status)));
  const delivered = total(unitsByLine(shipments, (shipment) => shipment.status === 'delivered'));
  if (ordered > 0 && delivered === ordered) return 'delivered';
  if (ordered > 0 && shipped === ordered) return 'shipped';
  if (shipped > 0) return 'partially_shipped';
  if (ordered > 0 && allocated === ordered) return 'fulfilled';
  return allocated > 0 ? 'partially_fulfilled' : 'unfulfilled';
}

/**
 * The order's status once its shipments say `fulfilment`: shipped when every unit has shipped,
 * delivered when every unit is delivered, processing (from pending) once something has shipped.
 * Otherwise the status stays as it is; it never moves back, and a cancelled order stays cancelled.
 */
export function orderStatusFor(current: Order['status'], fulfilment: FulfilmentStatus): Order['status'] {
  if (current === 'cancelled' || current === 'delivered') return current;
  if (fulfilment === 'delivered') return 'delivered';
  if (fulfilment === 'shipped') return current === 'shipped' ? current : 'shipped';
  if (fulfilment === 'partially_shipped' && current === 'pending') return 'processing';
  return current;
}
