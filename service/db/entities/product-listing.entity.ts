import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A product as one marketplace sells it: its price there, and whether it is on sale there. */
@Entity('product_listings')
export class ProductListingEntity {
  @PrimaryColumn({ type: 'integer', name: 'product_id' })
  productId: number;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  marketplace: string;

  /** Minor units of the marketplace's currency (its ISO 4217 exponent: JPY 0, EUR 2, BHD 3). */
  @Column({ type: 'integer' })
  price: number;

  @Column({ type: 'boolean', default: true })
  published: boolean;
}
