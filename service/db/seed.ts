import type { Database } from './database';
import { changeRows, dialectOf, selectRows } from './sql';

/** [name, email]; example.com is reserved for documentation, so no real person gets these mails. */
const USERS: ReadonlyArray<readonly [string, string]> = [
  ['Ada Lovelace', 'ada@example.com'],
  ['Grace Hopper', 'grace@example.com'],
  ['Alan Turing', 'alan@example.com'],
  ['Edsger Dijkstra', 'edsger@example.com'],
  ['Barbara Liskov', 'barbara@example.com'],
];

/** [name, price in cents]; product n is PRODUCTS[n - 1]. Prices of 1 and 9 match the order shown in docs/api.md. */
const PRODUCTS: ReadonlyArray<readonly [string, number]> = [
  ['Espresso beans, 1 kg', 1529],
  ['Pour-over kettle', 4599],
  ['Ceramic dripper', 2250],
  ['Paper filters, 100', 599],
  ['Burr grinder', 12900],
  ['Milk frother', 3450],
  ['Travel mug', 1999],
  ['Digital scale', 2899],
  ['Chocolate bar', 299],
  ['Tea sampler', 1850],
  ['Cold brew jar', 2475],
  ['Tamper', 1699],
  ['Knock box', 2199],
  ['Cleaning tablets', 899],
  ['Descaler', 1099],
  ['Latte cups, set of 2', 2650],
  ['Barista apron', 3299],
  ['Syrup, vanilla', 749],
  ['Biscotti tin', 1199],
  ['Gift card holder', 100],
];

/** Ample stock for most products; a few nearly or fully sold out, so a 409 can be tried by hand. */
const SMALL_STOCK: Readonly<Record<number, number>> = { 18: 5, 19: 2, 20: 0 };
const AMPLE_STOCK = 1000;

function stockOf(productId: number): number {
  return SMALL_STOCK[productId] ?? AMPLE_STOCK;
}

/** Loads users 1-5 and products 1-20 when the database has no users; returns whether it did. */
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
    await changeRows(
      manager,
      `INSERT INTO "products" (id, name, price, currency, stock) VALUES ${PRODUCTS.map(() => "(?, ?, ?, 'USD', ?)").join(', ')}`,
      PRODUCTS.flatMap(([name, price], index) => [index + 1, name, price, stockOf(index + 1)]),
    );
    // Explicit ids leave an id sequence behind where the engine keeps one: move it past them.
    for (const table of ['users', 'products']) {
      const sync = dialect.syncIdSequence(table);
      if (sync) await manager.query(sync);
    }
    return true;
  });
}
