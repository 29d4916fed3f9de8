import { type MigrationInterface, type QueryRunner, Table, TableCheck, TableColumn, TableIndex, TableUnique } from 'typeorm';
import { createOverShippingGuard, dropOverShippingGuard } from './over-shipping-guard';
import { idColumn, timestampType } from './portable-columns';

const CARRIER_OF_PROVIDER =
  "CASE UPPER(TRIM(shipping_provider)) WHEN 'USPS' THEN 'USPS' WHEN 'UPS' THEN 'UPS' WHEN 'FEDEX' THEN 'FedEx' WHEN 'DHL' THEN 'DHL' ELSE 'other' END";

/**
 * Split shipments: an order has several, each with its own lines (shipment_lines: an order line and
 * a quantity), status, carrier and timestamps. The existing single shipments move in whole: each
 * holds every line of its order, its status follows the order's (pending until the order shipped),
 * its carrier is the one its provider name names, or `other`. Orders that shipped without one get
 * one without a carrier, so that every shipped order's status agrees with its shipments. When an
 * order shipped or was delivered is not recorded: its last change stands in for both.
 */
export class SplitShipments1764220000000 implements MigrationInterface {
  name = 'SplitShipments1764220000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);

    // On SQLite each of these rebuilds the table; nothing references shipments yet, so that is safe.
    await queryRunner.dropUniqueConstraint('shipments', 'shipments_order_id');
    const table = (await queryRunner.getTable('shipments'))!;
    await queryRunner.changeColumns(
      table,
      ['shipping_provider', 'tracking_number'].map((name) => {
        const old = table.findColumnByName(name)!;
        const nullable = old.clone();
        nullable.isNullable = true;
        return { oldColumn: old, newColumn: nullable };
      }),
    );
    await queryRunner.addColumns('shipments', [
      new TableColumn({ name: 'status', type: 'varchar', length: '16', default: "'pending'" }),
      new TableColumn({ name: 'carrier', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'shipped_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'delivered_at', type: timestamp, isNullable: true }),
      new TableColumn({ name: 'cancelled_at', type: timestamp, isNullable: true }),
    ]);

    await queryRunner.query(`UPDATE shipments SET carrier = ${CARRIER_OF_PROVIDER}`);
    const orderOf = (column: string) => `(SELECT o.${column} FROM orders o WHERE o.id = shipments.order_id)`;
    await queryRunner.query(
      `UPDATE shipments SET status = CASE ${orderOf('status')} WHEN 'shipped' THEN 'shipped' WHEN 'delivered' THEN 'delivered' WHEN 'cancelled' THEN 'cancelled' ELSE 'pending' END`,
    );
    await queryRunner.query(`UPDATE shipments SET shipped_at = ${orderOf('updated_at')} WHERE status IN ('shipped', 'delivered')`);
    await queryRunner.query(`UPDATE shipments SET delivered_at = ${orderOf('updated_at')} WHERE status = 'delivered'`);
    await queryRunner.query(`UPDATE shipments SET cancelled_at = ${orderOf('updated_at')} WHERE status = 'cancelled'`);
    await queryRunner.query(
      `INSERT INTO shipments (order_id, status, created_at, updated_at, shipped_at, delivered_at)
       SELECT o.id, o.status, o.updated_at, o.updated_at, o.updated_at, CASE WHEN o.status = 'delivered' THEN o.updated_at END
         FROM orders o WHERE o.status IN ('shipped', 'delivered') AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id)`,
    );

    // One at a time: TypeORM's createCheckConstraints sends them all at once on the one connection,
    // which pg deprecates (pg 9 will refuse it).
    for (const check of [
      new TableCheck({ name: 'shipments_status_known', expression: "status IN ('pending', 'shipped', 'delivered', 'cancelled')" }),
      new TableCheck({ name: 'shipments_carrier_known', expression: "carrier IS NULL OR carrier IN ('USPS', 'UPS', 'FedEx', 'DHL', 'other')" }),
      new TableCheck({ name: 'shipments_tracking_has_carrier', expression: 'tracking_number IS NULL OR carrier IS NOT NULL' }),
    ]) {
      await queryRunner.createCheckConstraint('shipments', check);
    }
    // What the composite foreign keys below refer to: a shipment and a line of one and the same order.
    await queryRunner.createIndex('shipments', new TableIndex({ name: 'shipments_order_id_id', columnNames: ['order_id', 'id'], isUnique: true }));
    await queryRunner.createIndex('order_lines', new TableIndex({ name: 'order_lines_order_id_id', columnNames: ['order_id', 'id'], isUnique: true }));

    await queryRunner.createTable(
      new Table({
        name: 'shipment_lines',
        columns: [
          idColumn(),
          { name: 'shipment_id', type: 'integer' },
          // Repeated from the shipment so that the database itself ties the line to the same order.
          { name: 'order_id', type: 'integer' },
          { name: 'order_line_id', type: 'integer' },
          { name: 'quantity', type: 'integer' },
        ],
        foreignKeys: [
          { columnNames: ['order_id', 'shipment_id'], referencedTableName: 'shipments', referencedColumnNames: ['order_id', 'id'] },
          { columnNames: ['order_id', 'order_line_id'], referencedTableName: 'order_lines', referencedColumnNames: ['order_id', 'id'] },
        ],
        uniques: [{ name: 'shipment_lines_shipment_order_line', columnNames: ['shipment_id', 'order_line_id'] }],
        checks: [{ name: 'shipment_lines_quantity_positive', expression: 'quantity > 0' }],
      }),
    );
    // The over-shipping check counts one order line's units.
    await queryRunner.createIndex('shipment_lines', new TableIndex({ name: 'shipment_lines_order_line_id', columnNames: ['order_line_id'] }));
    await queryRunner.query(
      `INSERT INTO shipment_lines (shipment_id, order_id, order_line_id, quantity)
       SELECT s.id, s.order_id, l.id, l.quantity FROM shipments s JOIN order_lines l ON l.order_id = s.order_id ORDER BY s.id, l.id`,
    );
    await createOverShippingGuard(queryRunner);
  }

  /** Back to one shipment per order: each order keeps its first shipment that has tracking. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await dropOverShippingGuard(queryRunner);
    await queryRunner.dropTable('shipment_lines');
    await queryRunner.dropIndex('order_lines', 'order_lines_order_id_id');
    await queryRunner.dropIndex('shipments', 'shipments_order_id_id');
    await queryRunner.query("DELETE FROM shipments WHERE status = 'cancelled' OR tracking_number IS NULL");
    await queryRunner.query('DELETE FROM shipments WHERE id NOT IN (SELECT MIN(id) FROM shipments GROUP BY order_id)');
    for (const check of ['shipments_tracking_has_carrier', 'shipments_carrier_known', 'shipments_status_known']) {
      await queryRunner.dropCheckConstraint('shipments', check);
    }
    await queryRunner.dropColumns('shipments', ['cancelled_at', 'delivered_at', 'shipped_at', 'carrier', 'status']);
    const table = (await queryRunner.getTable('shipments'))!;
    await queryRunner.changeColumns(
      table,
      ['shipping_provider', 'tracking_number'].map((name) => {
        const old = table.findColumnByName(name)!;
        const required = old.clone();
        required.isNullable = false;
        return { oldColumn: old, newColumn: required };
      }),
    );
    await queryRunner.createUniqueConstraint('shipments', new TableUnique({ name: 'shipments_order_id', columnNames: ['order_id'] }));
  }
}
