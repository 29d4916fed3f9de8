'use strict';
/** The events benchmark's processes: the compiled service and worker, and a direct line to their database. */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { ROOT } = require('./databases');
const { hasTaskset, SERVICE_NODE_ARGS, startServer } = require('./processes');

const SERVER_CORE = 0;

/** The compiled service as in production (header auth for the load), its relay to `queue` or off without one. */
function startEventsService(database, db, { queue, logFile }) {
  return startServer({
    name: 'service',
    args: [...SERVICE_NODE_ARGS.split(' '), path.join(ROOT, 'dist', 'service', 'main.js')],
    env: {
      ...productionEnv(db, queue),
      RELAY_ENABLED: queue ? 'true' : 'false',
      MAIL_TRANSPORT: 'file',
      MAIL_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'order-bench-mail-')),
    },
    core: hasTaskset() ? SERVER_CORE : undefined,
    logFile,
  });
}

/** The compiled worker on `queue`, mailing through the SMTP server on `smtpPort`; resolves once it consumes. */
async function startWorker(_database, db, { queue, smtpPort, logFile }) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS.split(' '), path.join(ROOT, 'dist', 'service', 'worker.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      ...productionEnv(db, queue),
      RELAY_ENABLED: 'false',
      WORKER_WAIT_SECONDS: '1',
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: 'orders@example.com',
    },
    stdio: ['ignore', 'pipe', out],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      fs.appendFileSync(logFile, `${line}\n`);
      if (line.includes('worker consuming order events')) resolve();
    });
    void exited.then((code) => reject(new Error(`the worker exited (${code}); see ${logFile}`)));
  });
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      fs.closeSync(out);
    },
  };
}

/**
 * What both processes run with: production settings on the bench's database and queue, and header
 * auth (the load names its users; every process validates the whole configuration, and
 * production's default, JWT, would need an issuer).
 */
function productionEnv(db, queue) {
  return { ...db.serviceEnv, ...queueEnv(queue), NODE_ENV: 'production', LOG_LEVEL: 'info', AUTH_MODE: 'header', ALLOW_INSECURE_HEADER_AUTH: 'true' };
}

function queueEnv(queue) {
  return queue ? { QUEUE_URL: queue.url, SQS_ENDPOINT: queue.endpoint, AWS_REGION: 'us-east-1' } : {};
}

/** SQL the benchmark runs on the service's database from outside: outbox load, addresses, what was created. */
async function openStore(database, db) {
  return database === 'postgres' ? openPostgresStore(db.serviceEnv.DATABASE_URL) : openSqliteStore(db.serviceEnv.SQLITE_PATH);
}

/** Event i is a status change of seeded order (i mod 1000) + 1. */
function eventRows(count) {
  const at = new Date();
  return Array.from({ length: count }, (_, i) => {
    const orderId = (i % 1000) + 1;
    return { orderId, userId: ((orderId - 1) % 50) + 1, version: 100 + Math.floor(i / 1000), at };
  });
}

function openSqliteStore(file) {
  const Database = require('better-sqlite3');
  const db = new Database(file, { timeout: 5000 });
  const text = (date) => date.toISOString().replace('T', ' ').replace('Z', '');
  return {
    insertEvents: async (count) => {
      const insert = db.prepare(
        `INSERT INTO order_events (order_id, user_id, order_version, type, actor_user_id, occurred_at, from_state, to_state, published_at)
         VALUES (?, ?, ?, 'status_changed', ?, ?, '{"status":"pending"}', '{"status":"processing"}', NULL)`,
      );
      db.transaction(() => {
        for (const e of eventRows(count)) insert.run(e.orderId, e.userId, e.version, e.userId, text(e.at));
      }).immediate();
      return Date.now();
    },
    unpublished: async () => db.prepare('SELECT COUNT(*) AS n FROM order_events WHERE published_at IS NULL').get().n,
    giveUsersAddresses: async () => void db.prepare("UPDATE users SET email = 'bench-user-' || id || '@example.com'").run(),
    ordersCreatedSince: async (afterId) =>
      db.prepare('SELECT id, created_at FROM orders WHERE id > ?').all(afterId).map((row) => ({ id: row.id, createdAt: Date.parse(`${row.created_at.replace(' ', 'T')}Z`) })),
    close: async () => db.close(),
  };
}

async function openPostgresStore(url) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    insertEvents: async (count) => {
      const rows = eventRows(count);
      await client.query(
        `INSERT INTO order_events (order_id, user_id, order_version, type, actor_user_id, occurred_at, from_state, to_state, published_at)
         SELECT o, u, v, 'status_changed', u, $4, '{"status":"pending"}', '{"status":"processing"}', NULL FROM unnest($1::int[], $2::int[], $3::int[]) AS t(o, u, v)`,
        [rows.map((e) => e.orderId), rows.map((e) => e.userId), rows.map((e) => e.version), rows[0].at],
      );
      return Date.now();
    },
    unpublished: async () => Number((await client.query('SELECT COUNT(*) AS n FROM order_events WHERE published_at IS NULL')).rows[0].n),
    giveUsersAddresses: async () => void (await client.query("UPDATE users SET email = 'bench-user-' || id || '@example.com'")),
    ordersCreatedSince: async (afterId) =>
      (await client.query('SELECT id, created_at FROM orders WHERE id > $1', [afterId])).rows.map((row) => ({ id: row.id, createdAt: row.created_at.getTime() })),
    close: () => client.end(),
  };
}

module.exports = { startEventsService, startWorker, openStore };
