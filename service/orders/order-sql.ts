import type { Order } from '../api-types';
import { placeholders } from '../db/sql';
import type { SqlDialect } from '../db/sql-dialect';
import type { OrderStatus } from './order-status';

/**
 * The SQL of the orders: an order with its lines and shipment in one query, one row per line.
 */
const ORDER_COLUMNS =
  'o.id, o.user_id, o.status, o.currency, o.total, o.version, o.created_at, o.updated_at, ' +
  'l.product_id, l.quantity, l.unit_price, s.shipping_provider, s.tracking_number';
const WITH_LINES_AND_SHIPMENT = 'LEFT JOIN "order_lines" l ON l.order_id = o.id LEFT JOIN "shipments" s ON s.order_id = o.id';

export const FIND_ORDER = `SELECT ${ORDER_COLUMNS} FROM "orders" o ${WITH_LINES_AND_SHIPMENT} WHERE o.id = ? ORDER BY l.id`;

/** FIND_ORDER that also locks the order's row until the transaction ends. */
export function findOrderForUpdateSql(dialect: SqlDialect): string {
  return FIND_ORDER + dialect.lockRowsOf('o');
}

export interface OrderFilter {
  /** Whose orders; every user's when undefined (staff). */
  readonly userId: number | undefined;
  readonly statuses?: readonly OrderStatus[];
  /** Created at or after. */
  readonly createdAfter?: Date;
  /** Created strictly before. */
  readonly createdBefore?: Date;
}

/**
 * A page of orders, newest first, with their lines: the page is chosen in a subquery, so the
 * limit counts orders, not lines. One text per combination of filters (a bounded set).
 */
export function listOrdersQuery(filter: OrderFilter, beforeId: number | undefined, limit: number, dialect: SqlDialect) {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  if (filter.userId !== undefined) {
    conditions.push('user_id = ?');
    parameters.push(filter.userId);
  }
  if (filter.statuses?.length) {
    conditions.push(`status IN (${placeholders(filter.statuses.length)})`);
    parameters.push(...filter.statuses);
  }
  if (filter.createdAfter) {
    conditions.push('created_at >= ?');
    parameters.push(dialect.timestamp(filter.createdAfter));
  }
  if (filter.createdBefore) {
    conditions.push('created_at < ?');
    parameters.push(dialect.timestamp(filter.createdBefore));
  }
  if (beforeId !== undefined) {
    conditions.push('id < ?');
    parameters.push(beforeId);
  }
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  parameters.push(limit);
  return {
    sql: `SELECT ${ORDER_COLUMNS} FROM (SELECT * FROM "orders" ${where} ORDER BY id DESC LIMIT ?) o ${WITH_LINES_AND_SHIPMENT} ORDER BY o.id DESC, l.id`,
    parameters,
  };
}

export const INSERT_ORDER =
  `INSERT INTO "orders" (user_id, status, currency, total, version, created_at, updated_at) VALUES (?, 'pending', ?, ?, 1, ?, ?) RETURNING id`;

export const BUMP_VERSION = 'UPDATE "orders" SET version = version + 1, updated_at = ? WHERE id = ?';
export const UPDATE_STATUS = 'UPDATE "orders" SET status = ? WHERE id = ?';
export const UPDATE_SHIPMENT = 'UPDATE "shipments" SET shipping_provider = ?, tracking_number = ?, updated_at = ? WHERE order_id = ?';
export const INSERT_SHIPMENT =
  'INSERT INTO "shipments" (order_id, shipping_provider, tracking_number, created_at, updated_at) VALUES (?, ?, ?, ?, ?)';
export const DELETE_SHIPMENT = 'DELETE FROM "shipments" WHERE order_id = ?';

export function insertLinesSql(count: number): string {
  return `INSERT INTO "order_lines" (order_id, product_id, quantity, unit_price) VALUES ${Array.from({ length: count }, () => '(?, ?, ?, ?)').join(', ')}`;
}

export interface OrderRow {
  id: number;
  user_id: number;
  status: OrderStatus;
  currency: string;
  total: number | string;
  version: number;
  created_at: unknown;
  updated_at: unknown;
  product_id: number | null;
  quantity: number | null;
  unit_price: number | null;
  shipping_provider: string | null;
  tracking_number: string | null;
}

/** Rows in order id, then line id, order, folded into the contract's Orders. */
export function foldOrders(rows: readonly OrderRow[], dialect: SqlDialect): Order[] {
  const orders: Order[] = [];
  let current: Order | undefined;
  for (const row of rows) {
    if (current?.id !== row.id) {
      current = {
        id: row.id,
        userId: row.user_id,
        orderDate: dialect.readTimestamp(row.created_at).toISOString(),
        updatedAt: dialect.readTimestamp(row.updated_at).toISOString(),
        status: row.status,
        version: row.version,
        currency: row.currency,
        // BIGINT: pg returns it as a string; our amounts stay far below 2^53.
        total: Number(row.total),
        products: [],
        shipment:
          row.shipping_provider === null ? null : { shippingProvider: row.shipping_provider, trackingNumber: row.tracking_number! },
      };
      orders.push(current);
    }
    if (row.product_id !== null) {
      current.products.push({
        productId: row.product_id,
        quantity: row.quantity!,
        unitPrice: row.unit_price!,
        lineTotal: row.quantity! * row.unit_price!,
      });
    }
  }
  return orders;
}
