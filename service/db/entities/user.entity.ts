import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The identity provider's subject for this user; null for users of the header mode. */
  @Column({ type: 'varchar', length: 255, name: 'external_id', nullable: true })
  externalId: string | null;

  /** Where order notifications go: the seed's, or the token's `email` claim; null sends nothing. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  email: string | null;

  @Column({ type: Date, name: 'created_at' })
  createdAt: Date;
}
