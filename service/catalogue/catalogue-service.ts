import type { Product } from '../api-types';
import type { Caller } from '../auth/caller';
import type { Database } from '../db/database';
import { decodeCursor, pageOf } from '../http/cursor';
import { ProductNotFoundError } from './catalogue-errors';
import { findProduct, listProducts } from './product-repository';

/** Reading the catalogue: any authenticated user may. */
export class CatalogueService {
  constructor(private readonly db: Database) {}

  async get(caller: Caller, id: number): Promise<Product> {
    const product = await this.db.read((manager) => findProduct(manager, id), { forUser: caller.id });
    if (!product) throw new ProductNotFoundError(id);
    return product;
  }

  async list(caller: Caller, page: { limit: number; cursor?: string }): Promise<{ data: Product[]; nextCursor: string | null }> {
    const afterId = page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const rows = await this.db.read((manager) => listProducts(manager, { limit: page.limit + 1, afterId }), { forUser: caller.id });
    return pageOf(rows, page.limit);
  }
}
