import type { Carrier, OrderShipment, ShipmentUpdateRequest } from '../api-types';
import { carrierDisplayName, isKnownCarrier, trackingNumberProblem } from './carriers';
import { CarrierNameMismatchError, InvalidTrackingNumberError, TrackingWithoutCarrierError } from './shipment-errors';
import type { Tracking } from './shipment-repository';

/**
 * The carrier and tracking number a shipment has once `change` applies to what it had (nothing, for
 * a new one): a known carrier shows its own name, `other` the name given (or "other"); a tracking
 * number needs a carrier and must be one of that carrier's numbers where their formats are known.
 */
export function trackingAfter(current: Tracking, change: ShipmentUpdateRequest): Tracking {
  const carrier: Carrier | null = change.carrier ?? current.carrier;
  const trackingNumber = change.trackingNumber ?? current.trackingNumber;
  if (carrier === null) {
    if (trackingNumber !== null) throw new TrackingWithoutCarrierError();
    if (change.carrierName !== undefined) throw new CarrierNameMismatchError('no carrier');
    return current;
  }
  if (isKnownCarrier(carrier) && change.carrierName !== undefined) throw new CarrierNameMismatchError(carrier);
  if (trackingNumber !== null && (change.carrier !== undefined || change.trackingNumber !== undefined)) {
    const problem = trackingNumberProblem(carrier, trackingNumber);
    if (problem) throw new InvalidTrackingNumberError(carrier, problem);
  }
  const carrierName = isKnownCarrier(carrier)
    ? carrierDisplayName(carrier)
    : (change.carrierName ?? (current.carrier === 'other' ? current.carrierName : null) ?? 'other');
  return { carrier, carrierName, trackingNumber };
}

export function trackingOf(shipment: OrderShipment): Tracking {
  return { carrier: shipment.carrier, carrierName: shipment.carrierName, trackingNumber: shipment.trackingNumber };
}

export function sameTracking(a: Tracking, b: Tracking): boolean {
  return a.carrier === b.carrier && a.carrierName === b.carrierName && a.trackingNumber === b.trackingNumber;
}
