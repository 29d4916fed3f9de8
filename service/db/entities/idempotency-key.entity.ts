import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The stored outcome of a POST /orders sent with an Idempotency-Key, replayed on retries. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'integer', name: 'user_id' })
  userId: number;

  @PrimaryColumn({ type: 'varchar', length: 255, name: 'idempotency_key' })
  key: string;

  /** SHA-256 of the canonical request body: the same key with another body is refused. */
  @Column({ type: 'varchar', length: 64, name: 'request_hash' })
  requestHash: string;

  @Column({ type: 'integer', name: 'response_status' })
  responseStatus: number;

  @Column({ type: 'text', name: 'response_body' })
  responseBody: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  location: string | null;

  @Column({ type: Date, name: 'created_at' })
  createdAt: Date;

  @Column({ type: Date, name: 'expires_at' })
  expiresAt: Date;
}
