import type { QueryRunner, TableColumnOptions } from 'typeorm';

/** An auto-incrementing integer key: SERIAL on PostgreSQL, INTEGER PRIMARY KEY AUTOINCREMENT on SQLite. */
export function idColumn(): TableColumnOptions {
  return { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
}

/** PostgreSQL stores instants as timestamptz; SQLite has no such type, and TypeORM writes UTC text. */
export function timestampType(queryRunner: QueryRunner): string {
  return isPostgres(queryRunner) ? 'timestamptz' : 'datetime';
}

/** Some things only PostgreSQL has (triggers in PL/pgSQL, LISTEN/NOTIFY): migrations add them there alone. */
export function isPostgres(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.driver.options.type === 'postgres';
}
