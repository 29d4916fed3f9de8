import { migrations } from '../../service/db/migrations';
import { seedDevelopmentData } from '../../service/db/seed';
import { openTestDatabase, type TestDatabase } from '../helpers/test-database';

const TABLES = ['idempotency_keys', 'inbox', 'migrations', 'notifications', 'order_events', 'order_lines', 'orders', 'products', 'shipments', 'users'];
const MIGRATIONS = ['InitialSchema1764150000000', 'UserExternalId1764160000000', 'OrderRules1764170000000', 'OutboxRelay1764200000000', 'EmailNotifications1764210000000'];

describe('migrations', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase({ migrate: false, seed: false });
  });
  afterEach(() => t.dispose());

  const existingTables = async () => {
    const runner = t.db.dataSource.createQueryRunner();
    try {
      const found: string[] = [];
      for (const name of TABLES) if (await runner.hasTable(name)) found.push(name);
      return found;
    } finally {
      await runner.release();
    }
  };

  test('when run on an empty database, then they create every table, and a second run applies nothing', async () => {
    expect(await t.db.migrate()).toEqual(MIGRATIONS);
    expect(migrations.map((Migration) => new Migration().name)).toEqual(MIGRATIONS);

    expect(await existingTables()).toEqual(TABLES);
    expect(await t.db.migrate()).toEqual([]);
  });

  test('when reverted, then the schema is gone and can be applied again', async () => {
    await t.db.migrate();

    for (let i = 0; i < migrations.length; i += 1) await t.db.dataSource.undoLastMigration();

    expect(await existingTables()).toEqual(['migrations']);
    expect(await t.db.migrate()).toHaveLength(migrations.length);
  });

  test('when external_id is added to a database with users and orders, then every row is kept and the old users have none', async () => {
    await t.db.migrate();
    await seedDevelopmentData(t.db);
    await t.query("INSERT INTO orders (user_id, status, currency, total, created_at, updated_at) VALUES (2, 'pending', 'USD', 100, '2026-01-01', '2026-01-01')");
    // Back to before UserExternalId: undo it and every migration after it.
    const after = MIGRATIONS.slice(MIGRATIONS.indexOf('UserExternalId1764160000000'));
    for (let i = 0; i < after.length; i += 1) await t.db.dataSource.undoLastMigration();

    expect(await t.db.migrate()).toEqual(after);
    expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM users WHERE external_id IS NULL')).toEqual([{ n: 5 }]);
    expect(await t.query('SELECT user_id FROM orders')).toEqual([{ user_id: 2 }]);
  });

  test('when seeded twice, then the development data is loaded once and new rows get fresh ids', async () => {
    await t.db.migrate();

    expect(await seedDevelopmentData(t.db)).toBe(true);
    expect(await seedDevelopmentData(t.db)).toBe(false);
    expect(
      await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS users, CAST((SELECT COUNT(*) FROM products) AS INTEGER) AS products FROM users'),
    ).toEqual([{ users: 5, products: 20 }]);
    await t.query("INSERT INTO products (name, price, currency) VALUES ('New', 100, 'USD')");
    expect(await t.query("SELECT id FROM products WHERE name = 'New'")).toEqual([{ id: 21 }]);
  });

  test.each([
    ['a line with quantity 0', 'INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (1, 1, 0, 100)'],
    ['a line of a missing order', 'INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (999, 1, 1, 100)'],
    ['a line with a negative price', 'INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (1, 2, 1, -1)'],
    ['an order with an unknown status', "INSERT INTO orders (user_id, status, currency, total, created_at, updated_at) VALUES (1, 'lost', 'USD', 0, '2026-01-01', '2026-01-01')"],
    ['an order of an unknown user', "INSERT INTO orders (user_id, status, currency, total, created_at, updated_at) VALUES (99, 'pending', 'USD', 0, '2026-01-01', '2026-01-01')"],
    ['a second shipment for one order', "INSERT INTO shipments (order_id, shipping_provider, tracking_number, created_at, updated_at) VALUES (1, 'UPS', '2', '2026-01-01', '2026-01-01')"],
    ['a second user with the same external id', "INSERT INTO users (name, created_at, external_id) VALUES ('', '2026-01-01', 'sub-1'), ('', '2026-01-01', 'sub-1')"],
  ])('when something writes %s, then the database itself refuses it', async (_case, sql) => {
    await t.db.migrate();
    await seedDevelopmentData(t.db);
    await t.query("INSERT INTO orders (user_id, status, currency, total, created_at, updated_at) VALUES (1, 'pending', 'USD', 100, '2026-01-01', '2026-01-01')");
    await t.query("INSERT INTO shipments (order_id, shipping_provider, tracking_number, created_at, updated_at) VALUES (1, 'UPS', '1', '2026-01-01', '2026-01-01')");

    await expect(t.query(sql)).rejects.toThrow(/constraint/i);
  });
});
