import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { timestampType } from './portable-columns';

/**
 * Which catalogue document a region has loaded: one row, the document's version, so that an older
 * document arriving late (replication does not keep order) is refused rather than loaded over a
 * newer one. Its row is also what serializes two imports.
 */
export class CatalogueVersion1764250000000 implements MigrationInterface {
  name = 'CatalogueVersion1764250000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'catalogue_state',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'version', type: 'bigint' },
          { name: 'imported_at', type: timestampType(queryRunner), isNullable: true },
        ],
        checks: [{ name: 'catalogue_state_one_row', expression: 'id = 1' }],
      }),
    );
    // Version 0: whatever the database holds was loaded before versions (the seed, or by hand).
    await queryRunner.query('INSERT INTO catalogue_state (id, version, imported_at) VALUES (1, 0, NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('catalogue_state');
  }
}
