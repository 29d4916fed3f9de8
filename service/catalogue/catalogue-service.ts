import type { Marketplace, Product } from '../api-types';
import type { Caller } from '../auth/caller';
import type { Database } from '../db/database';
import { decodeCursor, pageOf } from '../http/cursor';
import { ProductNotFoundError } from './catalogue-errors';
import type { ListingView } from './product-listing-sql';
import { findProduct, listProducts } from './product-repository';

/** Where the catalogue is read: a marketplace, in a locale negotiated among its own. */
export interface CatalogueView {
  readonly marketplace: Marketplace;
  readonly locale: string;
}

/** Reading the catalogue: any authenticated user may, in any marketplace. */
export class CatalogueService {
  constructor(private readonly db: Database) {}

  async get(caller: Caller, id: number, view: CatalogueView): Promise<Product> {
    const product = await this.db.read((manager) => findProduct(manager, id, listingView(view)), { forUser: caller.id });
    if (!product) throw new ProductNotFoundError(id, view.marketplace.code);
    return product;
  }

  async list(caller: Caller, view: CatalogueView, page: { limit: number; cursor?: string }): Promise<{ data: Product[]; nextCursor: string | null }> {
    const afterId = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const rows = await this.db.read((manager) => listProducts(manager, listingView(view), { limit: page.limit + 1, afterId }), { forUser: caller.id });
    return pageOf(rows, page.limit);
  }
}

function listingView({ marketplace, locale }: CatalogueView): ListingView {
  return { marketplace: marketplace.code, currency: marketplace.currency, locale, defaultLocale: marketplace.defaultLocale };
}
