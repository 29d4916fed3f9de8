'use strict';
/**
 * One layer-cake of the service's own stack, answering GET /orders/{id} with a constant order, and
 * GET /orders with a constant page (orders-page.json: a seeded user's 20 orders as the service
 * lists them, 8 KB), and no database: FLOOR_STAGE picks how many of the service's layers run in front of the handler, in
 * the service's order (service/app.ts), using the service's compiled modules.
 *   raw        node:http and JSON.stringify
 *   express    + Express 5's router and res.json
 *   logging    + pino-http as the service configures it, at info, to a file through its buffer
 *   helmet     + helmet's headers
 *   validator  + express.json and express-openapi-validator on openapi.yaml, as the service runs it
 */
const http = require('node:http');
const path = require('node:path');

const DIST = path.join(__dirname, '..', '..', 'dist', 'service');
const STAGES = ['raw', 'express', 'logging', 'helmet', 'validator'];
const stage = process.env.FLOOR_STAGE;
if (!STAGES.includes(stage)) throw new Error(`FLOOR_STAGE must be one of ${STAGES.join(', ')}`);
// The heap setting the service applies at start (service/main.ts), so memory compares too.
require(path.join(DIST, 'heap-settings')).limitHeapGrowth();

/** About the size of a seeded order: two lines and a shipment. */
const ORDER = {
  id: 1,
  userId: 1,
  status: 'shipped',
  lines: [
    { productId: 3, quantity: 2, unitPrice: '19.99' },
    { productId: 7, quantity: 1, unitPrice: '5.00' },
  ],
  shipment: { shippingProvider: 'USPS', trackingNumber: '23987239825' },
  total: '44.98',
  createdAt: '2026-11-26T12:00:00.000Z',
  updatedAt: '2026-11-26T12:00:00.000Z',
};

const PAGE = require('./orders-page.json');

function rawServer() {
  return http.createServer((req, res) => {
    const body = JSON.stringify(bodyOf(req.url));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
}

function bodyOf(url) {
  if (url === '/health/ready') return { status: 'ok' };
  if (url.startsWith('/orders?') || url === '/orders') return PAGE;
  return { ...ORDER, id: Number(url.slice('/orders/'.length)) };
}

function expressServer() {
  const express = require('express');
  const app = express();
  app.disable('x-powered-by');
  const at = (name) => STAGES.indexOf(stage) >= STAGES.indexOf(name);
  if (at('logging')) {
    const { bufferedStdout, createLogger, httpLogger } = require(path.join(DIST, 'http', 'logger'));
    app.use(httpLogger(createLogger('info', bufferedStdout())));
  }
  if (at('helmet')) app.use(require('helmet')());
  if (at('validator')) {
    const { loadContract } = require(path.join(DIST, 'contract'));
    const { contractValidator } = require(path.join(DIST, 'http', 'contract-validator'));
    app.use(express.json());
    app.use(contractValidator(loadContract(), false));
  }
  app.get('/health/ready', (_req, res) => res.json({ status: 'ok' }));
  app.get('/orders/:id', (req, res) => res.json({ ...ORDER, id: Number(req.params.id) }));
  // The service sets a list's ETag itself (from its ids and versions), so Express hashes no body.
  app.get('/orders', (_req, res) => res.set('ETag', 'W/"page"').json(PAGE));
  return http.createServer(app);
}

(stage === 'raw' ? rawServer() : expressServer()).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
