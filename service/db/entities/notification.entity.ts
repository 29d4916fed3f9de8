import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A mail sent (or deliberately not sent) for an order event; one per event and kind. */
@Entity('notifications')
export class NotificationEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', name: 'event_id' })
  eventId: number;

  /** order_received, order_shipped, order_delivered or order_cancelled. */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  /** The order's owner, to whom it was addressed. */
  @Column({ type: 'integer', name: 'user_id' })
  userId: number;

  @Column({ type: 'varchar', length: 254, nullable: true })
  recipient: string | null;

  /** `sent`, or `skipped` with a reason. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  reason: string | null;

  /** The transport's id of the message. */
  @Column({ type: 'varchar', length: 255, name: 'message_id', nullable: true })
  messageId: string | null;

  @Column({ type: Date, name: 'created_at' })
  createdAt: Date;
}
