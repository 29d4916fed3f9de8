'use strict';
/**
 * Folds the rows of "orders LEFT JOIN order_lines LEFT JOIN shipments" (one row per line, in
 * order id then line id order) into orders shaped like the contract's Order, exactly as the
 * service answers them. `toDate` reads a stored timestamp.
 */
function foldOrders(rows, toDate) {
  const orders = [];
  let current;
  for (const row of rows) {
    if (!current || current.id !== row.id) {
      current = {
        id: row.id,
        userId: row.user_id,
        orderDate: toDate(row.created_at).toISOString(),
        updatedAt: toDate(row.updated_at).toISOString(),
        status: row.status,
        version: row.version,
        currency: row.currency,
        total: Number(row.total),
        products: [],
        shipment:
          row.shipping_provider === null
            ? null
            : { shippingProvider: row.shipping_provider, trackingNumber: row.tracking_number },
      };
      orders.push(current);
    }
    if (row.product_id !== null) {
      current.products.push({
        productId: row.product_id,
        quantity: row.quantity,
        unitPrice: row.unit_price,
        lineTotal: row.quantity * row.unit_price,
      });
    }
  }
  return orders;
}

const ORDER_COLUMNS = `o.id, o.user_id, o.status, o.currency, o.total, o.version, o.created_at, o.updated_at,
  l.product_id, l.quantity, l.unit_price, s.shipping_provider, s.tracking_number`;

/** One order with its lines and shipment, in one query. */
const FIND_ORDER = `SELECT ${ORDER_COLUMNS}
  FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id LEFT JOIN shipments s ON s.order_id = o.id
  WHERE o.id = $1 ORDER BY l.id`;

/** A user's newest orders with their lines and shipments, in one query. */
const LIST_ORDERS = `SELECT ${ORDER_COLUMNS}
  FROM (SELECT * FROM orders WHERE user_id = $1 ORDER BY id DESC LIMIT $2) o
  LEFT JOIN order_lines l ON l.order_id = o.id LEFT JOIN shipments s ON s.order_id = o.id
  ORDER BY o.id DESC, l.id`;

/** What the `created` event records: the service's order-events.ts writes the same. */
function createdEventState(order) {
  return JSON.stringify({ status: order.status, currency: order.currency, total: order.total, products: order.products });
}

module.exports = { foldOrders, FIND_ORDER, LIST_ORDERS, createdEventState };
