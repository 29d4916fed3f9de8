import type { Database } from './database';

/** Applies pending migrations, all in one transaction; returns the names it applied. */
export async function migrate(db: Database): Promise<string[]> {
  const applied = await db.dataSource.runMigrations({ transaction: 'all' });
  return applied.map((migration) => migration.name);
}
