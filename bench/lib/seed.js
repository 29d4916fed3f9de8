'use strict';
/**
 * The benchmark's data, identical in every database: 50 users with 20 orders each (1,000 orders
 * of 1-3 lines, every status, a shipment on the shipped and delivered ones) and 20 products with
 * stock that a benchmark never runs out of. On request, pending orders for the change-status
 * scenario to move on, of one line each, owned by 50 more users that no other scenario uses.
 * Deterministic, so the service and the baseline read the very same orders.
 */
const USERS = 50;
const ORDERS_PER_USER = 20;
const ORDERS = USERS * ORDERS_PER_USER;
const PENDING_ORDER_USERS = 50;
const PRODUCTS = 20;
const STOCK = 1_000_000_000;
const STATUSES = ['pending', 'processing', 'shipped', 'delivered', 'cancelled'];
const VERSION_OF = { pending: 1, processing: 2, shipped: 4, delivered: 5, cancelled: 2 };
const EPOCH = Date.UTC(2026, 0, 1);

/** `pendingOrders`: how many pending orders to add after the others, for status changes. */
function benchData({ pendingOrders = 0 } = {}) {
  const userCount = USERS + (pendingOrders > 0 ? PENDING_ORDER_USERS : 0);
  const users = Array.from({ length: userCount }, (_, i) => ({ id: i + 1, name: `Bench user ${i + 1}`, createdAt: new Date(EPOCH) }));
  const products = Array.from({ length: PRODUCTS }, (_, i) => ({
    id: i + 1,
    name: `Bench product ${i + 1}`,
    price: 100 + ((i * 379) % 5000),
    currency: 'USD',
    stock: STOCK,
  }));
  const orders = [];
  const lines = [];
  const shipments = [];
  const shipmentLines = [];
  for (let id = 1; id <= ORDERS; id++) {
    const status = STATUSES[id % STATUSES.length];
    const at = new Date(EPOCH + id * 60_000);
    let total = 0;
    for (let k = 0; k <= id % 3; k++) {
      const product = products[(id + k * 7) % PRODUCTS];
      const quantity = 1 + ((id + k) % 4);
      lines.push({ id: lines.length + 1, orderId: id, productId: product.id, quantity, unitPrice: product.price });
      total += quantity * product.price;
    }
    const updatedAt = new Date(at.getTime() + (VERSION_OF[status] - 1) * 1000);
    orders.push({ id, userId: ((id - 1) % USERS) + 1, status, currency: 'USD', total, version: VERSION_OF[status], createdAt: at, updatedAt });
    if (status === 'shipped' || status === 'delivered') {
      // One shipment holding every line, in the order's status, as the service keeps a shipped order.
      const shipmentId = shipments.length + 1;
      shipments.push({
        id: shipmentId, orderId: id, status, carrier: 'USPS', shippingProvider: 'USPS', trackingNumber: `9400${String(id).padStart(8, '0')}`,
        createdAt: updatedAt, updatedAt, shippedAt: updatedAt, deliveredAt: status === 'delivered' ? updatedAt : null,
      });
      for (const line of lines.filter((one) => one.orderId === id)) {
        shipmentLines.push({ id: shipmentLines.length + 1, shipmentId, orderId: id, orderLineId: line.id, quantity: line.quantity });
      }
    }
  }
  for (let id = ORDERS + 1; id <= ORDERS + pendingOrders; id++) {
    const at = new Date(EPOCH + id * 60_000);
    const product = products[id % PRODUCTS];
    const quantity = 1 + (id % 4);
    lines.push({ id: lines.length + 1, orderId: id, productId: product.id, quantity, unitPrice: product.price });
    const userId = USERS + ((id - 1) % PENDING_ORDER_USERS) + 1;
    orders.push({ id, userId, status: 'pending', currency: 'USD', total: quantity * product.price, version: 1, createdAt: at, updatedAt: at });
  }
  return { users, products, orders, lines, shipments, shipmentLines };
}

const SHIPMENT_COLUMNS = [
  'id', 'order_id', 'status', 'carrier', 'shipping_provider', 'tracking_number', 'created_at', 'updated_at', 'shipped_at', 'delivered_at',
];
const SHIPMENT_LINE_COLUMNS = ['id', 'shipment_id', 'order_id', 'order_line_id', 'quantity'];

/** TypeORM writes SQLite timestamps as UTC text without a zone; the service reads them back as UTC. */
const sqliteTime = (date) => date.toISOString().replace('T', ' ').replace('Z', '');

