import request from 'supertest';
import type { OrderShipment } from '../../service/api-types';
import { migrations } from '../../service/db/migrations';
import { seedDevelopmentData } from '../../service/seed/development-seed';
import { brokenInvariants } from '../helpers/consistency';
import { appOn } from '../helpers/test-app';
import { openTestDatabase, type TestDatabase } from '../helpers/test-database';

const TABLES = [
  'catalogue_state',
  'idempotency_keys',
  'inbox',
  'marketplaces',
  'migrations',
  'notifications',
  'order_events',
  'order_lines',
  'orders',
  'product_listings',
  'product_translations',
  'products',
  'recent_writers',
  'shipment_lines',
  'shipments',
  'users',
];
const MIGRATIONS = [
  'InitialSchema1764150000000',
  'UserExternalId1764160000000',
  'OrderRules1764170000000',
  'OutboxRelay1764200000000',
  'EmailNotifications1764210000000',
  'SplitShipments1764220000000',
  'RecentWriters1764230000000',
  'Marketplaces1764240000000',
  'CatalogueVersion1764250000000',
];

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

  /** User 1 and products 1 and 9 as the schema before marketplaces held them: a price and currency on the product. */
  const seedOldCatalogue = async () => {
    await t.query("INSERT INTO users (id, name, email, created_at) VALUES (1, 'Ada Lovelace', 'ada@example.com', '2026-01-01')");
    await t.query("INSERT INTO products (id, name, price, currency, stock) VALUES (1, 'Espresso beans, 1 kg', 1529, 'USD', 50), (9, 'Chocolate bar', 299, 'USD', 50), (30, 'Stroopwafels', 450, 'EUR', 5)");
  };

  test('when marketplaces arrive on a database with products and orders, then the old shop becomes marketplace us with its prices, and nothing is lost', async () => {
    await t.db.migrate();
    const after = MIGRATIONS.slice(MIGRATIONS.indexOf('Marketplaces1764240000000'));
    for (let i = 0; i < after.length; i += 1) await t.db.dataSource.undoLastMigration();
    await seedOldCatalogue();
    await t.query("INSERT INTO orders (user_id, status, currency, total, version, created_at, updated_at) VALUES (1, 'pending', 'USD', 3622, 1, '2026-01-01', '2026-01-01')");
    await t.query('INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (1, 9, 7, 299), (1, 1, 1, 1529)');

    expect(await t.db.migrate()).toEqual(after);

    const app = appOn(t.db);
    const order = await request(app).get('/orders/1').set('user_id', '1');
    expect([order.status, order.body.marketplace, order.body.locale, order.body.currency, order.body.total]).toEqual([200, 'us', 'en-US', 'USD', 3622]);
    const marketplace = await request(app).get('/marketplaces/us');
    expect(marketplace.body).toMatchObject({ code: 'us', currency: 'USD', currencyExponent: 2, locales: ['en-US'] });
    // The products' most common currency is the shop's; the one priced in another is not sold until it is priced here.
    const products = await request(app).get('/products').set('user_id', '1');
    expect(products.body.data.map((p: { id: number; price: number; currency: string }) => [p.id, p.price, p.currency])).toEqual([
      [1, 1529, 'USD'],
      [9, 299, 'USD'],
    ]);
    expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM products')).toEqual([{ n: 3 }]);

    for (let i = 0; i < after.length; i += 1) await t.db.dataSource.undoLastMigration();
    expect(await t.query('SELECT id, price, currency FROM products ORDER BY id')).toEqual([
      { id: 1, price: 1529, currency: 'USD' },
      { id: 9, price: 299, currency: 'USD' },
      { id: 30, price: 0, currency: 'USD' },
    ]);
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
    await t.query("INSERT INTO products (name) VALUES ('New')");
    expect(await t.query("SELECT id FROM products WHERE name = 'New'")).toEqual([{ id: 21 }]);
  });

  test('when shipments are split on a database with old orders and shipments, then each moves in whole and nothing is lost', async () => {
    await t.db.migrate();
    // Back to before SplitShipments: undo it and the migrations after it.
    const after = MIGRATIONS.slice(MIGRATIONS.indexOf('SplitShipments1764220000000'));
    for (let i = 0; i < after.length; i += 1) await t.db.dataSource.undoLastMigration();
    await seedOldCatalogue();
    const orders: Array<[string, string | null, string | null]> = [
      ['pending', 'USPS', '23987239825'],
      ['processing', null, null],
      ['shipped', 'ups', '1Z5R89390357567127'],
      ['delivered', null, null],
      ['cancelled', null, null],
      ['shipped', 'DHL 🚚', 'JD0146'],
    ];
    for (const [i, [status, provider, number]] of orders.entries()) {
      const at = `'2026-01-0${i + 1} 10:00:00.000'`;
      await t.query(`INSERT INTO orders (user_id, status, currency, total, created_at, updated_at) VALUES (1, '${status}', 'USD', 3622, '2026-01-01', ${at})`);
      await t.query(`INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (${i + 1}, 9, 7, 299), (${i + 1}, 1, 1, 1529)`);
      if (provider) {
        await t.query(`INSERT INTO shipments (order_id, shipping_provider, tracking_number, created_at, updated_at) VALUES (${i + 1}, ?, ?, ${at}, ${at})`, [provider, number]);
      }
    }

    expect(await t.db.migrate()).toEqual(after);

    const app = appOn(t.db);
    const seen = await Promise.all(orders.map((_, i) => request(app).get(`/orders/${i + 1}`).set('user_id', '1')));
    expect(seen.map((res) => [res.status, res.body.status, res.body.fulfilment, res.body.shipment])).toEqual([
      [200, 'pending', 'fulfilled', { shippingProvider: 'USPS', trackingNumber: '23987239825' }],
      [200, 'processing', 'unfulfilled', null],
      [200, 'shipped', 'shipped', { shippingProvider: 'ups', trackingNumber: '1Z5R89390357567127' }],
      [200, 'delivered', 'delivered', null],
      [200, 'cancelled', 'unfulfilled', null],
      [200, 'shipped', 'shipped', { shippingProvider: 'DHL 🚚', trackingNumber: 'JD0146' }],
    ]);
    const shipments = seen.map((res) => res.body.shipments.map((one: OrderShipment) => [one.status, one.carrier, one.trackingUrl, one.shippedAt, one.deliveredAt, one.lines.map((line) => line.quantity)]));
    expect(shipments).toEqual([
      [['pending', 'USPS', null, null, null, [7, 1]]],
      [],
      [['shipped', 'UPS', 'https://www.ups.com/track?tracknum=1Z5R89390357567127', '2026-01-03T10:00:00.000Z', null, [7, 1]]],
      [['delivered', null, null, '2026-01-04T10:00:00.000Z', '2026-01-04T10:00:00.000Z', [7, 1]]],
      [],
      [['shipped', 'other', null, '2026-01-06T10:00:00.000Z', null, [7, 1]]],
    ]);
    // These old rows were written without their history; every other invariant holds.
    expect((await brokenInvariants(t.query)).filter((broken) => !/event/.test(broken))).toEqual([]);
  });

  describe('constraints', () => {
    const at = "'2026-01-01'";
    beforeEach(async () => {
      await t.db.migrate();
      await seedDevelopmentData(t.db);
      for (const user of [1, 2]) {
        await t.query(`INSERT INTO orders (user_id, status, currency, total, created_at, updated_at) VALUES (${user}, 'pending', 'USD', 100, ${at}, ${at})`);
        await t.query(`INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (${user}, 1, ${3 - user}, 50)`);
      }
      // Order 1 has line 1 (2 units), all in shipment 1; shipment 2 is empty. Order 2 has line 2.
      await t.query(`INSERT INTO shipments (order_id, status, carrier, shipping_provider, tracking_number, created_at, updated_at) VALUES (1, 'pending', 'UPS', 'UPS', '1', ${at}, ${at}), (1, 'pending', NULL, NULL, NULL, ${at}, ${at})`);
      await t.query('INSERT INTO shipment_lines (shipment_id, order_id, order_line_id, quantity) VALUES (1, 1, 1, 2)');
    });

    test.each([
      ['a line with quantity 0', 'INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (1, 2, 0, 100)'],
      ['a line of a missing order', 'INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (999, 1, 1, 100)'],
      ['a line with a negative price', 'INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (1, 2, 1, -1)'],
      ['an order with an unknown status', `INSERT INTO orders (user_id, status, currency, total, created_at, updated_at) VALUES (1, 'lost', 'USD', 0, ${at}, ${at})`],
      ['an order of an unknown user', `INSERT INTO orders (user_id, status, currency, total, created_at, updated_at) VALUES (99, 'pending', 'USD', 0, ${at}, ${at})`],
      ['a second user with the same external id', `INSERT INTO users (name, created_at, external_id) VALUES ('', ${at}, 'sub-1'), ('', ${at}, 'sub-1')`],
      ['a shipment with an unknown status', `INSERT INTO shipments (order_id, status, created_at, updated_at) VALUES (1, 'lost', ${at}, ${at})`],
      ['a shipment with an unknown carrier', `INSERT INTO shipments (order_id, carrier, created_at, updated_at) VALUES (1, 'Pigeon', ${at}, ${at})`],
      ['a tracking number without a carrier', `INSERT INTO shipments (order_id, tracking_number, created_at, updated_at) VALUES (1, '1Z', ${at}, ${at})`],
      ['a shipment line with quantity 0', 'INSERT INTO shipment_lines (shipment_id, order_id, order_line_id, quantity) VALUES (2, 1, 1, 0)'],
      ['a shipment line of another order\'s line', 'INSERT INTO shipment_lines (shipment_id, order_id, order_line_id, quantity) VALUES (2, 1, 2, 1)'],
      ['a shipment line naming another order than its shipment\'s', 'INSERT INTO shipment_lines (shipment_id, order_id, order_line_id, quantity) VALUES (2, 2, 2, 1)'],
      ['an order line in shipments for more than was ordered', 'INSERT INTO shipment_lines (shipment_id, order_id, order_line_id, quantity) VALUES (2, 1, 1, 1)'],
      ['a shipment line raised above what was ordered', 'UPDATE shipment_lines SET quantity = 3 WHERE id = 1'],
    ])('when something writes %s, then the database itself refuses it', async (_case, sql) => {
      await expect(t.query(sql)).rejects.toThrow(/constraint/i);
    });

    test('when a cancelled shipment whose units went to another is brought back, then the database refuses it', async () => {
      await t.query("UPDATE shipments SET status = 'cancelled' WHERE id = 1");
      await t.query('INSERT INTO shipment_lines (shipment_id, order_id, order_line_id, quantity) VALUES (2, 1, 1, 2)');

      await expect(t.query("UPDATE shipments SET status = 'pending' WHERE id = 1")).rejects.toThrow(/constraint/i);
      expect(await t.query('SELECT id, status FROM shipments ORDER BY id')).toEqual([{ id: 1, status: 'cancelled' }, { id: 2, status: 'pending' }]);
    });
  });
});
