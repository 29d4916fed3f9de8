import type { OrderAction } from '../auth/order-policy';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../http/errors';
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
    super('Status change not allowed', `An order in status '${from}' cannot move to '${to}'.${hint}`, 'invalid-status-transition', {
      currentStatus: from,
      allowedStatuses: allowed,
    });
  }
}

export class OrderNotCancellableError extends ConflictError {
  constructor(status: OrderStatus) {
    super('Order cannot be cancelled', `An order in status '${status}' cannot be cancelled.`, 'order-not-cancellable', {
      currentStatus: status,
    });
  }
}

export class OrderCancelledError extends ConflictError {
  constructor() {
    super('Order is cancelled', 'A cancelled order cannot be given a shipment.', 'order-cancelled', {
      currentStatus: 'cancelled',
    });
  }
}

export class UnknownProductsError extends UnprocessableError {
  constructor(unknown: Array<{ index: number; id: number }>) {
    super(
      'Unknown product',
      `These products do not exist: ${unknown.map(({ id }) => id).join(', ')}.`,
      'unknown-product',
      unknown.map(({ index, id }) => ({ path: `/body/products/${index}/id`, message: `product ${id} does not exist` })),
    );
  }
}

export class DuplicateProductsError extends UnprocessableError {
  constructor(duplicates: Array<{ index: number; id: number }>) {
    super(
      'Duplicate product',
      `Each product may appear once per order; repeated: ${[...new Set(duplicates.map(({ id }) => id))].join(', ')}. Combine the quantities instead.`,
      'duplicate-product',
      duplicates.map(({ index, id }) => ({ path: `/body/products/${index}/id`, message: `product ${id} appears more than once` })),
    );
  }
}

export class MixedCurrenciesError extends UnprocessableError {
  constructor(currencies: string[]) {
    super(
      'Mixed currencies',
      `All products of an order must share one currency; these use ${currencies.join(', ')}.`,
      'mixed-currencies',
      [],
    );
  }
}