/** Loads the data into a migrated, empty SQLite file; `options` as benchData's. */
function seedSqlite(file, options) {
  const Database = require('better-sqlite3');
  const db = new Database(file);
  const data = benchData(options);
  const insert = (table, columns, rows, values) => {
    const statement = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    for (const row of rows) statement.run(...values(row));
  };
  db.transaction(() => {
    insert('users', ['id', 'name', 'created_at'], data.users, (u) => [u.id, u.name, sqliteTime(u.createdAt)]);
    insert('products', ['id', 'name', 'stock'], data.products, (p) => [p.id, p.name, p.stock]);
    insert('product_listings', ['product_id', 'marketplace', 'price'], data.products, (p) => [p.id, 'us', p.price]);
    insert('orders', ['id', 'user_id', 'status', 'currency', 'total', 'version', 'created_at', 'updated_at'], data.orders, (o) => [
      o.id, o.userId, o.status, o.currency, o.total, o.version, sqliteTime(o.createdAt), sqliteTime(o.updatedAt),
    ]);
    insert('order_lines', ['id', 'order_id', 'product_id', 'quantity', 'unit_price'], data.lines, (l) => [l.id, l.orderId, l.productId, l.quantity, l.unitPrice]);
    insert('shipments', SHIPMENT_COLUMNS, data.shipments, (s) => [
      s.id, s.orderId, s.status, s.carrier, s.shippingProvider, s.trackingNumber, sqliteTime(s.createdAt), sqliteTime(s.updatedAt),
      sqliteTime(s.shippedAt), s.deliveredAt && sqliteTime(s.deliveredAt),
    ]);
    insert('shipment_lines', SHIPMENT_LINE_COLUMNS, data.shipmentLines, (l) => [l.id, l.shipmentId, l.orderId, l.orderLineId, l.quantity]);
  })();
  db.close();
  return summary(data);
}

/**
 * Loads the data into a migrated, empty PostgreSQL database, then moves the id sequences past it;
 * `options` as benchData's.
 */
async function seedPostgres(url, options) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  const data = benchData(options);
  const insert = (table, columns, types, rows, values) => {
    const arrays = columns.map((_, index) => rows.map((row) => values(row)[index]));
    const unnest = types.map((type, index) => `$${index + 1}::${type}[]`).join(', ');
    return client.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${unnest})`, arrays);
  };
  try {
    await client.query('BEGIN');
    await insert('users', ['id', 'name', 'created_at'], ['int', 'text', 'timestamptz'], data.users, (u) => [u.id, u.name, u.createdAt]);
    await insert('products', ['id', 'name', 'stock'], ['int', 'text', 'int'], data.products, (p) => [p.id, p.name, p.stock]);
    await insert('product_listings', ['product_id', 'marketplace', 'price'], ['int', 'text', 'int'], data.products, (p) => [p.id, 'us', p.price]);
    await insert(
      'orders',
      ['id', 'user_id', 'status', 'currency', 'total', 'version', 'created_at', 'updated_at'],
      ['int', 'int', 'text', 'text', 'bigint', 'int', 'timestamptz', 'timestamptz'],
      data.orders,
      (o) => [o.id, o.userId, o.status, o.currency, o.total, o.version, o.createdAt, o.updatedAt],
    );
    await insert('order_lines', ['id', 'order_id', 'product_id', 'quantity', 'unit_price'], ['int', 'int', 'int', 'int', 'int'], data.lines, (l) => [
      l.id, l.orderId, l.productId, l.quantity, l.unitPrice,
    ]);
    await insert(
      'shipments',
      SHIPMENT_COLUMNS,
      ['int', 'int', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'timestamptz', 'timestamptz'],
      data.shipments,
      (s) => [s.id, s.orderId, s.status, s.carrier, s.shippingProvider, s.trackingNumber, s.createdAt, s.updatedAt, s.shippedAt, s.deliveredAt],
    );
    await insert('shipment_lines', SHIPMENT_LINE_COLUMNS, ['int', 'int', 'int', 'int', 'int'], data.shipmentLines, (l) => [
      l.id, l.shipmentId, l.orderId, l.orderLineId, l.quantity,
    ]);
    for (const table of ['users', 'products', 'orders', 'order_lines', 'shipments', 'shipment_lines']) {
      await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT MAX(id) FROM ${table}))`);
    }
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return summary(data);
}

/**
 * What the load generator needs to know about the data. `users` and `orders` are the first 50
 * users and their 1,000 orders; `pendingOrders` are the orders for status changes, in id order.
 */
function summary(data) {
  const owned = (orders) => orders.map((o) => ({ id: o.id, userId: o.userId }));
  return {
    users: data.users.slice(0, USERS).map((u) => u.id),
    orders: owned(data.orders.slice(0, ORDERS)),
    pendingOrders: owned(data.orders.slice(ORDERS)),
    products: data.products.map((p) => p.id),
  };
}

module.exports = { benchData, seedSqlite, seedPostgres, USERS, ORDERS_PER_USER };
