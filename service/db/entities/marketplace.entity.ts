import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A regional storefront: its currency, languages and countries, and the AWS region holding its orders. */
@Entity('marketplaces')
export class MarketplaceEntity {
  /** Lower-case letters, such as us, de, jp. */
  @PrimaryColumn({ type: 'varchar', length: 8 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** ISO 4217; every price listed here is in its minor units. */
  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 35, name: 'default_locale' })
  defaultLocale: string;

  /** BCP 47 tags, comma-separated, the default first. */
  @Column({ type: 'varchar', length: 400 })
  locales: string;

  /** ISO 3166-1 alpha-2 codes, comma-separated. */
  @Column({ type: 'varchar', length: 800 })
  countries: string;

  @Column({ type: 'varchar', length: 32 })
  region: string;
}
