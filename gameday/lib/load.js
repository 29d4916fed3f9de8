'use strict';
/**
 * Clients as the README asks them to behave: creates carry an Idempotency-Key and are retried
 * with it on 503 (after Retry-After), 502/504 and connection errors; a 409 "key in use" waits
 * for the first attempt. Every 201 is recorded, and each client reads its own writes back at
 * once, so a stale read from a lagging replica is caught.
 */
const crypto = require('node:crypto');
const { setTimeout: delay } = require('node:timers/promises');
const http = require('node:http');

const PRODUCTS = 20;
/** A create, a cancel or a read is tried again until this long after it began. */
const GIVE_UP_MS = 60_000;
const RETRIABLE = new Set([502, 503, 504]);

class Load {
  /** `writes`: whether these clients create and cancel, or only browse. */
  constructor({ baseUrl, users, clients, pauseMs, writes }) {
    this.baseUrl = baseUrl;
    this.writes = writes;
    this.users = users;
    this.clients = clients;
    this.pauseMs = pauseMs;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: clients * 2 });
    /** Every create that was answered 201: { key, userId, id, lines }. */
    this.acknowledged = [];
    /** Keys never resolved (given up): their orders, if any, are not duplicates. */
    this.unresolved = [];
    this.cancelled = new Set();
    this.attempts = [];
    this.staleReads = [];
    this.running = false;
  }

  start() {
    this.running = true;
    this.loops = Array.from({ length: this.clients }, (_, i) => this.client(this.users[i % this.users.length], i));
  }

  async stop() {
    this.running = false;
    await Promise.all(this.loops);
  }

  close() {
    this.agent.destroy();
  }

  /** Attempts (every HTTP exchange, retries included) from `since` on: { at, ms, kind, status }. */
  attemptsSince(since) {
    return this.attempts.filter((attempt) => attempt.at >= since);
  }

  async client(userId, index) {
    const mine = [];
    for (let round = index; this.running; round++) {
      const dice = this.writes ? round % 10 : 5 + (round % 5);
      if (dice < 4) {
        const order = await this.create(userId);
        if (order) mine.push(order);
      } else if (dice === 4 && mine.length > 0) {
        await this.cancel(userId, mine.splice(Math.floor(mine.length / 2), 1)[0]);
      } else if (dice < 8) {
        await this.request('read', 'GET', `/orders?limit=5`, userId);
      } else {
        await this.request('read', 'GET', `/products/${1 + (round % PRODUCTS)}`, userId);
      }
      if (this.pauseMs) await delay(this.pauseMs);
    }
  }

  async create(userId) {
    const key = crypto.randomUUID();
    const first = 1 + crypto.randomInt(PRODUCTS);
    const lines = [{ id: first, quantity: 1 + crypto.randomInt(3) }];
    if (crypto.randomInt(2) === 1) lines.push({ id: 1 + (first % PRODUCTS), quantity: 1 + crypto.randomInt(3) });
    const answer = await this.request('write', 'POST', '/orders', userId, { products: lines }, { 'Idempotency-Key': key });
    if (answer?.status !== 201) {
      this.unresolved.push({ key, userId, status: answer?.status });
      return undefined;
    }
    const order = { key, userId, id: answer.body.id, lines, version: answer.body.version };
    this.acknowledged.push(order);
    await this.readBack(userId, order, 'pending');
    return order;
  }

  async cancel(userId, order) {
    const answer = await this.request('write', 'PATCH', `/orders/${order.id}/cancel`, userId);
    // A retry after an unknown outcome finds it cancelled already: 409 says so.
    if (answer?.status === 200 || answer?.status === 409) {
      this.cancelled.add(order.id);
      if (answer.status === 200) await this.readBack(userId, order, 'cancelled');
    }
  }

  /** Read-your-writes: the order just written must read back as written, whichever task answers. */
  async readBack(userId, order, status) {
    const single = await this.request('read', 'GET', `/orders/${order.id}`, userId);
    if (single && (single.status !== 200 || single.body.status !== status)) {
      this.staleReads.push({ how: 'GET /orders/{id}', id: order.id, expected: status, got: single.status === 200 ? single.body.status : single.status });
    }
    if (status !== 'pending') return;
    const list = await this.request('read', 'GET', '/orders?limit=100', userId);
    if (list?.status === 200 && !list.body.data.some((one) => one.id === order.id)) {
      this.staleReads.push({ how: 'GET /orders', id: order.id, expected: 'listed', got: 'missing' });
    }
  }

  /** One logical request, retried as the README tells clients to; resolves with the last answer, or undefined. */
  async request(kind, method, path, userId, body, headers = {}) {
    const began = Date.now();
    for (let attempt = 1; ; attempt++) {
      const at = Date.now();
      let status;
      let answer;
      let retryAfterMs = 100 * Math.min(attempt, 5);
      try {
        const response = await this.exchange(method, path, { user_id: String(userId), ...headers }, body);
        status = response.status;
        answer = { status, body: response.text && /json/.test(response.headers['content-type'] ?? '') ? JSON.parse(response.text) : response.text };
        const retryAfter = Number(response.headers['retry-after']);
        if (retryAfter > 0) retryAfterMs = retryAfter * 1000;
      } catch (error) {
        status = error.code === 'ETIMEDOUT' ? 'timeout' : 'connection';
      }
      this.attempts.push({ at, ms: Date.now() - at, kind, method, status, detail: status === 500 ? answer?.body : undefined });
      const keyInUse = status === 409 && answer?.body?.type?.endsWith('idempotency-key-in-use');
      const retriable = RETRIABLE.has(status) || typeof status === 'string' || keyInUse;
      // Only a request that names its attempt (a key) or changes nothing twice may be sent again.
      const mayRetry = method === 'GET' || headers['Idempotency-Key'] || method === 'PATCH';
      if (!retriable || !mayRetry) return answer;
      if (Date.now() - began > GIVE_UP_MS || !this.running) return answer;
      await delay(retryAfterMs);
    }
  }

  /** One HTTP exchange on the keep-alive agent: { status, headers, text }. */
  exchange(method, path, headers, body) {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(`${this.baseUrl}${path}`, {
        method,
        agent: this.agent,
        timeout: 30_000,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      request.on('error', reject);
      request.on('response', (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
      });
      request.end(payload);
    });
  }
}

module.exports = { Load };
