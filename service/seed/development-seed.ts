import { writeCatalogue } from '../catalogue/catalogue-import';
import type { Database } from '../db/database';
import { changeRows, dialectOf, selectRows } from '../db/sql';
import { DEVELOPMENT_CATALOGUE } from './development-catalogue';

/** [name, email]; example.com is reserved for documentation, so no real person gets these mails. */
const USERS: ReadonlyArray<readonly [string, string]> = [
  ['Ada Lovelace', 'ada@example.com'],
  ['Grace Hopper', 'grace@example.com'],
  ['Alan Turing', 'alan@example.com'],
  ['Edsger Dijkstra', 'edsger@example.com'],
  ['Barbara Liskov', 'barbara@example.com'],
];

/** Ample stock for most products; a few nearly or fully sold out, so a 409 can be tried by hand. */
const SMALL_STOCK: Readonly<Record<number, number>> = { 18: 5, 19: 2, 20: 0 };
const AMPLE_STOCK = 1000;

/**
 * Loads users 1-5, marketplaces us, de and jp, and products 1-20 with their listings and names
 * (development-catalogue.ts) when the database has no users; returns whether it did.
 */
export async function seedDevelopmentData(db: Database): Promise<boolean> {
  return db.write(async (manager) => {
    if ((await selectRows(manager, 'SELECT 1 AS found FROM "users" LIMIT 1', [])).length > 0) return false;
    const dialect = dialectOf(manager);
    const now = dialect.timestamp(new Date());
    await changeRows(
      manager,
      `INSERT INTO "users" (id, name, email, created_at) VALUES ${USERS.map(() => '(?, ?, ?, ?)').join(', ')}`,
      USERS.flatMap(([name, email], index) => [index + 1, name, email, now]),
    );
    // The catalogue as every region loads it; then the stock, which is each region's own.
    await writeCatalogue(manager, DEVELOPMENT_CATALOGUE);
    await changeRows(manager, 'UPDATE "products" SET stock = ?', [AMPLE_STOCK]);
    for (const [id, stock] of Object.entries(SMALL_STOCK)) await changeRows(manager, 'UPDATE "products" SET stock = ? WHERE id = ?', [stock, Number(id)]);
    // Explicit ids leave an id sequence behind where the engine keeps one: move it past them.
    const sync = dialect.syncIdSequence('users');
    if (sync) await manager.query(sync);
    return true;
  });
}
