import { type MigrationInterface, type QueryRunner, Table, TableCheck, TableColumn, TableIndex } from 'typeorm';
import { idColumn, timestampType } from './portable-columns';

/**
 * Stock on products, a version on orders (optimistic concurrency), idempotency keys, the order
 * event history (also the transactional outbox), and indexes for the list filters.
 */
export class OrderRules1764170000000 implements MigrationInterface {
  name = 'OrderRules1764170000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);

    // Existing products start with no stock: a shop sets it before they can be ordered again.
    await queryRunner.addColumn('products', new TableColumn({ name: 'stock', type: 'integer', default: 0 }));
    await queryRunner.createCheckConstraint('products', new TableCheck({ name: 'products_stock_not_negative', expression: 'stock >= 0' }));

    await queryRunner.addColumn('orders', new TableColumn({ name: 'version', type: 'integer', default: 1 }));
    // GET /orders filters by status and creation time within one user's orders, newest (highest id) first.
    await queryRunner.createIndex('orders', new TableIndex({ name: 'orders_user_status_id', columnNames: ['user_id', 'status', 'id'] }));
    await queryRunner.createIndex('orders', new TableIndex({ name: 'orders_user_created_at', columnNames: ['user_id', 'created_at'] }));

    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'user_id', type: 'integer', isPrimary: true },
          { name: 'idempotency_key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'response_status', type: 'integer' },
          { name: 'response_body', type: 'text' },
          { name: 'location', type: 'varchar', length: '255', isNullable: true },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
        ],
        foreignKeys: [{ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createIndex('idempotency_keys', new TableIndex({ name: 'idempotency_keys_expires_at', columnNames: ['expires_at'] }));

    await queryRunner.createTable(
      new Table({
        name: 'order_events',
        columns: [
          idColumn(),
          { name: 'order_id', type: 'integer' },
          { name: 'user_id', type: 'integer' },
          { name: 'order_version', type: 'integer' },
          { name: 'type', type: 'varchar', length: '32' },
          { name: 'actor_user_id', type: 'integer' },
          { name: 'occurred_at', type: timestamp },
          { name: 'from_state', type: 'text', isNullable: true },
          { name: 'to_state', type: 'text' },
          // Set by a queue publisher once it has sent the event: the outbox's unsent rows have none.
          { name: 'published_at', type: timestamp, isNullable: true },
        ],
        foreignKeys: [
          { columnNames: ['order_id'], referencedTableName: 'orders', referencedColumnNames: ['id'] },
          { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
          { columnNames: ['actor_user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createIndex('order_events', new TableIndex({ name: 'order_events_order_id_id', columnNames: ['order_id', 'id'] }));
    await queryRunner.createIndex('order_events', new TableIndex({ name: 'order_events_unpublished', columnNames: ['published_at', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('order_events');
    await queryRunner.dropTable('idempotency_keys');
    await queryRunner.dropIndex('orders', 'orders_user_created_at');
    await queryRunner.dropIndex('orders', 'orders_user_status_id');
    await queryRunner.dropColumn('orders', 'version');
    await queryRunner.dropCheckConstraint('products', 'products_stock_not_negative');
    await queryRunner.dropColumn('products', 'stock');
  }
}
