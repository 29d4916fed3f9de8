'use strict';
/**
 * What the load generator sends. Each scenario spreads its requests over the seeded data (every
 * order, every user), so neither server answers one hot row from its caches.
 */
const autocannon = require('autocannon');

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
};

/** Runs one scenario against `url` for `seconds` with `connections` connections; autocannon's result. */
function load({ url, scenario, data, seconds, connections }) {
  return drive({ url, connections, duration: seconds, requests: [SCENARIOS[scenario].request(data)] });
}

/** autocannon with these options (and a 10 s timeout) until it finishes; its result. */
function drive(options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ timeout: 10, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
    // Responses are not kept; only counted and timed.
    instance.on('error', () => undefined);
  });
}

module.exports = { SCENARIOS, drive, load };
