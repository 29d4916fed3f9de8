import type { EntityManager } from 'typeorm';
import type { Product } from '../api-types';
import { changeRows, placeholders, selectRows } from '../db/sql';
import type { Shortage } from './catalogue-errors';

export interface PricedProduct {
  readonly id: number;
  readonly price: number;
  readonly currency: string;
}

export interface StockChange {
  readonly productId: number;
  readonly quantity: number;
}

const PRODUCT_COLUMNS = 'id, name, price, currency, stock';

/** The products among `ids` that exist, keyed by id, with their current price. */
export async function findPricedProducts(manager: EntityManager, ids: number[]): Promise<Map<number, PricedProduct>> {
  const rows = await selectRows<PricedProduct>(manager, `SELECT id, price, currency FROM "products" WHERE id IN (${placeholders(ids.length)})`, ids);
  return new Map(rows.map((row) => [row.id, row]));
}

export async function findProduct(manager: EntityManager, id: number): Promise<Product | null> {
  const [row] = await selectRows<Product>(manager, `SELECT ${PRODUCT_COLUMNS} FROM "products" WHERE id = ?`, [id]);
  return row ?? null;
}

/** A page of the catalogue in id order, after `afterId` when given. */
export async function listProducts(manager: EntityManager, page: { limit: number; afterId?: number }): Promise<Product[]> {
  return selectRows<Product>(manager, `SELECT ${PRODUCT_COLUMNS} FROM "products" WHERE id > ? ORDER BY id LIMIT ?`, [page.afterId ?? 0, page.limit]);
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
