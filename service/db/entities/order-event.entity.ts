import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('order_events')
export class OrderEventEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', name: 'order_id' })
  orderId: number;

  /** The order's owner, so a consumer of the outbox needs nothing else. */
  @Column({ type: 'integer', name: 'user_id' })
  userId: number;

  /** The order's version after this change. */
  @Column({ type: 'integer', name: 'order_version' })
  orderVersion: number;

  @Column({ type: 'varchar', length: 32 })
  type: string;

  @Column({ type: 'integer', name: 'actor_user_id' })
  actorUserId: number;

  @Column({ type: Date, name: 'occurred_at' })
  occurredAt: Date;

  /** JSON: the part of the order the change replaced, or null when it added something new. */
  @Column({ type: 'text', name: 'from_state', nullable: true })
  fromState: string | null;

  /** JSON: that part of the order after the change. */
  @Column({ type: 'text', name: 'to_state' })
  toState: string;

  @Column({ type: Date, name: 'published_at', nullable: true })
  publishedAt: Date | null;

  /** Until when a relay that claimed the event may be sending it; others leave it alone till then. */
  @Column({ type: Date, name: 'relay_lease_until', nullable: true })
  relayLeaseUntil: Date | null;

  /** How many times a relay has claimed it. */
  @Column({ type: 'integer', name: 'publish_attempts', default: 0 })
  publishAttempts: number;
}
