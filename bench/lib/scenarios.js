'use strict';
/**
 * What the load generator sends. Each scenario spreads its requests over the seeded data (every
 * order, every user), so neither server answers one hot row from its caches.
 */
const autocannon = require('autocannon');

/** The forward steps of a pending order (service/orders/order-status.ts), one request each. */
const STEPS = ['processing', 'shipped', 'delivered'];

/** The product every hot-product order is for: the first seeded one. */
const HOT_PRODUCT_INDEX = 0;

/**
 * More status changes a second than either server makes on that database, so that the pending
 * orders seeded for it last every run of a benchmark: at least twice what the baseline's POST
 * /orders (a transaction of like size) reaches on a quiet machine (docs/performance.md).
 */
const MOST_CHANGES_PER_SECOND = { sqlite: 12_000, postgres: 6_000 };

/** At least this many, so that the changes are spread over many rows, as the reads are. */
const MIN_PENDING_ORDERS = 10_000;

/**
 * Per server's database (its seed summary), across its runs: the orders whose next step may be
 * sent, oldest first (an order is queued again only once its last step was answered), and how
 * many of them have been sent.
 */
const readyOrders = new WeakMap();

const SCENARIOS = {
  'get-order': {
    title: 'GET /orders/{id}',
    /** Each of the 1,000 orders in turn, asked for by its owner. */
    request: (data) => {
      let next = 0;
      return {
        method: 'GET',
        setupRequest: (req) => {
          const order = data.orders[next++ % data.orders.length];
          return { ...req, path: `/orders/${order.id}`, headers: { user_id: String(order.userId) } };
        },
      };
    },
  },
  'list-orders': {
    title: 'GET /orders',
    /** Each user's first page (their 20 orders) in turn. */
    request: (data) => {
      let next = 0;
      return {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: '/orders', headers: { user_id: String(data.users[next++ % data.users.length]) } }),
      };
    },
  },
  'create-order': {
    title: 'POST /orders',
    /** Two products with one or two units each, from every user in turn (stock never runs out). */
    request: (data) => {
      let next = 0;
      return {
        method: 'POST',
        setupRequest: (req) => {
          const n = next++;
          const first = data.products[n % data.products.length];
          const second = data.products[(n + 7) % data.products.length];
          return {
            ...req,
            path: '/orders',
            headers: { user_id: String(data.users[n % data.users.length]), 'content-type': 'application/json' },
            body: JSON.stringify({ products: [{ id: first, quantity: 1 + (n % 2) }, { id: second, quantity: 1 }] }),
          };
        },
      };
    },
  },
  'hot-product': {
    title: 'POST /orders (one hot product)',
    /**
     * Every order for one unit of the same product, from every user in turn: with 50 at once, each
     * takes its stock from the one row, so the writes queue on that row's lock (PostgreSQL) or on
     * the database's one writer (SQLite). Its stock does not run out within a benchmark.
     */
    request: (data) => {
      let next = 0;
      const body = JSON.stringify({ products: [{ id: data.products[HOT_PRODUCT_INDEX], quantity: 1 }] });
      return {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: '/orders',
          headers: { user_id: String(data.users[next++ % data.users.length]), 'content-type': 'application/json' },
          body,
        }),
      };
    },
  },
  'change-status': {
    title: 'PATCH /orders/{id}/status',
    /**
     * Each pending order one step on, asked by its owner: every order to processing, then every
     * order to shipped, then to delivered. An order's next step is sent only after its last one was
     * answered 200, never while it may still be on its way (a connection opened late sends its
     * first request late; one closed at the end of a run sends nothing more), so none is refused
     * with 409. Once no order is left to move on, `fail` is told and the rest of the run only reads.
     */
    request: (data, fail) => {
      let ready = readyOrders.get(data);
      if (!ready) {
        if (!data.pendingOrders.length) throw new Error('change-status needs pending orders: seed with pendingOrdersNeeded()');
        ready = { orders: data.pendingOrders.map((order) => ({ ...order, step: 0 })), sent: 0 };
        readyOrders.set(data, ready);
      }
      return {
        method: 'PATCH',
        setupRequest: (req, context) => {
          const order = ready.orders[ready.sent];
          context.order = order;
          if (!order) {
            fail(new Error('change-status ran out of pending orders to move on: raise MOST_CHANGES_PER_SECOND in bench/lib/scenarios.js'));
            const { id, userId } = data.pendingOrders[0];
            return { ...req, method: 'GET', path: `/orders/${id}`, headers: { user_id: String(userId) } };
          }
          ready.sent++;
          const headers = { user_id: String(order.userId), 'content-type': 'application/json' };
          return { ...req, path: `/orders/${order.id}/status`, headers, body: JSON.stringify({ status: STEPS[order.step] }) };
        },
        onResponse: (status, _body, context) => {
          const order = context.order;
          if (status === 200 && order && order.step + 1 < STEPS.length) ready.orders.push({ ...order, step: order.step + 1 });
        },
      };
    },
  },
};

/**
 * How many pending orders change-status needs in each server's database for a whole benchmark:
 * the warm-up and measured runs of every round at MOST_CHANGES_PER_SECOND, three changes an order.
 */
function pendingOrdersNeeded({ database, rounds, seconds, warmupSeconds }) {
  const changes = MOST_CHANGES_PER_SECOND[database] * rounds * (seconds + warmupSeconds);
  return Math.max(MIN_PENDING_ORDERS, Math.ceil(changes / STEPS.length));
}

/**
 * Runs one scenario against `url` for `seconds` with `connections` connections; autocannon's
 * result. Rejects when the scenario could not send what it should have.
 */
async function load({ url, scenario, data, seconds, connections }) {
  let failure;
  const request = SCENARIOS[scenario].request(data, (error) => {
    failure ??= error;
  });
  const result = await drive({ url, connections, duration: seconds, requests: [request] });
  if (failure) throw failure;
  return result;
}

/** autocannon with these options (and a 10 s timeout) until it finishes; its result. */
function drive(options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ timeout: 10, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
    // Responses are not kept; only counted and timed.
    instance.on('error', () => undefined);
  });
}

module.exports = { SCENARIOS, drive, load, pendingOrdersNeeded };
