import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('order_lines')
export class OrderLineEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', name: 'order_id' })
  orderId: number;

  @Column({ type: 'integer', name: 'product_id' })
  productId: number;

  @Column({ type: 'integer' })
  quantity: number;

  /** The product's price when the order was made, in minor units. */
  @Column({ type: 'integer', name: 'unit_price' })
  unitPrice: number;
}
