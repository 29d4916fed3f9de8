import type { OrderAction } from '../auth/order-policy';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, problemType, UnprocessableError } from '../errors';
import { allowedNextStatuses, type OrderStatus } from './order-status';

export class OrderNotFoundError extends NotFoundError {
  constructor(id: number) {
    super(`Order ${id} was not found.`);
  }
}

const ACTION_WORDS: Readonly<Record<OrderAction, string>> = {
  create: 'create orders',
  list: 'list these orders',
  read: 'read this order',
  setTracking: 'set the tracking of this order',
  changeStatus: 'change the status of this order',
  cancel: 'cancel this order',
  createShipment: 'create shipments of this order',
  updateShipment: 'change the shipments of this order',
  changeShipmentStatus: 'change the status of the shipments of this order',
  cancelShipment: 'cancel the shipments of this order',
};

/** The order policy denies the action to a caller who may see the order (see auth/order-policy.ts). */
export class OrderActionForbiddenError extends ForbiddenError {
  constructor(action: OrderAction) {
    super(`The order policy does not let you ${ACTION_WORDS[action]}.`);
  }
}

export class InvalidStatusTransitionError extends ConflictError {
  constructor(from: OrderStatus, to: OrderStatus) {
    const allowed = allowedNextStatuses(from);
    const hint =
      to === 'cancelled'
        ? ' Use PATCH /orders/{id}/cancel to cancel an order.'
        : allowed.length
          ? ` It can move to: ${allowed.join(', ')}.`
          : ' It cannot change status any more.';
    super(`An order in status '${from}' cannot move to '${to}'.${hint}`, {
      title: 'Status change not allowed',
      type: problemType('invalid-status-transition'),
      extensions: { currentStatus: from, allowedStatuses: allowed },
    });
  }
}

export class OrderNotCancellableError extends ConflictError {
  constructor(status: OrderStatus) {
    super(`An order in status '${status}' cannot be cancelled.`, {
      title: 'Order cannot be cancelled',
      type: problemType('order-not-cancellable'),
      extensions: { currentStatus: status },
    });
  }
}

/** Once a shipment is with the carrier, the order is on its way: it can no longer be called off. */
export class OrderShipmentsShippedError extends ConflictError {
  constructor(status: OrderStatus, shipmentIds: number[]) {
    super(`An order whose shipments have shipped cannot be cancelled (shipped: ${shipmentIds.join(', ')}).`, {
      title: 'Order cannot be cancelled',
      type: problemType('order-not-cancellable'),
      extensions: { currentStatus: status, shipmentIds },
    });
  }
}

/** The single-shipment route cannot tell which of several shipments it is about. */
export class SeveralShipmentsError extends ConflictError {
  constructor(orderId: number, shipmentIds: number[]) {
    super(
      `Order ${orderId} has several shipments (${shipmentIds.join(', ')}); change each with PATCH /orders/${orderId}/shipments/{shipmentId}.`,
      { title: 'Order has several shipments', type: problemType('several-shipments'), extensions: { shipmentIds } },
    );
  }
}

/** Moving the order to shipped must ship every unit, and some are in no shipment while others are. */
export class ShipmentsIncompleteError extends ConflictError {
  constructor(orderId: number, unallocated: Array<{ orderLineId: number; quantity: number }>) {
    const lines = unallocated.map(({ orderLineId, quantity }) => `order line ${orderLineId} has ${quantity} in no shipment`);
    super(`${lines.join('; ')}. Put them in a shipment (POST /orders/${orderId}/shipments), then ship the order.`, {
      title: 'Shipments do not hold the whole order',
      type: problemType('shipments-incomplete'),
      extensions: { unallocated },
    });
  }
}

export class OrderCancelledError extends ConflictError {
  constructor() {
    super('A cancelled order cannot be given a shipment.', {
      title: 'Order is cancelled',
      type: problemType('order-cancelled'),
      extensions: { currentStatus: 'cancelled' },
    });
  }
}

export class UnknownProductsError extends UnprocessableError {
  constructor(unknown: Array<{ index: number; id: number }>) {
    super(`These products do not exist: ${unknown.map(({ id }) => id).join(', ')}.`, {
      title: 'Unknown product',
      type: problemType('unknown-product'),
      errors: unknown.map(({ index, id }) => ({ path: `/body/products/${index}/id`, message: `product ${id} does not exist` })),
    });
  }
}

export class DuplicateProductsError extends UnprocessableError {
  constructor(duplicates: Array<{ index: number; id: number }>) {
    super(
      `Each product may appear once per order; repeated: ${[...new Set(duplicates.map(({ id }) => id))].join(', ')}. Combine the quantities instead.`,
      {
        title: 'Duplicate product',
        type: problemType('duplicate-product'),
        errors: duplicates.map(({ index, id }) => ({ path: `/body/products/${index}/id`, message: `product ${id} appears more than once` })),
      },
    );
  }
}

/** Products the order's marketplace does not sell (unlisted, or listed but unpublished): never priced from another one. */
export class ProductsNotListedError extends UnprocessableError {
  constructor(marketplace: string, unlisted: Array<{ index: number; id: number }>) {
    super(`These products are not on sale in marketplace ${marketplace}: ${unlisted.map(({ id }) => id).join(', ')}. Nothing was ordered.`, {
      title: 'Product not on sale in this marketplace',
      type: problemType('product-not-listed'),
      errors: unlisted.map(({ index, id }) => ({ path: `/body/products/${index}/id`, message: `product ${id} is not on sale in marketplace ${marketplace}` })),
    });
  }
}

/** The client showed the shopper prices in another currency than the marketplace's (a stale cart). */
export class CurrencyMismatchError extends UnprocessableError {
  constructor(marketplace: string, expected: string, sent: string) {
    super(`Marketplace ${marketplace} sells in ${expected}, not ${sent}: show the shopper its prices again. Nothing was ordered.`, {
      title: 'Currency mismatch',
      type: problemType('currency-mismatch'),
      errors: [{ path: '/body/currency', message: `marketplace ${marketplace} sells in ${expected}` }],
    });
  }
}

/** If-Match named versions the order no longer has: someone changed it since the client read it. */
export class OrderChangedError extends PreconditionFailedError {
  constructor(currentVersion: number) {
    super(`The order has changed since you read it: it is now at version ${currentVersion}. Read it again, then retry.`, {
      title: 'Precondition Failed',
      type: problemType('version-mismatch'),
      extensions: { currentVersion },
      currentVersion,
    });
  }
}
