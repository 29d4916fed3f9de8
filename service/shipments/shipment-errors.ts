import type { ShipmentStatus } from '../api-types';
import { ConflictError, NotFoundError, problemType, UnprocessableError } from '../errors';
import { allowedNextShipmentStatuses } from './shipment-status';

/** A shipment id of another order is as unknown here as one that does not exist. */
export class ShipmentNotFoundError extends NotFoundError {
  constructor(orderId: number, shipmentId: number) {
    super(`Order ${orderId} has no shipment ${shipmentId}.`);
  }
}

export class InvalidShipmentTransitionError extends ConflictError {
  constructor(from: ShipmentStatus, to: ShipmentStatus) {
    const allowed = allowedNextShipmentStatuses(from);
    const hint =
      to === 'cancelled'
        ? ' Use PATCH /orders/{id}/shipments/{shipmentId}/cancel to cancel a shipment.'
        : allowed.length
          ? ` It can move to ${allowed.join(', ')}.`
          : ' It cannot change status any more.';
    super(`A shipment in status '${from}' cannot move to '${to}'.${hint}`, {
      title: 'Shipment status change not allowed',
      type: problemType('invalid-shipment-transition'),
      extensions: { currentShipmentStatus: from, allowedShipmentStatuses: allowed },
    });
  }
}

export class ShipmentNotCancellableError extends ConflictError {
  constructor(status: ShipmentStatus) {
    super(`A shipment in status '${status}' cannot be cancelled.`, {
      title: 'Shipment cannot be cancelled',
      type: problemType('shipment-not-cancellable'),
      extensions: { currentShipmentStatus: status },
    });
  }
}

export class ShipmentCancelledError extends ConflictError {
  constructor() {
    super('A cancelled shipment cannot be changed; make a new one for its lines.', {
      title: 'Shipment is cancelled',
      type: problemType('shipment-cancelled'),
      extensions: { currentShipmentStatus: 'cancelled' },
    });
  }
}

export interface Shortfall {
  readonly orderLineId: number;
  readonly requested: number;
  readonly remaining: number;
}

/** Like out-of-stock: what is left depends on the order's other shipments, so it is a conflict. */
export class QuantityUnavailableError extends ConflictError {
  constructor(unavailable: Shortfall[]) {
    const lines = unavailable.map(({ orderLineId, requested, remaining }) => `order line ${orderLineId} has ${remaining} left, not ${requested}`);
    super(`Not that much is left to put in a shipment: ${lines.join('; ')}. Nothing was stored.`, {
      title: 'Not that much left to ship',
      type: problemType('quantity-unavailable'),
      extensions: { unavailable },
    });
  }
}

export class UnknownOrderLinesError extends UnprocessableError {
  constructor(orderId: number, unknown: Array<{ index: number; id: number }>) {
    super(`Order ${orderId} has no lines ${unknown.map(({ id }) => id).join(', ')}; use the ids of its products.`, {
      title: 'Unknown order line',
      type: problemType('unknown-order-line'),
      errors: unknown.map(({ index, id }) => ({ path: `/body/lines/${index}/orderLineId`, message: `order ${orderId} has no line ${id}` })),
    });
  }
}

export class DuplicateOrderLinesError extends UnprocessableError {
  constructor(duplicates: Array<{ index: number; id: number }>) {
    super(
      `Each order line may appear once per shipment; repeated: ${[...new Set(duplicates.map(({ id }) => id))].join(', ')}. Combine the quantities instead.`,
      {
        title: 'Duplicate order line',
        type: problemType('duplicate-order-line'),
        errors: duplicates.map(({ index, id }) => ({ path: `/body/lines/${index}/orderLineId`, message: `order line ${id} appears more than once` })),
      },
    );
  }
}

export class InvalidTrackingNumberError extends UnprocessableError {
  constructor(carrier: string, reason: string) {
    super(reason, {
      title: 'Invalid tracking number',
      type: problemType('invalid-tracking-number'),
      errors: [{ path: '/body/trackingNumber', message: `not a ${carrier} tracking number` }],
    });
  }
}

export class TrackingWithoutCarrierError extends UnprocessableError {
  constructor() {
    super('A tracking number needs its carrier: send `carrier` too.', {
      title: 'Tracking number without a carrier',
      type: problemType('tracking-without-carrier'),
      errors: [{ path: '/body/carrier', message: 'required with a tracking number' }],
    });
  }
}

export class CarrierNameMismatchError extends UnprocessableError {
  constructor(carrier: string) {
    super(`A carrier name is for carrier 'other'; ${carrier} has its own.`, {
      title: 'Carrier name for a known carrier',
      type: problemType('carrier-name-mismatch'),
      errors: [{ path: '/body/carrierName', message: `only with carrier 'other', not ${carrier}` }],
    });
  }
}
