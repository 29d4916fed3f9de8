#!/usr/bin/env node
'use strict';
/**
 * npm run bench:events [-- --quick] [--db sqlite,postgres] [--events N] [--rate R] [--seconds S]
 *
 * What the asynchronous path costs, measured with the compiled service, the compiled worker, an
 * SQS stand-in (fauxqs, a process of its own) and an SMTP server in this process:
 *  1. relay throughput: N events committed at once into the outbox of a running service, the time
 *     until its relay has published every one to the queue (target: 1,000 events/s or more);
 *  2. commit to email: orders at R a second for S seconds through the API, the worker mailing each
 *     owner; per order, from its commit (created_at) to its email arriving (target: p99 under 2 s);
 *  3. POST /orders with the relay publishing to the queue, and with the queue unreachable (the
 *     relay retrying, events waiting in the outbox), against the same without a relay (target:
 *     at least 0.9 of its throughput either way).
 * The service runs on core 0, this process (the load), fauxqs and the SMTP server on core 1, as
 * in `npm run bench`: neither SQS nor the mail server runs on the service's vCPU in production.
 * Results: bench/results/events.json and events.md.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');
const { parseArgs } = require('node:util');
const { freshDatabase, postgresReachable, ROOT } = require('./lib/databases');
const { startEventsService, startWorker, openStore } = require('./lib/event-processes');
const { startQueueServer } = require('./lib/queue-server');
const { startMailCatcher } = require('./lib/mail-catcher');
const { freePort, hasTaskset, pinSelf } = require('./lib/processes');
const { drive, load } = require('./lib/scenarios');

const RESULTS = path.join(__dirname, 'results');
/** The service runs on core 0 (event-processes.js); the load, the queue and the mail catcher on this one. */
const LOAD_CORE = 1;
const TARGETS = { relayEventsPerSecond: 1000, commitToEmailP99Ms: 2000, relayThroughputRatio: 0.9 };

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      db: { type: 'string', default: 'sqlite,postgres' },
      events: { type: 'string' },
      rate: { type: 'string', default: '100' },
      seconds: { type: 'string' },
      rounds: { type: 'string' },
    },
  });
  return {
    databases: values.db.split(',').map((d) => d.trim()),
    events: Number(values.events ?? (values.quick ? 5000 : 20_000)),
    rate: Number(values.rate),
    seconds: Number(values.seconds ?? (values.quick ? 10 : 30)),
    rounds: Number(values.rounds ?? (values.quick ? 1 : 3)),
    loadSeconds: values.quick ? 3 : 10,
  };
}

