import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('products')
export class ProductEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Current catalogue price in minor units; orders copy it at purchase. */
  @Column({ type: 'integer' })
  price: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  /** Units available to order; reserved when an order is made, returned when it is cancelled. */
  @Column({ type: 'integer' })
  stock: number;
}
