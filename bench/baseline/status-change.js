'use strict';
/**
 * PATCH /orders/{id}/status as the service's order-service.ts does it, for both stores: in one
 * transaction, the order read (on PostgreSQL, locked), the checks, the change and its event, then
 * the order read back.
 */
const { HttpError } = require('./http-error');
const { FIND_ORDER } = require('./order-rows');

/** The one forward step from each status (the service's order-status.ts). */
const NEXT_STATUS = { pending: 'processing', processing: 'shipped', shipped: 'delivered', delivered: null, cancelled: null };
const ORDER_STATUSES = Object.keys(NEXT_STATUS);

/** FIND_ORDER that also locks the order's row until the transaction ends (PostgreSQL). */
const FIND_ORDER_FOR_UPDATE = `${FIND_ORDER} FOR UPDATE OF o`;

/** The status, the version and its stamp, in one statement. */
const CHANGE_STATUS = 'UPDATE orders SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3';

const INSERT_STATUS_EVENT = `INSERT INTO order_events
  (order_id, user_id, order_version, type, actor_user_id, occurred_at, from_state, to_state, published_at)
  VALUES ($1, $2, $3, 'status_changed', $4, $5, $6, $7, NULL)`;

/**
 * Checks the change on the order as read in the transaction (someone else's order is a 404, as
 * when reading it; any status but the next one a 409). Returns the values of CHANGE_STATUS and
 * of INSERT_STATUS_EVENT, the event the service records: owner, new version, the caller as actor,
 * and the status before and after. `at` is the time as the database stores it.
 */
function statusChange(order, userId, status, at) {
  if (!order || order.userId !== userId) throw new HttpError(404, 'Order not found.');
  if (NEXT_STATUS[order.status] !== status) throw new HttpError(409, `An order in ${order.status} cannot move to ${status}.`);
  return {
    update: [status, at, order.id],
    event: [order.id, order.userId, order.version + 1, userId, at, JSON.stringify({ status: order.status }), JSON.stringify({ status })],
  };
}

module.exports = { CHANGE_STATUS, FIND_ORDER_FOR_UPDATE, INSERT_STATUS_EVENT, ORDER_STATUSES, statusChange };
