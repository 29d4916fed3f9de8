'use strict';
/**
 * Before any timing: the service and the baseline, on identical data, must give the same answers
 * (status, ETag, Location, body less the new order's timestamps) to what the benchmark sends.
 * Otherwise the comparison would not be of the same work.
 */
const { isDeepStrictEqual } = require('node:util');

const PROBES = [
  { name: 'GET /orders/{id}', method: 'GET', path: '/orders/3', userId: 3 },
  { name: "GET /orders/{id} (someone else's)", method: 'GET', path: '/orders/3', userId: 4 },
  { name: 'GET /orders', method: 'GET', path: '/orders', userId: 7 },
  { name: 'POST /orders', method: 'POST', path: '/orders', userId: 2, body: { products: [{ id: 12, quantity: 2 }, { id: 5, quantity: 1 }] } },
  { name: 'GET /orders/{id} (the new one)', method: 'GET', path: '/orders/1001', userId: 2 },
];

async function ask(url, probe) {
  const response = await fetch(url + probe.path, {
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

/** Returns the differences (empty when both agree); mutates both databases the same way (one new order). */
async function compareAnswers(serviceUrl, baselineUrl) {
  const differences = [];
  for (const probe of PROBES) {
    const [service, baseline] = [await ask(serviceUrl, probe), await ask(baselineUrl, probe)];
    if (!isDeepStrictEqual(service, baseline)) {
      differences.push({ probe: probe.name, service, baseline });
    }
  }
  return differences;
}

module.exports = { compareAnswers, PROBES };
