import { migrate } from '../../service/db/migrate';
import type { Database } from '../../service/db/database';
import { openSqliteDatabase } from '../../service/db/sqlite-database';
import { seedDevelopmentData } from '../../service/db/seed';

describe('migrations', () => {
  let db: Database;
  beforeEach(async () => {
    db = await openSqliteDatabase({ kind: 'sqlite', path: ':memory:' });
  });
  afterEach(() => db.close());

  const tables = async () =>
    (await db.dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).map(
      (row: { name: string }) => row.name,
    );

  test('when run on an empty database, then they create every table, and a second run applies nothing', async () => {
    expect(await migrate(db)).toEqual(['InitialSchema1764150000000']);

    expect(await tables()).toEqual(['migrations', 'order_lines', 'orders', 'products', 'shipments', 'users']);
    expect(await migrate(db)).toEqual([]);
  });

  test('when reverted, then the schema is gone and can be applied again', async () => {
    await migrate(db);

    await db.dataSource.undoLastMigration();

    expect(await tables()).toEqual(['migrations']);
    expect(await migrate(db)).toHaveLength(1);
  });

  test('when seeded twice, then the development data is loaded once', async () => {
    await migrate(db);

    expect(await seedDevelopmentData(db)).toBe(true);
    expect(await seedDevelopmentData(db)).toBe(false);
    expect(await db.dataSource.query('SELECT COUNT(*) AS users, (SELECT COUNT(*) FROM products) AS products FROM users')).toEqual([
      { users: 5, products: 20 },
    ]);
  });

  test.each([
    ['a line with quantity 0', "INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (1, 1, 0, 100)"],
    ['a line of a missing order', "INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (999, 1, 1, 100)"],
    ['an order with an unknown status', "INSERT INTO orders (user_id, status, currency, total, created_at, updated_at) VALUES (1, 'lost', 'USD', 0, '2026-01-01', '2026-01-01')"],
    ['a second shipment for one order', "INSERT INTO shipments (order_id, shipping_provider, tracking_number, created_at, updated_at) VALUES (1, 'UPS', '2', '2026-01-01', '2026-01-01')"],
  ])('when something writes %s, then the database itself refuses it', async (_case, sql) => {
    await migrate(db);
    await seedDevelopmentData(db);
    await db.dataSource.query(
      "INSERT INTO orders (id, user_id, status, currency, total, created_at, updated_at) VALUES (1, 1, 'pending', 'USD', 100, '2026-01-01', '2026-01-01')",
    );
    await db.dataSource.query(
      "INSERT INTO shipments (order_id, shipping_provider, tracking_number, created_at, updated_at) VALUES (1, 'UPS', '1', '2026-01-01', '2026-01-01')",
    );

    await expect(db.dataSource.query(sql)).rejects.toThrow(/constraint/i);
  });
});
