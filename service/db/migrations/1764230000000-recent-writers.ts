import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { timestampType } from './portable-columns';

/**
 * Who wrote lately, on the writer, so that every task (not only the one that took the write)
 * sends that user's reads to the writer while a replica may still lack the change. One row per
 * user, overwritten by each write; SQLite, having no replica, never uses it.
 */
export class RecentWriters1764230000000 implements MigrationInterface {
  name = 'RecentWriters1764230000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'recent_writers',
        columns: [
          { name: 'user_id', type: 'integer', isPrimary: true },
          { name: 'read_writer_until', type: timestampType(queryRunner) },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('recent_writers');
  }
}