function log(message) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function main() {
  const settings = options();
  fs.mkdirSync(RESULTS, { recursive: true });
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-bench-events-'));
  log('building the service (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (settings.databases.includes('postgres') && !(await postgresReachable()).ok) throw new Error('PostgreSQL is not reachable; pass --db sqlite');

  const pinned = hasTaskset() && os.cpus().length >= 2;
  if (pinned) pinSelf(LOAD_CORE);
  else log('taskset missing or a single core: processes are not pinned, results are noisier');
  const queues = await startQueueServer(path.join(logDir, 'fauxqs.log'), { core: pinned ? LOAD_CORE : undefined });
  const mail = await startMailCatcher();
  const rows = [];
  try {
    for (const database of settings.databases) {
      rows.push({ database, ...(await benchDatabase(database, settings, { queues, mail, logDir })) });
    }
  } finally {
    await mail.close();
    await queues.stop();
  }
  const report = { finishedAt: new Date().toISOString(), settings, targets: TARGETS, rows, logs: logDir };
  fs.writeFileSync(path.join(RESULTS, 'events.json'), `${JSON.stringify(report, null, 2)}\n`);
  const table = markdown(rows);
  fs.writeFileSync(path.join(RESULTS, 'events.md'), `# npm run bench:events, ${report.finishedAt}\n\n${table}\n`);
  console.log(`\n${table}\n`);
  log(`done: bench/results/events.json, events.md; logs in ${logDir}`);
}

async function benchDatabase(database, settings, { queues, mail, logDir }) {
  return {
    relay: await relayThroughput(database, settings, { queues, logDir }),
    commitToEmail: await commitToEmail(database, settings, { queues, mail, logDir }),
    postOrders: await postOrdersWithRelay(database, settings, { queues, logDir }),
  };
}

/** 1. N events committed in one transaction, the time until the service's relay published them all. */
async function relayThroughput(database, settings, { queues, logDir }) {
  const db = await freshDatabase(database, `relay`);
  const queue = await queues.createQueue(`bench-relay-${database}-${Date.now()}`);
  const service = await startEventsService(database, db, { queue, logFile: path.join(logDir, `relay-${database}.log`) });
  const store = await openStore(database, db);
  try {
    const committedAt = await store.insertEvents(settings.events);
    for (;;) {
      if ((await store.unpublished()) === 0) break;
      if (Date.now() - committedAt > 300_000) throw new Error('the relay did not publish the events within 5 minutes');
      await delay(50);
    }
    const seconds = (Date.now() - committedAt) / 1000;
    const onQueue = await queues.count(queue);
    log(`${database} relay: ${settings.events} events in ${seconds.toFixed(2)} s = ${Math.round(settings.events / seconds)} events/s (queue holds ${onQueue})`);
    return { events: settings.events, seconds, eventsPerSecond: settings.events / seconds, onQueue, met: settings.events / seconds >= TARGETS.relayEventsPerSecond };
  } finally {
    await store.close();
    await service.stop();
    await db.drop();
  }
}

/** 2. Orders at a fixed rate; per order, from its commit to its owner's email arriving. */
async function commitToEmail(database, settings, { queues, mail, logDir }) {
  const db = await freshDatabase(database, `email`);
  const queue = await queues.createQueue(`bench-email-${database}-${Date.now()}`);
  const store = await openStore(database, db);
  await store.giveUsersAddresses();
  const service = await startEventsService(database, db, { queue, logFile: path.join(logDir, `email-api-${database}.log`) });
  const worker = await startWorker(database, db, { queue, smtpPort: mail.port, logFile: path.join(logDir, `email-worker-${database}.log`) });
  mail.reset();
  try {
    const result = await drive({
      url: service.url,
      connections: 10,
      overallRate: settings.rate,
      duration: settings.seconds,
      requests: [createOrders(db.data)],
    });
    const created = await store.ordersCreatedSince(1000);
    const deadline = Date.now() + 60_000;
    while (created.filter((order) => mail.arrivals.has(order.id)).length < created.length && Date.now() < deadline) await delay(100);
    const latencies = created.filter((order) => mail.arrivals.has(order.id)).map((order) => mail.arrivals.get(order.id) - order.createdAt);
    const stats = percentiles(latencies);
    log(`${database} commit→email: ${latencies.length}/${created.length} emails, p50 ${stats.p50} ms, p99 ${stats.p99} ms, max ${stats.max} ms`);
    return {
      orders: created.length,
      emails: latencies.length,
      non2xx: result.non2xx,
      ...stats,
      met: latencies.length === created.length && result.non2xx === 0 && stats.p99 < TARGETS.commitToEmailP99Ms,
    };
  } finally {
    await worker.stop();
    await service.stop();
    await store.close();
    await db.drop();
  }
}

/** 3. POST /orders with the relay publishing, and with its queue down, against the same service without a relay. */
async function postOrdersWithRelay(database, settings, { queues, logDir }) {
  const runs = { withRelay: [], queueDown: [], withoutRelay: [] };
  const variants = Object.keys(runs);
  const queueFor = async (variant) => {
    if (variant === 'withRelay') return queues.createQueue(`bench-post-${database}-${Date.now()}`);
    // Nothing listens on a port just freed: every send is refused, as with an SQS outage.
    if (variant === 'queueDown') {
      const endpoint = `http://127.0.0.1:${await freePort()}`;
      return { url: `${endpoint}/000000000000/down.fifo`, endpoint };
    }
    return undefined;
  };
  for (let round = 0; round < settings.rounds; round++) {
    // Each round starts with another variant, so that none always runs on a warmer machine.
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const variant of order) {
      const db = await freshDatabase(database, `post_${variant.toLowerCase()}`);
      const queue = await queueFor(variant);
      const service = await startEventsService(database, db, { queue, logFile: path.join(logDir, `post-${variant}-${database}.log`) });
      try {
        await load({ url: service.url, scenario: 'create-order', data: db.data, seconds: 1, connections: 50 });
        const result = await load({ url: service.url, scenario: 'create-order', data: db.data, seconds: settings.loadSeconds, connections: 50 });
        runs[variant].push(result.requests.total / result.duration);
        log(`${database} POST /orders ${variant}: ${Math.round(runs[variant].at(-1))} req/s, non-2xx ${result.non2xx}`);
      } finally {
        await service.stop();
        await db.drop();
      }
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ratio = median(runs.withRelay) / median(runs.withoutRelay);
  const queueDownRatio = median(runs.queueDown) / median(runs.withoutRelay);
  return {
    withRelay: median(runs.withRelay),
    queueDown: median(runs.queueDown),
    withoutRelay: median(runs.withoutRelay),
    ratio,
    queueDownRatio,
    met: ratio >= TARGETS.relayThroughputRatio && queueDownRatio >= TARGETS.relayThroughputRatio,
  };
}

/** POST /orders as the users of the seed in turn, one product each. */
function createOrders(data) {
  let next = 0;
  return {
    method: 'POST',
    setupRequest: (req) => {
      const n = next++;
      return {
        ...req,
        path: '/orders',
        headers: { user_id: String(data.users[n % data.users.length]), 'content-type': 'application/json' },
        body: JSON.stringify({ products: [{ id: data.products[n % data.products.length], quantity: 1 }] }),
      };
    },
  };
}

function percentiles(values) {
  if (values.length === 0) return { p50: null, p99: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { p50: Math.round(at(0.5)), p99: Math.round(at(0.99)), max: Math.round(sorted.at(-1)) };
}

function markdown(rows) {
  const yes = (met) => (met ? 'met' : '**missed**');
  const lines = [
    '| Database | Relay events/s (target ≥ 1,000) | Commit → email p50 / p99 / max ms (target p99 < 2,000) | POST /orders req/s without relay / with relay / queue down, ratios (target ≥ 0.9) |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const { relay, commitToEmail: mail, postOrders: post } = row;
    lines.push(
      `| ${row.database} | ${Math.round(relay.eventsPerSecond)} (${yes(relay.met)}) | ${mail.p50} / ${mail.p99} / ${mail.max} (${mail.emails}/${mail.orders} emails; ${yes(mail.met)}) | ` +
        `${Math.round(post.withoutRelay)} / ${Math.round(post.withRelay)} / ${Math.round(post.queueDown)}, ${post.ratio.toFixed(2)} / ${post.queueDownRatio.toFixed(2)} (${yes(post.met)}) |`,
    );
  }
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
