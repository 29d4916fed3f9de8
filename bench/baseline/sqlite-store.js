'use strict';
const Database = require('better-sqlite3');
const { HttpError } = require('./http-error');
const { foldOrders, withShipments, FIND_ORDER, LIST_ORDERS, shipmentsOf, createdEventState } = require('./order-rows');
const { CHANGE_STATUS, INSERT_STATUS_EVENT, statusChange } = require('./status-change');

/** `$1, $2` (written once, for both databases) to SQLite's `?`; each placeholder is used once, in order. */
const positional = (sql) => sql.replace(/\$[0-9]+/g, '?');

/** TypeORM writes SQLite timestamps as UTC text, "2026-11-26 10:15:30.000". */
const toDate = (text) => new Date(`${text.replace(' ', 'T')}Z`);
const toText = (date) => date.toISOString().replace('T', ' ').replace('Z', '');

/** better-sqlite3 with prepared statements; the service's pragmas (WAL, synchronous=NORMAL, foreign keys). */
function openSqliteStore(file) {
  const db = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');

  const userExists = db.prepare('SELECT 1 FROM users WHERE id = ?').pluck();
  const findOrder = db.prepare(positional(FIND_ORDER));
  const listOrders = db.prepare(positional(LIST_ORDERS));
  const pricesOf = new Map();
  const shipmentsOfCount = new Map();
  const shipments = (ids) => {
    if (!ids.length) return [];
    let statement = shipmentsOfCount.get(ids.length);
    if (!statement) {
      statement = db.prepare(shipmentsOf(ids.map(() => '?').join(', ')));
      shipmentsOfCount.set(ids.length, statement);
    }
    return statement.all(...ids);
  };
  const fold = (rows) => foldOrders(rows, shipments([...new Set(rows.map((row) => row.id))]), toDate);
  const takeStock = db.prepare('UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?');
  const insertOrder = db.prepare(
    "INSERT INTO orders (user_id, status, currency, total, version, created_at, updated_at) VALUES (?, 'pending', ?, ?, 1, ?, ?)",
  );
  const insertLine = db.prepare('INSERT INTO order_lines (order_id, product_id, quantity, unit_price) VALUES (?, ?, ?, ?)');
  const insertEvent = db.prepare(
    `INSERT INTO order_events (order_id, user_id, order_version, type, actor_user_id, occurred_at, from_state, to_state, published_at)
     VALUES (?, ?, 1, 'created', ?, ?, NULL, ?, NULL)`,
  );

  const changeStatus = db.prepare(positional(CHANGE_STATUS));
  const insertStatusEvent = db.prepare(positional(INSERT_STATUS_EVENT));

  const prices = (ids) => {
    let statement = pricesOf.get(ids.length);
    if (!statement) {
      // The default marketplace's prices, as the service reads them (its listing and its currency).
      statement = db.prepare(
        "SELECT p.id, l.price, m.currency FROM products p JOIN product_listings l ON l.product_id = p.id AND l.marketplace = 'us' AND l.published = 1 " +
          `JOIN marketplaces m ON m.code = l.marketplace WHERE p.id IN (${ids.map(() => '?').join(', ')})`,
      );
      pricesOf.set(ids.length, statement);
    }
    return new Map(statement.all(...ids).map((row) => [row.id, row]));
  };

  /** BEGIN IMMEDIATE, like the service's writes; an HttpError rolls it back. */
  const create = db.transaction((userId, lines) => {
    const products = prices(lines.map((line) => line.productId));
    if (lines.some((line) => !products.has(line.productId))) throw new HttpError(422, 'Unknown product.');
    const currencies = new Set([...products.values()].map((product) => product.currency));
    if (currencies.size > 1) throw new HttpError(422, 'Mixed currencies.');
    for (const line of [...lines].sort((a, b) => a.productId - b.productId)) {
      if (takeStock.run(line.quantity, line.productId, line.quantity).changes === 0) {
        throw new HttpError(409, 'Not enough stock.');
      }
    }
    const at = new Date();
    const priced = lines.map(({ productId, quantity }) => {
      const unitPrice = products.get(productId).price;
      return { productId, quantity, unitPrice, lineTotal: quantity * unitPrice };
    });
    const total = priced.reduce((sum, line) => sum + line.lineTotal, 0);
    const currency = [...currencies][0];
    const id = Number(insertOrder.run(userId, currency, total, toText(at), toText(at)).lastInsertRowid);
    const withIds = priced.map((line) => ({ id: Number(insertLine.run(id, line.productId, line.quantity, line.unitPrice).lastInsertRowid), ...line }));
    const order = withShipments({
      id, userId, orderDate: at.toISOString(), updatedAt: at.toISOString(), status: 'pending', version: 1,
      marketplace: 'us', locale: 'en-US', currency, total, products: withIds,
    }, []);
    insertEvent.run(id, userId, userId, toText(at), createdEventState(order));
    return order;
  }).immediate;

  /** BEGIN IMMEDIATE: the order is read under the write lock, as the service's change reads it. */
  const moveTo = db.transaction((userId, orderId, status) => {
    const change = statusChange(fold(findOrder.all(orderId))[0], userId, status, toText(new Date()));
    changeStatus.run(...change.update);
    insertStatusEvent.run(...change.event);
    return fold(findOrder.all(orderId))[0];
  }).immediate;

  return {
    kind: 'sqlite',
    userExists: async (id) => userExists.get(id) !== undefined,
    findOrder: async (id) => fold(findOrder.all(id))[0] ?? null,
    listOrders: async (userId, limit) => fold(listOrders.all(userId, limit)),
    createOrder: async (userId, lines) => create(userId, lines),
    changeStatus: async (userId, orderId, status) => moveTo(userId, orderId, status),
    close: async () => db.close(),
  };
}

module.exports = { openSqliteStore };
