import type { Product } from '../api-types';

/**
 * How a marketplace shows a product: its listing there (price, on sale or not), its name in the
 * negotiated locale, else in the marketplace's default locale, else the catalogue's base text.
 */
export const BASE_LOCALE = 'en';

export const LISTED_PRODUCT_SELECT =
  'SELECT p.id, p.stock, l.price, p.name AS base_name, ' +
  'COALESCE(t.name, d.name) AS name, COALESCE(t.description, d.description) AS description, ' +
  'CASE WHEN t.name IS NOT NULL THEN t.locale WHEN d.name IS NOT NULL THEN d.locale END AS text_locale ' +
  'FROM "products" p ' +
  'JOIN "product_listings" l ON l.product_id = p.id AND l.marketplace = ? AND l.published = TRUE ' +
  'LEFT JOIN "product_translations" t ON t.product_id = p.id AND t.locale = ? ' +
  'LEFT JOIN "product_translations" d ON d.product_id = p.id AND d.locale = ?';

export interface ListedProductRow {
  id: number;
  stock: number;
  price: number;
  base_name: string;
  name: string | null;
  description: string | null;
  text_locale: string | null;
}

/** Where a listing is read: the marketplace, its currency, the negotiated and the default locale. */
export interface ListingView {
  readonly marketplace: string;
  readonly currency: string;
  readonly locale: string;
  readonly defaultLocale: string;
}

export function listingParameters(view: ListingView): unknown[] {
  return [view.marketplace, view.locale, view.defaultLocale];
}

export function toProduct(row: ListedProductRow, view: ListingView): Product {
  return {
    id: row.id,
    marketplace: view.marketplace,
    locale: row.text_locale ?? BASE_LOCALE,
    name: row.name ?? row.base_name,
    description: row.description,
    price: Number(row.price),
    currency: view.currency,
    stock: row.stock,
  };
}
