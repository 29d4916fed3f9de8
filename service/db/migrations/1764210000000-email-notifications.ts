import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, timestampType } from './portable-columns';

/**
 * Users' email addresses (the development seed's, or a token's `email` claim) and the
 * notifications sent for order events: one row per (event, kind), written in the transaction that
 * sends the mail, so that a redelivered event finds it and sends nothing.
 */
export class EmailNotifications1764210000000 implements MigrationInterface {
  name = 'EmailNotifications1764210000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    // Plain ALTER TABLE: on SQLite, addColumn rebuilds the table (see the user-external-id migration).
    // 254: the longest address SMTP can carry (RFC 5321's 256-octet path less its angle brackets).
    await queryRunner.query('ALTER TABLE users ADD COLUMN email varchar(254)');

    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          idColumn(),
          { name: 'event_id', type: 'integer' },
          { name: 'kind', type: 'varchar', length: '32' },
          { name: 'user_id', type: 'integer' },
          // The address it went to; none when it was skipped for want of one.
          { name: 'recipient', type: 'varchar', length: '254', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          // Why it was skipped; none when it was sent.
          { name: 'reason', type: 'varchar', length: '64', isNullable: true },
          // What the transport called the message (SES's MessageId, the SMTP Message-ID).
          { name: 'message_id', type: 'varchar', length: '255', isNullable: true },
          { name: 'created_at', type: timestamp },
        ],
        foreignKeys: [
          { columnNames: ['event_id'], referencedTableName: 'order_events', referencedColumnNames: ['id'] },
          { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        ],
        // The at-most-once key: a second insert for the same event and kind finds this one.
        uniques: [{ name: 'notifications_event_kind', columnNames: ['event_id', 'kind'] }],
        checks: [
          {
            name: 'notifications_status_known',
            expression: "(status = 'sent' AND reason IS NULL) OR (status = 'skipped' AND reason IS NOT NULL)",
          },
        ],
      }),
    );
    // "What did we send this user?", for support.
    await queryRunner.createIndex('notifications', new TableIndex({ name: 'notifications_user_id', columnNames: ['user_id', 'id'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notifications');
    await queryRunner.query('ALTER TABLE users DROP COLUMN email');
  }
}
