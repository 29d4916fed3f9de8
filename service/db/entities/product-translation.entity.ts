import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A product's name and description in one locale. */
@Entity('product_translations')
export class ProductTranslationEntity {
  @PrimaryColumn({ type: 'integer', name: 'product_id' })
  productId: number;

  /** A BCP 47 tag such as de-DE. */
  @PrimaryColumn({ type: 'varchar', length: 35 })
  locale: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description: string | null;
}
