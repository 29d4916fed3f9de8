import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './bigint-transformer';

@Entity('orders')
export class OrderEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', name: 'user_id' })
  userId: number;

  /** One of orders/order-status.ts's ORDER_STATUSES. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  /** The marketplace it was made in: its prices, currency and region. */
  @Column({ type: 'varchar', length: 8 })
  marketplace: string;

  /** The locale negotiated when it was made (BCP 47), one of the marketplace's. */
  @Column({ type: 'varchar', length: 35 })
  locale: string;

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
}
