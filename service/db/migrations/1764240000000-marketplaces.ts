import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { changeRows } from '../sql';

/** The one shop there was: the marketplace that existing orders and prices move into. */
const FIRST_MARKETPLACE = { code: 'us', name: 'United States', locale: 'en-US', countries: 'US', region: 'us-east-1' };

/**
 * Regional marketplaces. Products stay global (their name is the catalogue's base name, their
 * stock the region's), and each marketplace lists them with its own price in its own currency
 * (product_listings), with names and descriptions per locale (product_translations). Orders
 * belong to a marketplace and remember the locale they were made in.
 *
 * Existing data moves without loss: the one implicit shop becomes marketplace `us`, in the
 * products' most common currency; every product priced in that currency is listed there at its
 * price (a product in another currency is left unlisted rather than priced in the wrong one);
 * every existing order belongs to it.
 */
export class Marketplaces1764240000000 implements MigrationInterface {
  name = 'Marketplaces1764240000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'marketplaces',
        columns: [
          { name: 'code', type: 'varchar', length: '8', isPrimary: true },
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'currency', type: 'varchar', length: '3' },
          { name: 'default_locale', type: 'varchar', length: '35' },
          // Comma-separated, in the marketplace's order of preference: read whole, never searched.
          { name: 'locales', type: 'varchar', length: '400' },
          { name: 'countries', type: 'varchar', length: '800' },
          { name: 'region', type: 'varchar', length: '32' },
        ],
        checks: [{ name: 'marketplaces_currency_code', expression: 'length(currency) = 3' }],
      }),
    );
    const [common] = (await queryRunner.query(
      'SELECT currency FROM products GROUP BY currency ORDER BY COUNT(*) DESC, currency LIMIT 1',
    )) as Array<{ currency: string }>;
    const currency = common?.currency ?? 'USD';
    const first = FIRST_MARKETPLACE;
    await changeRows(
      queryRunner.manager,
      'INSERT INTO marketplaces (code, name, currency, default_locale, locales, countries, region) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [first.code, first.name, currency, first.locale, first.locale, first.countries, first.region],
    );

    await queryRunner.createTable(
      new Table({
        name: 'product_listings',
        columns: [
          { name: 'product_id', type: 'integer', isPrimary: true },
          { name: 'marketplace', type: 'varchar', length: '8', isPrimary: true },
          /** Minor units of the marketplace's currency. */
          { name: 'price', type: 'integer' },
          { name: 'published', type: 'boolean', default: true },
        ],
        foreignKeys: [
          { columnNames: ['product_id'], referencedTableName: 'products', referencedColumnNames: ['id'], onDelete: 'CASCADE' },
          { columnNames: ['marketplace'], referencedTableName: 'marketplaces', referencedColumnNames: ['code'], onDelete: 'CASCADE' },
        ],
        checks: [{ name: 'product_listings_price_not_negative', expression: 'price >= 0' }],
        // A marketplace's catalogue in id order.
        indices: [{ name: 'product_listings_marketplace_product', columnNames: ['marketplace', 'product_id'] }],
      }),
    );
    await changeRows(queryRunner.manager, 'INSERT INTO product_listings (product_id, marketplace, price) SELECT id, ?, price FROM products WHERE currency = ?', [
      first.code,
      currency,
    ]);

    await queryRunner.createTable(
      new Table({
        name: 'product_translations',
        columns: [
          { name: 'product_id', type: 'integer', isPrimary: true },
          { name: 'locale', type: 'varchar', length: '35', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'description', type: 'varchar', length: '2000', isNullable: true },
        ],
        foreignKeys: [{ columnNames: ['product_id'], referencedTableName: 'products', referencedColumnNames: ['id'], onDelete: 'CASCADE' }],
      }),
    );

    // The defaults fill the existing rows; every new order names both.
    await queryRunner.addColumns('orders', [
      new TableColumn({ name: 'marketplace', type: 'varchar', length: '8', default: `'${first.code}'` }),
      new TableColumn({ name: 'locale', type: 'varchar', length: '35', default: `'${first.locale}'` }),
    ]);
    await queryRunner.createIndex('orders', new TableIndex({ name: 'orders_marketplace_id', columnNames: ['marketplace', 'id'] }));

    // Prices live in the listings now; a second copy on the product could only disagree with them.
    // After an undo (down) SQLite holds the check inline on the column, where TypeORM does not look; the rebuild drops it with the column.
    if ((await queryRunner.getTable('products'))!.checks.some((check) => check.name === 'products_price_not_negative')) {
      await queryRunner.dropCheckConstraint('products', 'products_price_not_negative');
    }
    await queryRunner.dropColumns('products', ['price', 'currency']);
  }

  /**
   * Plain ALTER TABLEs: TypeORM's SQLite runner would rebuild products and orders, and an undo
   * runs with foreign keys enforced, which the rows that reference them would refuse.
   */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE products ADD COLUMN price integer NOT NULL DEFAULT 0 CONSTRAINT products_price_not_negative CHECK (price >= 0)');
    await queryRunner.query("ALTER TABLE products ADD COLUMN currency varchar(3) NOT NULL DEFAULT 'USD'");
    await queryRunner.query(
      `UPDATE products SET
         price = COALESCE((SELECT l.price FROM product_listings l WHERE l.product_id = products.id AND l.marketplace = '${FIRST_MARKETPLACE.code}'), 0),
         currency = COALESCE((SELECT m.currency FROM marketplaces m WHERE m.code = '${FIRST_MARKETPLACE.code}'), 'USD')`,
    );
    await queryRunner.dropIndex('orders', 'orders_marketplace_id');
    await queryRunner.query('ALTER TABLE orders DROP COLUMN marketplace');
    await queryRunner.query('ALTER TABLE orders DROP COLUMN locale');
    await queryRunner.dropTable('product_translations');
    await queryRunner.dropTable('product_listings');
    await queryRunner.dropTable('marketplaces');
  }
}
