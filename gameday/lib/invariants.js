'use strict';
/**
 * What must hold in the database after every scenario, read straight from the writer: no
 * acknowledged order lost, one order per Idempotency-Key, and stock conserved.
 */
const { Client } = require('pg');

/** Per product: stock left plus units held by orders that are not cancelled (constant under any mix of orders and cancels). */
const STOCK_BALANCE = `
  SELECT p.id, p.stock + COALESCE(SUM(l.quantity) FILTER (WHERE o.status <> 'cancelled'), 0) AS balance
  FROM products p LEFT JOIN order_lines l ON l.product_id = p.id LEFT JOIN orders o ON o.id = l.order_id
  GROUP BY p.id, p.stock ORDER BY p.id`;

async function withClient(url, work) {
  const client = new Client({ connectionString: url, application_name: 'gameday-check' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Taken before any load: the stock balance and the last order id seeded. */
function baselineOf(url) {
  return withClient(url, async (client) => ({
    balance: new Map((await client.query(STOCK_BALANCE)).rows.map((row) => [row.id, Number(row.balance)])),
    lastSeededOrder: Number((await client.query('SELECT COALESCE(MAX(id), 0) AS id FROM orders')).rows[0].id),
  }));
}

/**
 * `acknowledged`: every 201 the clients got ({ key, userId, id, lines }). Returns counts of lost
 * orders, duplicates and products whose stock does not balance, with examples.
 */
function checkOrders(url, baseline, acknowledged) {
  return withClient(url, async (client) => {
    const lines = await client.query('SELECT order_id, product_id, quantity FROM order_lines WHERE order_id > $1', [baseline.lastSeededOrder]);
    const stored = new Map();
    for (const row of lines.rows) {
      const key = row.order_id;
      if (!stored.has(key)) stored.set(key, new Map());
      stored.get(key).set(row.product_id, row.quantity);
    }
    const lost = acknowledged.filter((order) => !sameLines(stored.get(order.id), order.lines));

    const keys = await client.query("SELECT user_id, idempotency_key, location FROM idempotency_keys WHERE response_status = 201");
    const orderOfKey = new Map(keys.rows.map((row) => [`${row.user_id}/${row.idempotency_key}`, Number(row.location.split('/').pop())]));
    const keyed = new Set(orderOfKey.values());
    const orders = await client.query('SELECT id FROM orders WHERE id > $1', [baseline.lastSeededOrder]);
    // An order no key points at was made by a retry that did not find its first attempt.
    const orphans = orders.rows.map((row) => row.id).filter((id) => !keyed.has(id));
    const answeredTwice = acknowledged.filter((order) => orderOfKey.get(`${order.userId}/${order.key}`) !== order.id);

    const balance = (await client.query(STOCK_BALANCE)).rows;
    const unbalanced = balance.filter((row) => Number(row.balance) !== baseline.balance.get(row.id));
    return {
      orders: orders.rows.length,
      lost: lost.length,
      duplicates: orphans.length + answeredTwice.length,
      unbalanced: unbalanced.length,
      examples: { lost: lost.slice(0, 3), orphans: orphans.slice(0, 3), answeredTwice: answeredTwice.slice(0, 3), unbalanced: unbalanced.slice(0, 3) },
    };
  });
}

function sameLines(stored, lines) {
  return stored !== undefined && stored.size === lines.length && lines.every((line) => stored.get(line.id) === line.quantity);
}

/**
 * Every event was handled exactly once by every consumer: one inbox row and at most one
 * notification per (event, kind); mails counted against the notifications sent. `listMails` is
 * called after the rows are counted: a mail is written before its row commits, so mails counted
 * later can only be as many or more, never fewer for a worker still at work.
 */
function checkEvents(url, listMails) {
  return withClient(url, async (client) => {
    const one = async (sql) => Number((await client.query(sql)).rows[0].n);
    const counts = {
      events: await one('SELECT COUNT(*) AS n FROM order_events'),
      unpublished: await one('SELECT COUNT(*) AS n FROM order_events WHERE published_at IS NULL'),
      unhandled: await one("SELECT COUNT(*) AS n FROM order_events e WHERE NOT EXISTS (SELECT 1 FROM inbox i WHERE i.event_id = e.id AND i.consumer = 'notifications')"),
      handledTwice: await one("SELECT COUNT(*) AS n FROM (SELECT event_id FROM inbox GROUP BY consumer, event_id HAVING COUNT(*) > 1) twice"),
      notifiedTwice: await one('SELECT COUNT(*) AS n FROM (SELECT event_id FROM notifications GROUP BY event_id, kind HAVING COUNT(*) > 1) twice'),
      sent: await one("SELECT COUNT(*) AS n FROM notifications WHERE status = 'sent'"),
    };
    return { ...counts, mails: listMails().length };
  });
}

module.exports = { baselineOf, checkOrders, checkEvents };
