'use strict';
/**
 * Before any timing: the service and the baseline, on identical data, must give the same answers
 * (status, ETag, Location, body less the new order's timestamps) to what the benchmark sends.
 * Otherwise the comparison would not be of the same work.
 */
const { isDeepStrictEqual } = require('node:util');

/**
 * What each server is asked, in order. A `path` function gets the server's answer to the probe
 * before. Orders 5, 10 and 15 are pending and belong to users 5, 10 and 15 (seed.js).
 */
const PROBES = [
  { name: 'GET /orders/{id}', method: 'GET', path: '/orders/3', userId: 3 },
  { name: "GET /orders/{id} (someone else's)", method: 'GET', path: '/orders/3', userId: 4 },
  { name: 'GET /orders', method: 'GET', path: '/orders', userId: 7 },
  { name: 'POST /orders', method: 'POST', path: '/orders', userId: 2, body: { products: [{ id: 12, quantity: 2 }, { id: 5, quantity: 1 }] } },
  { name: 'GET /orders/{id} (the new one)', method: 'GET', path: (before) => before.location, userId: 2 },
  { name: 'PATCH /orders/{id}/status', method: 'PATCH', path: '/orders/5/status', userId: 5, body: { status: 'processing' } },
  { name: 'PATCH /orders/{id}/status (the step again)', method: 'PATCH', path: '/orders/5/status', userId: 5, body: { status: 'processing' } },
  { name: 'GET /orders/{id} (the changed one)', method: 'GET', path: '/orders/5', userId: 5 },
  { name: "PATCH /orders/{id}/status (someone else's)", method: 'PATCH', path: '/orders/10/status', userId: 11, body: { status: 'processing' } },
  { name: 'PATCH /orders/{id}/status (skipping a step)', method: 'PATCH', path: '/orders/15/status', userId: 15, body: { status: 'shipped' } },
];

async function ask(url, probe, before) {
  const response = await fetch(url + (typeof probe.path === 'function' ? probe.path(before) : probe.path), {
    method: probe.method,
    headers: { user_id: String(probe.userId), ...(probe.body && { 'content-type': 'application/json' }) },
    body: probe.body && JSON.stringify(probe.body),
  });
  const body = await response.json();
  const etag = response.headers.get('etag');
  return {
    status: response.status,
    // Express adds a weak ETag (a hash of the body) to answers that set none: not the order's version.
    etag: etag?.startsWith('W/') ? null : etag,
    location: response.headers.get('location'),
    // Errors differ in wording (the baseline has no problem+json details); their status is what counts.
    body: response.status >= 400 ? undefined : withoutTimestamps(body),
  };
}

/** A new order's timestamps are "now" on each server. */
function withoutTimestamps(body) {
  if (body === null || typeof body !== 'object') return body;
  if (Array.isArray(body)) return body.map(withoutTimestamps);
  const copy = {};
  for (const [key, value] of Object.entries(body)) {
    if (key !== 'orderDate' && key !== 'updatedAt') copy[key] = withoutTimestamps(value);
  }
  return copy;
}

/**
 * Returns the differences (empty when both agree). Mutates both databases the same way: one new
 * order, order 5 moved to processing with its event; no pending order of change-status is touched.
 */
async function compareAnswers(serviceUrl, baselineUrl) {
  const differences = [];
  let service;
  let baseline;
  for (const probe of PROBES) {
    [service, baseline] = [await ask(serviceUrl, probe, service), await ask(baselineUrl, probe, baseline)];
    if (!isDeepStrictEqual(service, baseline)) {
      differences.push({ probe: probe.name, service, baseline });
    }
  }
  return differences;
}

module.exports = { compareAnswers, PROBES };
