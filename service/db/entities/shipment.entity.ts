import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
}
