'use strict';
/**
 * The raw baseline: what GET /orders/{id}, GET /orders, POST /orders and PATCH
 * /orders/{id}/status cost with nothing but node:http and the database driver. It does the same
 * work as the service on the same schema (the service's migrations create it): the same user
 * lookup on every request (header mode, `user_id`), the same ownership rule (someone else's order
 * is a 404), the same JSON, and for a new order the same transaction (BEGIN IMMEDIATE on SQLite):
 * prices read, one conditional stock decrement per product in id order, the order, its lines and
 * its `created` event; for a status change that of status-change.js. No framework, no validation
 * library, no logging, no security headers: it is the floor, not a service.
 *
 *   BASELINE_DB=sqlite:/path/to/file.sqlite | postgres://user@host:5432/db   PORT=...
 */
const http = require('node:http');
const { HttpError } = require('./http-error');
const { openSqliteStore } = require('./sqlite-store');
const { openPostgresStore } = require('./postgres-store');
const { ORDER_STATUSES } = require('./status-change');

const USER_ID = /^[1-9][0-9]{0,9}$/;
const MAX_INT = 2_147_483_647;
const MAX_BODY_BYTES = 100 * 1024;

async function main() {
  const target = process.env.BASELINE_DB ?? '';
  const store = target.startsWith('postgres') ? await openPostgresStore(target) : openSqliteStore(target.replace(/^sqlite:/, ''));
  const server = http.createServer((req, res) => {
    handle(store, req, res).catch((error) => {
      if (!(error instanceof HttpError)) console.error(error);
      const status = error instanceof HttpError ? error.status : 500;
      if (!res.headersSent) send(res, status, { status, detail: error instanceof HttpError ? error.message : 'internal error' });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 3001), process.env.HOST ?? '127.0.0.1', () => {
    console.log(JSON.stringify({ msg: 'baseline listening', port: server.address().port, database: store.kind }));
  });
  const stop = () => server.close(() => store.close().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function handle(store, req, res) {
  const queryAt = req.url.indexOf('?');
  const path = queryAt === -1 ? req.url : req.url.slice(0, queryAt);
  if (path === '/health/ready') return send(res, 200, { status: 'ready' });

  const header = req.headers.user_id;
  const userId = typeof header === 'string' && USER_ID.test(header) ? Number(header) : NaN;
  if (!(userId <= MAX_INT) || !(await store.userExists(userId))) throw new HttpError(401, 'A valid user_id header is required.');

  if (path === '/orders' && req.method === 'GET') {
    const limit = listLimit(queryAt === -1 ? '' : req.url.slice(queryAt + 1));
    const rows = await store.listOrders(userId, limit + 1);
    const data = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? Buffer.from(`v1:${data[data.length - 1].id}`).toString('base64url') : null;
    return send(res, 200, { data, nextCursor });
  }
  if (path === '/orders' && req.method === 'POST') {
    const order = await store.createOrder(userId, parseOrderRequest(await readBody(req)));
    return send(res, 201, order, { ETag: `"${order.version}"`, Location: `/orders/${order.id}` });
  }
  const match = /^\/orders\/([1-9][0-9]{0,9})$/.exec(path);
  if (match && req.method === 'GET') {
    const order = Number(match[1]) <= MAX_INT ? await store.findOrder(Number(match[1])) : null;
    if (!order || order.userId !== userId) throw new HttpError(404, 'Order not found.');
    return send(res, 200, order, { ETag: `"${order.version}"` });
  }
  const change = /^\/orders\/([1-9][0-9]{0,9})\/status$/.exec(path);
  if (change && req.method === 'PATCH') {
    if (Number(change[1]) > MAX_INT) throw new HttpError(404, 'Order not found.');
    const order = await store.changeStatus(userId, Number(change[1]), parseStatusRequest(await readBody(req)));
    return send(res, 200, order, { ETag: `"${order.version}"` });
  }
  throw new HttpError(404, 'No such resource.');
}

function listLimit(query) {
  const limit = new URLSearchParams(query).get('limit');
  if (limit === null) return 20;
  if (!/^[1-9][0-9]{0,2}$/.test(limit) || Number(limit) > 100) throw new HttpError(400, 'limit must be 1-100.');
  return Number(limit);
}

/** The checks the contract makes on a CreateOrderRequest, by hand. */
function parseOrderRequest(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Malformed JSON.');
  }
  const lines = body?.products;
  const valid =
    body !== null && typeof body === 'object' && Object.keys(body).length === 1 &&
    Array.isArray(lines) && lines.length >= 1 && lines.length <= 100 &&
    lines.every((line) =>
      line !== null && typeof line === 'object' && Object.keys(line).length === 2 &&
      Number.isInteger(line.id) && line.id >= 1 && line.id <= MAX_INT &&
      Number.isInteger(line.quantity) && line.quantity >= 1 && line.quantity <= 10_000,
    );
  if (!valid) throw new HttpError(400, 'The body does not match CreateOrderRequest.');
  if (new Set(lines.map((line) => line.id)).size !== lines.length) throw new HttpError(422, 'Duplicate product.');
  return lines.map(({ id, quantity }) => ({ productId: id, quantity }));
}

/** The check the contract makes on a StatusUpdateRequest; the status asked for. */
function parseStatusRequest(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'Malformed JSON.');
  }
  const valid = body !== null && typeof body === 'object' && Object.keys(body).length === 1 && ORDER_STATUSES.includes(body.status);
  if (!valid) throw new HttpError(400, 'The body does not match StatusUpdateRequest.');
  return body.status;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'Body too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, body, headers = {}) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
