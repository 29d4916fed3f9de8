import type { EntityManager } from 'typeorm';
import type { CreateOrderRequest, Marketplace } from '../api-types';
import { OutOfStockError } from '../catalogue/catalogue-errors';
import { findPricedProducts, type PricedProduct } from '../catalogue/product-repository';
import { placeholders, selectRows } from '../db/sql';
import { UnknownMarketplaceError } from '../marketplaces/marketplace-errors';
import { findMarketplace } from '../marketplaces/marketplace-repository';
import { CurrencyMismatchError, ProductsNotListedError, UnknownProductsError } from './order-errors';

/**
 * Why an order cannot be made, before any stock is taken, in the order a client fixes them: the
 * currency it showed, then products that do not exist, then products not on sale there.
 */
export function checkOrderable(marketplace: Marketplace, request: CreateOrderRequest, products: ReadonlyMap<number, PricedProduct>): void {
  if (request.currency !== undefined && request.currency !== marketplace.currency) {
    throw new CurrencyMismatchError(marketplace.code, marketplace.currency, request.currency);
  }
  const unknown = request.products.flatMap(({ id }, index) => (products.has(id) ? [] : [{ index, id }]));
  if (unknown.length) throw new UnknownProductsError(unknown);
  const unlisted = request.products.flatMap(({ id }, index) => (products.get(id)!.price === null ? [{ index, id }] : []));
  if (unlisted.length) throw new ProductsNotListedError(marketplace.code, unlisted);
}

/**
 * After the one-statement creation made no order: reads (in the same transaction, the products
 * still locked) why not, and throws it. Stock is counted as it was before the statement, adding
 * back what `taken` lines took, which the caller's rollback returns.
 */
export async function explainRefusal(
  manager: EntityManager,
  code: string,
  request: CreateOrderRequest,
  taken: ReadonlyArray<{ productId: number; quantity: number }>,
): Promise<never> {
  const marketplace = await findMarketplace(manager, code);
  if (!marketplace) throw new UnknownMarketplaceError(code, 'body');
  const ids = request.products.map((line) => line.id);
  checkOrderable(marketplace, request, await findPricedProducts(manager, marketplace.code, ids));
  const rows = await selectRows<{ id: number; stock: number }>(manager, `SELECT id, stock FROM "products" WHERE id IN (${placeholders(ids.length)})`, ids);
  const tookBack = new Map(taken.map((line) => [line.productId, line.quantity]));
  const available = new Map(rows.map((row) => [row.id, row.stock + (tookBack.get(row.id) ?? 0)]));
  const shortages = request.products
    .filter(({ id, quantity }) => (available.get(id) ?? 0) < quantity)
    .map(({ id, quantity }) => ({ productId: id, requested: quantity, available: available.get(id) ?? 0 }));
  if (shortages.length === 0) throw new Error(`order creation made no order, yet every line of ${JSON.stringify(request.products)} is orderable`);
  throw new OutOfStockError(shortages);
}
