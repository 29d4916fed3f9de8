import type { Order } from '../api-types';
import { placeholders } from '../db/sql';
import type { SqlDialect } from '../db/sql-dialect';
import type { OrderStatus } from './order-status';

/**
 * The SQL of the orders: an order with its lines in one query, one row per line. Its shipments
 * come from a second query (shipments/shipment-repository.ts), which keeps this one row per line.
 */
const ORDER_COLUMNS =
  'o.id, o.user_id, o.status, o.marketplace, o.locale, o.currency, o.total, o.version, o.created_at, o.updated_at, ' +
  'l.id AS line_id, l.product_id, l.quantity, l.unit_price';
const WITH_LINES = 'LEFT JOIN "order_lines" l ON l.order_id = o.id';

export const FIND_ORDER = `SELECT ${ORDER_COLUMNS} FROM "orders" o ${WITH_LINES} WHERE o.id = ? ORDER BY l.id`;

/**
 * Locks the order's row until the transaction ends. Only the lock: on PostgreSQL a statement that
 * waited for it still sees the other tables as they were when it began, so the order, its lines and
 * its shipments are read by the statements after it, which see what the lock holder committed.
 */
export function lockOrderSql(dialect: SqlDialect): string {
  return `SELECT o.id FROM "orders" o WHERE o.id = ?${dialect.lockRowsOf('o')}`;
}

export interface OrderFilter {
  /** Whose orders; every user's when undefined (staff). */
  readonly userId: number | undefined;
  /** Only these marketplaces'; every marketplace's when undefined. */
  readonly marketplaces?: readonly string[];
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
  if (filter.marketplaces !== undefined) {
    conditions.push(`marketplace IN (${placeholders(filter.marketplaces.length)})`);
    parameters.push(...filter.marketplaces);
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
    sql: `SELECT ${ORDER_COLUMNS} FROM (SELECT * FROM "orders" ${where} ORDER BY id DESC LIMIT ?) o ${WITH_LINES} ORDER BY o.id DESC, l.id`,
    parameters,
  };
}

export const INSERT_ORDER =
  `INSERT INTO "orders" (user_id, status, marketplace, locale, currency, total, version, created_at, updated_at) VALUES (?, 'pending', ?, ?, ?, ?, 1, ?, ?) RETURNING id`;

export const BUMP_VERSION = 'UPDATE "orders" SET version = version + 1, updated_at = ? WHERE id = ?';
export const UPDATE_STATUS = 'UPDATE "orders" SET status = ? WHERE id = ?';

/** Returns each line's id with its product, which is unique within an order. */
export function insertLinesSql(count: number): string {
  return `INSERT INTO "order_lines" (order_id, product_id, quantity, unit_price) VALUES ${Array.from({ length: count }, () => '(?, ?, ?, ?)').join(', ')} RETURNING id, product_id`;
}

export interface OrderRow {
  id: number;
  user_id: number;
  status: OrderStatus;
  marketplace: string;
  locale: string;
  currency: string;
  total: number | string;
  version: number;
  created_at: unknown;
  updated_at: unknown;
  line_id: number | null;
  product_id: number | null;
  quantity: number | null;
  unit_price: number | null;
}

/** An order without what its shipments make of it (see order-shipments.ts). */
export type OrderWithoutShipments = Omit<Order, 'shipment' | 'shipments' | 'fulfilment'>;

/** Rows in order id, then line id, order, folded into the contract's Orders. */
export function foldOrders(rows: readonly OrderRow[], dialect: SqlDialect): OrderWithoutShipments[] {
  const orders: OrderWithoutShipments[] = [];
  let current: OrderWithoutShipments | undefined;
  for (const row of rows) {
    if (current?.id !== row.id) {
      current = {
        id: row.id,
        userId: row.user_id,
        orderDate: dialect.readInstant(row.created_at),
        updatedAt: dialect.readInstant(row.updated_at),
        status: row.status,
        version: row.version,
        marketplace: row.marketplace,
        locale: row.locale,
        currency: row.currency,
        // BIGINT: pg returns it as a string; our amounts stay far below 2^53.
        total: Number(row.total),
        products: [],
      };
      orders.push(current);
    }
    if (row.product_id !== null) {
      current.products.push({
        id: row.line_id!,
        productId: row.product_id,
        quantity: row.quantity!,
        unitPrice: row.unit_price!,
        lineTotal: row.quantity! * row.unit_price!,
      });
    }
  }
  return orders;
}
