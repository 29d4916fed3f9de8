import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { isPostgres, timestampType } from './portable-columns';

/**
 * What the outbox relay and the consumers need: a lease on each unpublished event (a relay that
 * claimed it and may be sending it now), how often it was tried, the consumers' inbox, and on
 * PostgreSQL a NOTIFY after each insert, so relays on every instance wake when an event commits.
 */
export class OutboxRelay1764200000000 implements MigrationInterface {
  name = 'OutboxRelay1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    // Plain ALTER TABLE: on SQLite, addColumn rebuilds the table (see the user-external-id migration).
    await queryRunner.query(`ALTER TABLE order_events ADD COLUMN relay_lease_until ${timestamp}`);
    await queryRunner.query('ALTER TABLE order_events ADD COLUMN publish_attempts integer NOT NULL DEFAULT 0');

    // One row per (consumer, event) it has applied, written in the transaction of the effect.
    await queryRunner.createTable(
      new Table({
        name: 'inbox',
        columns: [
          { name: 'consumer', type: 'varchar', length: '64', isPrimary: true },
          { name: 'event_id', type: 'integer', isPrimary: true },
          { name: 'processed_at', type: timestamp },
        ],
      }),
    );

    if (isPostgres(queryRunner)) {
      // The channel names the schema too: NOTIFY reaches every session of the database.
      await queryRunner.query(`
        CREATE FUNCTION notify_table_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify(TG_TABLE_NAME || ':' || TG_TABLE_SCHEMA, '');
          RETURN NULL;
        END $$`);
      await queryRunner.query(
        'CREATE TRIGGER order_events_notify AFTER INSERT ON order_events FOR EACH STATEMENT EXECUTE FUNCTION notify_table_changed()',
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (isPostgres(queryRunner)) {
      await queryRunner.query('DROP TRIGGER order_events_notify ON order_events');
      await queryRunner.query('DROP FUNCTION notify_table_changed()');
    }
    await queryRunner.dropTable('inbox');
    await queryRunner.query('ALTER TABLE order_events DROP COLUMN publish_attempts');
    await queryRunner.query('ALTER TABLE order_events DROP COLUMN relay_lease_until');
  }
}
