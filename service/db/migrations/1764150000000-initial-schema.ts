import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, timestampType } from './portable-columns';

/** Users, products, orders with their lines, and shipments. Portable: SQLite and PostgreSQL. */
export class InitialSchema1764150000000 implements MigrationInterface {
  name = 'InitialSchema1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'created_at', type: timestamp },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'products',
        columns: [
          idColumn(),
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'price', type: 'integer' },
          { name: 'currency', type: 'varchar', length: '3' },
        ],
        checks: [{ name: 'products_price_not_negative', expression: 'price >= 0' }],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'orders',
        columns: [
          idColumn(),
          { name: 'user_id', type: 'integer' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'currency', type: 'varchar', length: '3' },
          { name: 'total', type: 'bigint' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
        checks: [
          { name: 'orders_total_not_negative', expression: 'total >= 0' },
          {
            name: 'orders_status_known',
            expression: "status IN ('pending', 'processing', 'shipped', 'delivered', 'cancelled')",
          },
        ],
      }),
    );
    // The caller's list: WHERE user_id = ? ORDER BY id DESC, walked by cursor.
    await queryRunner.createIndex('orders', new TableIndex({ name: 'orders_user_id_id', columnNames: ['user_id', 'id'] }));

    await queryRunner.createTable(
      new Table({
        name: 'order_lines',
        columns: [
          idColumn(),
          { name: 'order_id', type: 'integer' },
          { name: 'product_id', type: 'integer' },
          { name: 'quantity', type: 'integer' },
          { name: 'unit_price', type: 'integer' },
        ],
        foreignKeys: [
          { columnNames: ['order_id'], referencedTableName: 'orders', referencedColumnNames: ['id'] },
          { columnNames: ['product_id'], referencedTableName: 'products', referencedColumnNames: ['id'] },
        ],
        // Also serves "the lines of order X", which is a prefix of it.
        uniques: [{ name: 'order_lines_order_product', columnNames: ['order_id', 'product_id'] }],
        checks: [
          { name: 'order_lines_quantity_positive', expression: 'quantity > 0' },
          { name: 'order_lines_unit_price_not_negative', expression: 'unit_price >= 0' },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'shipments',
        columns: [
          idColumn(),
          { name: 'order_id', type: 'integer' },
          { name: 'shipping_provider', type: 'varchar', length: '64' },
          { name: 'tracking_number', type: 'varchar', length: '64' },
          { name: 'created_at', type: timestamp },
          { name: 'updated_at', type: timestamp },
        ],
        foreignKeys: [{ columnNames: ['order_id'], referencedTableName: 'orders', referencedColumnNames: ['id'] }],
        uniques: [{ name: 'shipments_order_id', columnNames: ['order_id'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['shipments', 'order_lines', 'orders', 'products', 'users']) {
      await queryRunner.dropTable(table);
    }
  }
}
