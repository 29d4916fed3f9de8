'use strict';
const { Pool } = require('pg');
const { HttpError } = require('./http-error');
const { foldOrders, withShipments, FIND_ORDER, LIST_ORDERS, shipmentsOf, createdEventState } = require('./order-rows');
const { CHANGE_STATUS, FIND_ORDER_FOR_UPDATE, INSERT_STATUS_EVENT, statusChange } = require('./status-change');

/** pg reads timestamps as Dates already. */
const toDate = (value) => value;

/** Named statements: PostgreSQL parses and plans each once per connection. */
const statement = (name, text) => (values) => ({ name, text, values });
const userExists = statement('user_exists', 'SELECT 1 FROM users WHERE id = $1');
const findOrder = statement('find_order', FIND_ORDER);
const listOrders = statement('list_orders', LIST_ORDERS);
const shipments = statement('shipments_of', shipmentsOf('SELECT unnest($1::int[])'));
// The default marketplace's prices, as the service reads them (its listing and its currency).
const prices = statement(
  'prices',
  "SELECT p.id, l.price, m.currency FROM products p JOIN product_listings l ON l.product_id = p.id AND l.marketplace = 'us' AND l.published JOIN marketplaces m ON m.code = l.marketplace WHERE p.id = ANY($1::int[])",
);
const takeStock = statement('take_stock', 'UPDATE products SET stock = stock - $1 WHERE id = $2 AND stock >= $1');
const insertOrder = statement(
  'insert_order',
  "INSERT INTO orders (user_id, status, currency, total, version, created_at, updated_at) VALUES ($1, 'pending', $2, $3, 1, $4, $4) RETURNING id",
);
const insertLines = statement(
  'insert_lines',
  'INSERT INTO order_lines (order_id, product_id, quantity, unit_price) SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[]) RETURNING id, product_id',
);
const insertEvent = statement(
  'insert_event',
  `INSERT INTO order_events (order_id, user_id, order_version, type, actor_user_id, occurred_at, from_state, to_state, published_at)
   VALUES ($1, $2, 1, 'created', $2, $3, NULL, $4, NULL)`,
);
const findOrderForUpdate = statement('find_order_for_update', FIND_ORDER_FOR_UPDATE);
const changeStatus = statement('change_status', CHANGE_STATUS);
const insertStatusEvent = statement('insert_status_event', INSERT_STATUS_EVENT);

/** pg with one pool of the service's default size (DB_POOL_SIZE=10); the default READ COMMITTED. */
async function openPostgresStore(url) {
  const pool = new Pool({ connectionString: url, max: 10 });
  await pool.query('SELECT 1');
  const fold = (rows) => foldOn(pool, rows);

  return {
    kind: 'postgres',
    userExists: async (id) => (await pool.query(userExists([id]))).rowCount === 1,
    findOrder: async (id) => (await fold((await pool.query(findOrder([id]))).rows))[0] ?? null,
    listOrders: async (userId, limit) => fold((await pool.query(listOrders([userId, limit]))).rows),
    createOrder: (userId, lines) => inTransaction(pool, (client) => create(client, userId, lines)),
    changeStatus: (userId, orderId, status) => inTransaction(pool, (client) => moveTo(client, userId, orderId, status)),
    close: () => pool.end(),
  };
}

/** `work(client)` between BEGIN and COMMIT on one pooled connection; rolled back if it throws. */
async function inTransaction(pool, work) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function create(client, userId, lines) {
  const found = await client.query(prices([lines.map((line) => line.productId)]));
  const products = new Map(found.rows.map((row) => [row.id, row]));
  if (lines.some((line) => !products.has(line.productId))) throw new HttpError(422, 'Unknown product.');
  const currencies = new Set(found.rows.map((product) => product.currency));
  if (currencies.size > 1) throw new HttpError(422, 'Mixed currencies.');
  for (const line of [...lines].sort((a, b) => a.productId - b.productId)) {
    if ((await client.query(takeStock([line.quantity, line.productId]))).rowCount === 0) throw new HttpError(409, 'Not enough stock.');
  }
  const at = new Date();
  const priced = lines.map(({ productId, quantity }) => {
    const unitPrice = products.get(productId).price;
    return { productId, quantity, unitPrice, lineTotal: quantity * unitPrice };
  });
  const total = priced.reduce((sum, line) => sum + line.lineTotal, 0);
  const currency = [...currencies][0];
  const { rows } = await client.query(insertOrder([userId, currency, total, at]));
  const id = rows[0].id;
  const inserted = await client.query(insertLines([id, priced.map((l) => l.productId), priced.map((l) => l.quantity), priced.map((l) => l.unitPrice)]));
  const lineIds = new Map(inserted.rows.map((row) => [row.product_id, row.id]));
  const withIds = priced.map((line) => ({ id: lineIds.get(line.productId), ...line })).sort((a, b) => a.id - b.id);
  const order = withShipments({
    id, userId, orderDate: at.toISOString(), updatedAt: at.toISOString(), status: 'pending', version: 1,
    marketplace: 'us', locale: 'en-US', currency, total, products: withIds,
  }, []);
  await client.query(insertEvent([id, userId, at, createdEventState(order)]));
  return order;
}

/** The order read and locked, checked, changed with its event, and read back. */
/** Orders from their rows and their shipments, read through `client` (a transaction's, or the pool). */
async function foldOn(client, rows) {
  const ids = [...new Set(rows.map((row) => row.id))];
  return foldOrders(rows, ids.length ? (await client.query(shipments([ids]))).rows : [], toDate);
}

async function moveTo(client, userId, orderId, status) {
  const found = (await foldOn(client, (await client.query(findOrderForUpdate([orderId]))).rows))[0];
  const change = statusChange(found, userId, status, new Date());
  await client.query(changeStatus(change.update));
  await client.query(insertStatusEvent(change.event));
  return (await foldOn(client, (await client.query(findOrder([orderId]))).rows))[0];
}

module.exports = { openPostgresStore };
