import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A consumer has applied an event (see worker/inbox-repository.ts). */
@Entity('inbox')
export class InboxEntryEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  consumer: string;

  @PrimaryColumn({ type: 'integer', name: 'event_id' })
  eventId: number;

  @Column({ type: Date, name: 'processed_at' })
  processedAt: Date;
}
