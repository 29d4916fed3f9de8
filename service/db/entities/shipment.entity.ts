import { Column, Entity, JoinColumn, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OrderEntity } from './order.entity';

@Entity('shipments')
export class ShipmentEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', name: 'order_id' })
  orderId: number;

  @Column({ type: 'varchar', length: 64, name: 'shipping_provider' })
  shippingProvider: string;

  @Column({ type: 'varchar', length: 64, name: 'tracking_number' })
  trackingNumber: string;

  @Column({ type: Date, name: 'created_at' })
  createdAt: Date;

  @Column({ type: Date, name: 'updated_at' })
  updatedAt: Date;

  @OneToOne(() => OrderEntity, (order) => order.shipment)
  @JoinColumn({ name: 'order_id' })
  order: OrderEntity;
}
