import { In, type EntityManager } from 'typeorm';
import { ProductEntity } from '../db/entities';

export interface PricedProduct {
  readonly id: number;
  readonly price: number;
  readonly currency: string;
}

/** The products among `ids` that exist, keyed by id, with their current price. */
export async function findPricedProducts(manager: EntityManager, ids: number[]): Promise<Map<number, PricedProduct>> {
  const rows = await manager.find(ProductEntity, {
    select: { id: true, price: true, currency: true },
    where: { id: In(ids) },
  });
  return new Map(rows.map((row) => [row.id, row]));
}
