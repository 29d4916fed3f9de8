import type { EntityManager } from 'typeorm';
import type { Product } from '../api-types';
import { changeRows, placeholders, selectRows } from '../db/sql';
import type { Shortage } from './catalogue-errors';
import { LISTED_PRODUCT_SELECT, type ListedProductRow, type ListingView, listingParameters, toProduct } from './product-listing-sql';

/** A product as an order sees it in one marketplace: listed at a price, or not on sale there. */
export interface PricedProduct {
  readonly id: number;
  /** Null when the marketplace does not list it, or lists it unpublished. */
  readonly price: number | null;
}

export interface StockChange {
  readonly productId: number;
  readonly quantity: number;
}

/**
 * The products among `ids` that exist, keyed by id, each with its current price in the
 * marketplace, or a null price where the marketplace does not sell it: never another marketplace's.
 */
export async function findPricedProducts(manager: EntityManager, marketplace: string, ids: number[]): Promise<Map<number, PricedProduct>> {
  const rows = await selectRows<{ id: number; price: number | string | null }>(
    manager,
    `SELECT p.id, l.price FROM "products" p LEFT JOIN "product_listings" l ON l.product_id = p.id AND l.marketplace = ? AND l.published = TRUE WHERE p.id IN (${placeholders(ids.length)})`,
    [marketplace, ...ids],
  );
  return new Map(rows.map((row) => [row.id, { id: row.id, price: row.price === null ? null : Number(row.price) }]));
}

/** The product as the view's marketplace sells it; null when it does not exist or is not on sale there. */
export async function findProduct(manager: EntityManager, id: number, view: ListingView): Promise<Product | null> {
  const [row] = await selectRows<ListedProductRow>(manager, `${LISTED_PRODUCT_SELECT} WHERE p.id = ?`, [...listingParameters(view), id]);
  return row ? toProduct(row, view) : null;
}

/** A page of the marketplace's catalogue in id order, after `afterId` when given. */
export async function listProducts(manager: EntityManager, view: ListingView, page: { limit: number; afterId?: number }): Promise<Product[]> {
  const rows = await selectRows<ListedProductRow>(manager, `${LISTED_PRODUCT_SELECT} WHERE p.id > ? ORDER BY p.id LIMIT ?`, [
    ...listingParameters(view),
    page.afterId ?? 0,
    page.limit,
  ]);
  return rows.map((row) => toProduct(row, view));
}

const TAKE_STOCK = 'UPDATE "products" SET stock = stock - ? WHERE id = ? AND stock >= ?';
const RETURN_STOCK = 'UPDATE "products" SET stock = stock + ? WHERE id = ?';

/**
 * Takes the units from stock with one conditional decrement per product, so that concurrent
 * orders can never take more than there is (the row's update is atomic, and a second writer
 * waits for the first). Returns the lines that could not be served; the caller rolls back.
 * Products are visited in id order so that two orders never lock the same rows in opposite orders.
 */
export async function reserveStock(manager: EntityManager, changes: readonly StockChange[]): Promise<Shortage[]> {
  const short: StockChange[] = [];
  for (const change of inIdOrder(changes)) {
    const taken = await changeRows(manager, TAKE_STOCK, [change.quantity, change.productId, change.quantity]);
    if (!taken) short.push(change);
  }
  if (short.length === 0) return [];
  const ids = short.map((change) => change.productId);
  const available = await selectRows<{ id: number; stock: number }>(manager, `SELECT id, stock FROM "products" WHERE id IN (${placeholders(ids.length)})`, ids);
  const stockOf = new Map(available.map((row) => [row.id, row.stock]));
  return short.map((change) => ({ productId: change.productId, requested: change.quantity, available: stockOf.get(change.productId) ?? 0 }));
}

/** Puts units back (a cancelled order's lines), in the same order as reserveStock takes them. */
export async function releaseStock(manager: EntityManager, changes: readonly StockChange[]): Promise<void> {
  for (const change of inIdOrder(changes)) await changeRows(manager, RETURN_STOCK, [change.quantity, change.productId]);
}

function inIdOrder(changes: readonly StockChange[]): StockChange[] {
  return [...changes].sort((a, b) => a.productId - b.productId);
}
