import type { EntityManager } from 'typeorm';
import type { Order } from '../api-types';
import { dialectOf, selectRows } from '../db/sql';
import { newOrder } from './order-shipments';

/**
 * A whole new order in one statement, where the database can write several tables in one
 * (PostgreSQL): lock the products in id order (two orders never wait on each other crosswise),
 * take their stock where the marketplace lists them and enough is left, and only when every line
 * was served insert the order, its lines and its `created` event. Each product row is then locked
 * for this statement and the COMMIT: one round trip, where the step-by-step path held it for one
 * per line plus three (issue 22: a hot product admits one order per lock hold).
 *
 * When a line is not served nothing is inserted, and the caller learns which lines took stock, to
 * tell why (order-refusal.ts) before its transaction rolls the stock back.
 */
const CREATE_ORDER = `
WITH wanted AS (
  SELECT w.product_id, w.quantity, w.position FROM unnest(?::int[], ?::int[]) WITH ORDINALITY AS w(product_id, quantity, position)
), market AS (
  SELECT code, currency FROM "marketplaces" WHERE code = ? AND (?::varchar IS NULL OR currency = ?::varchar)
), locked AS (
  SELECT p.id FROM "products" p JOIN wanted w ON w.product_id = p.id ORDER BY p.id FOR UPDATE OF p
), taken AS (
  UPDATE "products" p SET stock = p.stock - w.quantity
  FROM wanted w, locked k, "product_listings" l
  WHERE p.id = w.product_id AND k.id = p.id AND l.product_id = p.id AND l.marketplace = (SELECT code FROM market)
    AND l.published AND p.stock >= w.quantity
  RETURNING p.id AS product_id, w.quantity, l.price, w.position
), new_order AS (
  -- Totals in bigint, as the column: 10,000 units at a large price overflow an integer.
  INSERT INTO "orders" (user_id, status, marketplace, locale, currency, total, version, created_at, updated_at)
  SELECT ?, 'pending', m.code, ?, m.currency, (SELECT SUM(t.quantity::bigint * t.price) FROM taken t), 1, ?, ?
  FROM market m WHERE (SELECT COUNT(*) FROM taken) = (SELECT COUNT(*) FROM wanted)
  RETURNING id, marketplace, locale, currency, total
), lines AS (
  INSERT INTO "order_lines" (order_id, product_id, quantity, unit_price)
  SELECT o.id, t.product_id, t.quantity, t.price FROM new_order o CROSS JOIN taken t ORDER BY t.position
  RETURNING id, product_id, quantity, unit_price
), line_list AS (
  SELECT json_agg(json_build_object('id', l.id, 'productId', l.product_id, 'quantity', l.quantity, 'unitPrice', l.unit_price,
    'lineTotal', l.quantity::bigint * l.unit_price) ORDER BY l.id) AS products FROM lines l
), event AS (
  INSERT INTO "order_events" (order_id, user_id, order_version, type, actor_user_id, occurred_at, from_state, to_state, published_at)
  SELECT o.id, ?, 1, 'created', ?, ?, NULL, json_build_object('status', 'pending', 'marketplace', o.marketplace, 'locale', o.locale,
    'currency', o.currency, 'total', o.total, 'products', (SELECT products FROM line_list))::text, NULL
  FROM new_order o
)
SELECT o.id, o.currency, o.total, (SELECT products FROM line_list) AS products,
  (SELECT json_agg(json_build_object('productId', t.product_id, 'quantity', t.quantity)) FROM taken t) AS taken
FROM (SELECT 1) one LEFT JOIN new_order o ON TRUE`;

export interface OrderToCreate {
  readonly userId: number;
  readonly marketplace: string;
  readonly locale: string;
  /** The currency the client showed, which must be the marketplace's; undefined: whatever it is. */
  readonly currency: string | undefined;
  readonly lines: ReadonlyArray<{ readonly productId: number; readonly quantity: number }>;
  readonly at: Date;
}

/** The order made, or null with the lines that took stock before another line could not be served. */
export type CreationOutcome = { readonly order: Order } | { readonly order: null; readonly taken: ReadonlyArray<{ productId: number; quantity: number }> };

interface CreatedRow {
  id: number | null;
  currency: string | null;
  total: number | string | null;
  products: Order['products'] | null;
  taken: Array<{ productId: number; quantity: number }> | null;
}

export async function createOrderInOneStatement(manager: EntityManager, order: OrderToCreate): Promise<CreationOutcome> {
  const at = dialectOf(manager).timestamp(order.at);
  const [row] = await selectRows<CreatedRow>(manager, CREATE_ORDER, [
    order.lines.map((line) => line.productId),
    order.lines.map((line) => line.quantity),
    order.marketplace,
    order.currency ?? null,
    order.currency ?? null,
    order.userId,
    order.locale,
    at,
    at,
    order.userId,
    order.userId,
    at,
  ]);
  if (row.id === null) return { order: null, taken: row.taken ?? [] };
  return {
    order: newOrder(
      {
        id: row.id,
        userId: order.userId,
        marketplace: order.marketplace,
        locale: order.locale,
        currency: row.currency!,
        // BIGINT: pg returns it as a string; our amounts stay far below 2^53.
        total: Number(row.total),
        products: row.products!,
      },
      order.at,
    ),
  };
}
