import { Column, Entity, OneToMany, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { OrderStatus } from '../../orders/order-status';
import { bigintAsNumber } from './bigint-transformer';
import { OrderLineEntity } from './order-line.entity';
import { ShipmentEntity } from './shipment.entity';

@Entity('orders')
export class OrderEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', name: 'user_id' })
  userId: number;

  @Column({ type: 'varchar', length: 16 })
  status: OrderStatus;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  total: number;

  /** Incremented by every change; clients send it back in If-Match to avoid lost updates. */
  @Column({ type: 'integer' })
  version: number;

  @Column({ type: Date, name: 'created_at' })
  createdAt: Date;

  @Column({ type: Date, name: 'updated_at' })
  updatedAt: Date;

  @OneToMany(() => OrderLineEntity, (line) => line.order)
  lines: OrderLineEntity[];

  @OneToOne(() => ShipmentEntity, (shipment) => shipment.order)
  shipment: ShipmentEntity | null;
}
