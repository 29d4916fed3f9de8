import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Users known by an identity provider: `external_id` holds the token's subject (a Cognito sub).
 * Nullable, since header-mode users have none; unique, so that concurrent first requests of one
 * subject end up with one row. NULLs never collide in a unique index, on SQLite and PostgreSQL.
 */
export class UserExternalId1764160000000 implements MigrationInterface {
  name = 'UserExternalId1764160000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE rather than queryRunner.addColumn: on SQLite that rebuilds the table, and
    // dropping `users` inside the migration transaction would trip the orders' foreign key.
    await queryRunner.query('ALTER TABLE users ADD COLUMN external_id varchar(255)');
    await queryRunner.createIndex(
      'users',
      new TableIndex({ name: 'users_external_id', columnNames: ['external_id'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('users', 'users_external_id');
    await queryRunner.query('ALTER TABLE users DROP COLUMN external_id');
  }
}
