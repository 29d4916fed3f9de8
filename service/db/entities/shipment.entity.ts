import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('shipments')
export class ShipmentEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', name: 'order_id' })
  orderId: number;

  /** pending, shipped, delivered or cancelled. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  /** The carrier's code (USPS, UPS, FedEx, DHL, other); null until one is set. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  carrier: string | null;

  /** The carrier's name as the shipment shows it (the single-shipment view's provider). */
  @Column({ type: 'varchar', length: 64, name: 'shipping_provider', nullable: true })
  shippingProvider: string | null;

  @Column({ type: 'varchar', length: 64, name: 'tracking_number', nullable: true })
  trackingNumber: string | null;

  @Column({ type: Date, name: 'created_at' })
  createdAt: Date;

  @Column({ type: Date, name: 'updated_at' })
  updatedAt: Date;

  @Column({ type: Date, name: 'shipped_at', nullable: true })
  shippedAt: Date | null;

  @Column({ type: Date, name: 'delivered_at', nullable: true })
  deliveredAt: Date | null;

  @Column({ type: Date, name: 'cancelled_at', nullable: true })
  cancelledAt: Date | null;
}
