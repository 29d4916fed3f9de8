'use strict';
/**
 * Folds the rows of "orders LEFT JOIN order_lines" (one row per line, in order id then line id
 * order) and of their shipments (SHIPMENTS_OF) into orders shaped like the contract's Order, exactly
 * as the service answers them. `toDate` reads a stored timestamp.
 */
function foldOrders(rows, shipmentRows, toDate) {
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
        marketplace: row.marketplace,
        locale: row.locale,
        currency: row.currency,
        total: Number(row.total),
        products: [],
      };
      orders.push(current);
    }
    if (row.product_id !== null) {
      current.products.push({
        id: row.line_id,
        productId: row.product_id,
        quantity: row.quantity,
        unitPrice: row.unit_price,
        lineTotal: row.quantity * row.unit_price,
      });
    }
  }
  const shipments = foldShipments(shipmentRows, toDate);
  return orders.map((order) => withShipments(order, shipments.get(order.id) ?? []));
}

/**
 * The shipments' rows (one per shipment line) by order. The benchmark's tracking numbers are none
 * a carrier can have, so the service builds them no link, and neither does this.
 */
function foldShipments(rows, toDate) {
  const byOrder = new Map();
  const instant = (value) => (value === null ? null : toDate(value).toISOString());
  let current;
  for (const row of rows) {
    if (!current || current.id !== row.id) {
      current = {
        id: row.id, orderId: row.order_id, status: row.status, carrier: row.carrier, carrierName: row.shipping_provider,
        trackingNumber: row.tracking_number, trackingUrl: null, lines: [], createdAt: instant(row.created_at),
        updatedAt: instant(row.updated_at), shippedAt: instant(row.shipped_at), deliveredAt: instant(row.delivered_at),
        cancelledAt: instant(row.cancelled_at),
      };
      byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), current]);
    }
    if (row.order_line_id !== null) current.lines.push({ orderLineId: row.order_line_id, productId: row.product_id, quantity: row.quantity });
  }
  return byOrder;
}

/** The single-shipment view and the fulfilment summary, as the service derives them. */
function withShipments(order, shipments) {
  const active = shipments.filter((shipment) => shipment.status !== 'cancelled');
  const units = (filter) => active.filter(filter).reduce((sum, shipment) => sum + shipment.lines.reduce((n, line) => n + line.quantity, 0), 0);
  const ordered = order.products.reduce((sum, line) => sum + line.quantity, 0);
  const [allocated, shipped, delivered] = [() => true, (s) => s.status !== 'pending', (s) => s.status === 'delivered'].map(units);
  const fulfilment =
    delivered === ordered ? 'delivered'
      : shipped === ordered ? 'shipped'
        : shipped > 0 ? 'partially_shipped'
          : allocated === ordered ? 'fulfilled'
            : allocated > 0 ? 'partially_fulfilled' : 'unfulfilled';
  const [one] = active;
  const shipment = active.length === 1 && one.carrierName !== null && one.trackingNumber !== null
    ? { shippingProvider: one.carrierName, trackingNumber: one.trackingNumber }
    : null;
  return { ...order, shipment, shipments, fulfilment };
}

const ORDER_COLUMNS = `o.id, o.user_id, o.status, o.marketplace, o.locale, o.currency, o.total, o.version, o.created_at, o.updated_at,
  l.id AS line_id, l.product_id, l.quantity, l.unit_price`;

/** One order with its lines, in one query. */
const FIND_ORDER = `SELECT ${ORDER_COLUMNS}
  FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
  WHERE o.id = $1 ORDER BY l.id`;

/** A user's newest orders with their lines, in one query. */
const LIST_ORDERS = `SELECT ${ORDER_COLUMNS}
  FROM (SELECT * FROM orders WHERE user_id = $1 ORDER BY id DESC LIMIT $2) o
  LEFT JOIN order_lines l ON l.order_id = o.id
  ORDER BY o.id DESC, l.id`;

/** The shipments of some orders with their lines; `ids` is the IN list's placeholders. */
const shipmentsOf = (ids) => `SELECT s.id, s.order_id, s.status, s.carrier, s.shipping_provider, s.tracking_number, s.created_at,
  s.updated_at, s.shipped_at, s.delivered_at, s.cancelled_at, sl.order_line_id, l.product_id, sl.quantity
  FROM shipments s LEFT JOIN shipment_lines sl ON sl.shipment_id = s.id LEFT JOIN order_lines l ON l.id = sl.order_line_id
  WHERE s.order_id IN (${ids}) ORDER BY s.order_id, s.id, sl.order_line_id`;

/** What the `created` event records: the service's order-events.ts writes the same. */
function createdEventState(order) {
  return JSON.stringify({ status: order.status, marketplace: order.marketplace, locale: order.locale, currency: order.currency, total: order.total, products: order.products });
}

module.exports = { foldOrders, withShipments, FIND_ORDER, LIST_ORDERS, shipmentsOf, createdEventState };
