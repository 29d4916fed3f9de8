import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrderEntity } from './order.entity';

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

  @ManyToOne(() => OrderEntity, (order) => order.lines)
  @JoinColumn({ name: 'order_id' })
  order: OrderEntity;
}
