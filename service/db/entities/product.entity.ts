import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A product of the global catalogue; each marketplace lists it at its own price (product_listings). */
@Entity('products')
export class ProductEntity {
  @PrimaryGeneratedColumn()
  id: number;

  /** The catalogue's base name, shown where a locale has no translation. */
  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Units available to order in this region; reserved when an order is made, returned when it is cancelled. */
  @Column({ type: 'integer' })
  stock: number;
}
