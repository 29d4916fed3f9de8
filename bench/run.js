#!/usr/bin/env node
'use strict';
/**
 * npm run bench [-- --quick] [--db sqlite,postgres] [--scenario get-order,list-orders,create-order,hot-product,change-status]
 *               [--rounds N] [--seconds S] [--warmup S] [--connections C] [--profile] [--service-only]
 *
 * Builds the service, then per database: fresh databases (the service's migrations, the same
 * seed), the compiled service in production mode (header auth, logging at info to a file, the
 * real middleware chain) and the raw baseline (bench/baseline), each pinned to core 0 while this
 * process (autocannon) runs on core 1. PostgreSQL is a server of the benchmark's own, pinned to
 * core 0 as well (bench/lib/pg-cluster.js), so its work is paid for out of the servers' core; each
 * server counts its database calls (bench/lib/query-counter.js), and pg_stat_statements the
 * statements. It checks that both answer alike, then measures each
 * scenario in rounds alternating which server goes first (A B, B A, ...), each run a warm-up then
 * a fixed-length measured run. Results: bench/results/latest.json and latest.md.
 *
 * --profile writes a V8 CPU profile of the service per scenario into bench/results/profiles/
 * (`node bench/profile-summary.js <file>` lists the top costs); it implies --service-only.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { freshDatabase, postgresReachable, ROOT } = require('./lib/databases');
const { affinityOf, postgresBinDir, startBenchCluster } = require('./lib/pg-cluster');
const { compareAnswers } = require('./lib/parity');
const { hasTaskset, machineBusySeconds, memoryOf, pinSelf, processCpuSeconds, SERVICE_NODE_ARGS, startServer } = require('./lib/processes');
const { markdownReport, markdownTable, summarize } = require('./lib/report');
const { load, pendingOrdersNeeded, SCENARIOS } = require('./lib/scenarios');

const RESULTS = path.join(__dirname, 'results');
const SERVER_CORE = 0;
const LOAD_CORE = 1;

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      db: { type: 'string', default: 'sqlite,postgres' },
      scenario: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string', default: '50' },
      profile: { type: 'boolean', default: false },
      'service-only': { type: 'boolean', default: false },
    },
  });
  const number = (value, fallback) => (value === undefined ? fallback : Number(value));
  const settings = {
    databases: values.db.split(',').map((d) => d.trim()),
    scenarios: values.scenario.split(',').map((s) => s.trim()),
    rounds: number(values.rounds, values.quick ? 2 : 3),
    seconds: number(values.seconds, values.quick ? 2 : 10),
    warmupSeconds: number(values.warmup, values.quick ? 1 : 3),
    connections: number(values.connections, 50),
    profile: values.profile,
    servers: values.profile || values['service-only'] ? ['service'] : ['service', 'baseline'],
  };
  for (const scenario of settings.scenarios) if (!SCENARIOS[scenario]) throw new Error(`unknown scenario ${scenario}`);
  for (const database of settings.databases) if (!['sqlite', 'postgres'].includes(database)) throw new Error(`unknown database ${database}`);
  return settings;
}

function log(message) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function main() {
  const settings = options();
  const started = Date.now();
  fs.mkdirSync(RESULTS, { recursive: true });
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-bench-logs-'));

  log('building the service (npm run build)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });

  const pinned = hasTaskset() && os.cpus().length >= 2;
  if (pinned) pinSelf(LOAD_CORE);
  else log('taskset missing or a single core: processes are not pinned, results are noisier');

  const runs = [];
  let postgres = null;
  for (const database of settings.databases) {
    let cluster;
    if (database === 'postgres') ({ cluster, postgres } = await openPostgres(pinned));
    try {
      // One set of processes per database; with --profile one per scenario, so each profile is one scenario's.
      const groups = settings.profile ? settings.scenarios.map((s) => [s]) : [settings.scenarios];
      for (const scenarios of groups) {
        runs.push(...(await benchDatabase(database, scenarios, settings, { pinned, logDir, adminUrl: postgres?.url })));
      }
    } finally {
      await cluster?.stop();
    }
  }

  const rows = summarize(runs);
  const meta = {
    finishedAt: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: { cpuModel: cpuModel(), cores: os.cpus().length, node: process.version, platform: `${os.type()} ${os.release()}` },
    settings: { ...settings, serverCore: pinned ? SERVER_CORE : null, loadCore: pinned ? LOAD_CORE : null },
    postgres: postgres && { dedicated: postgres.dedicated, core: postgres.core },
    logs: logDir,
  };
  fs.writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify({ meta, rows, runs }, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS, 'latest.md'), markdownReport({ meta, rows }));
  console.log(`\n${markdownTable(rows)}\n`);
  log(`done in ${meta.durationSeconds} s: bench/results/latest.json, bench/results/latest.md; server logs in ${logDir}`);
  const missed = rows.filter((row) => row.met === false);
  if (missed.length) log(`targets missed: ${missed.map((row) => `${row.database} ${row.scenario}`).join(', ')}`);
}

/**
 * The PostgreSQL server for the runs: by default one of the benchmark's own, started pinned to the
 * servers' core so that the database's CPU is the server's to pay (bench/lib/pg-cluster.js), with
 * pg_stat_statements. BENCH_POSTGRES_URL uses a running server instead, unpinned, and without
 * pg_stat_statements unless that server loads it.
 */
async function openPostgres(pinned) {
  if (process.env.BENCH_POSTGRES_URL || !postgresBinDir()) {
    const reachable = await postgresReachable();
    if (!reachable.ok) throw new Error(`PostgreSQL is not reachable (${reachable.reason}); set BENCH_POSTGRES_URL or pass --db sqlite`);
    log(`postgres: a running server (${process.env.BENCH_POSTGRES_URL ? 'BENCH_POSTGRES_URL' : 'no server binaries to start one: the default URL'}), not pinned: its CPU is not charged to the servers' core`);
    return { cluster: null, postgres: { url: undefined, dedicated: false, core: null } };
  }
  const cluster = await startBenchCluster({ core: pinned ? SERVER_CORE : undefined });
  // A benchmark stopped with Ctrl-C must not leave its server running (stop() is synchronous inside).
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => cluster.stop().finally(() => process.exit(130)));
  log(`postgres: a server of the benchmark's own (${cluster.url}), pinned to core ${pinned ? SERVER_CORE : 'none'}, with pg_stat_statements`);
  return { cluster, postgres: { url: cluster.url, dedicated: true, core: cluster.core ?? null } };
}

async function benchDatabase(database, scenarios, settings, { pinned, logDir, adminUrl }) {
  const seed = scenarios.includes('change-status') ? { pendingOrders: pendingOrdersNeeded({ database, ...settings }) } : {};
  log(`${database}: fresh databases, migrated and seeded${seed.pendingOrders ? ` with ${seed.pendingOrders} pending orders to change` : ''}`);
  const dbs = {};
  const servers = {};
  const runs = [];
  try {
    for (const server of settings.servers) dbs[server] = await freshDatabase(database, server, seed, { adminUrl });
    if (dbs.service) servers.service = await startService(database, dbs.service, settings, { pinned, logDir, scenarios });
    if (dbs.baseline) servers.baseline = await startBaseline(database, dbs.baseline, { pinned, logDir });
    if (servers.service && servers.baseline) {
      const differences = await compareAnswers(servers.service.url, servers.baseline.url);
      if (differences.length) throw new Error(`the service and the baseline answer differently:\n${JSON.stringify(differences, null, 2)}`);
      log(`${database}: the service and the baseline give the same answers`);
    }
    if (database === 'postgres' && adminUrl && pinned) {
      const pids = await (dbs.service ?? dbs.baseline).backendPids();
      if (pids.length) log(`postgres: backends run on CPU ${[...new Set(pids.map(affinityOf))].join(', ')}`);
    }
    for (const scenario of scenarios) {
      for (let round = 0; round < settings.rounds; round++) {
        const order = round % 2 === 0 ? settings.servers : [...settings.servers].reverse();
        for (const name of order) {
          const run = await measure({ database, scenario, round, server: servers[name], name, db: dbs[name], settings });
          runs.push(run);
          log(
            `${database} ${scenario} round ${round + 1}/${settings.rounds} ${name.padEnd(8)} ` +
              `${Math.round(run.reqPerSec)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, non-2xx ${run.non2xx}, errors ${run.errors}, ` +
              `statements/req ${perRequest(run.statementsPerRequest)}, round trips/req ${perRequest(run.roundTripsPerRequest)}, ` +
              `CPU µs/req ${Math.round(run.serverCpuUsPerRequest ?? NaN)} + db ${Math.round(run.databaseCpuUsPerRequest ?? NaN)}, ` +
              `peak RSS ${run.peakRssMb.toFixed(1)} MB, CPU server ${run.serverCpuPct.toFixed(0)}% db ${run.databaseCpuPct.toFixed(0)}% ` +
              `load ${run.loadCpuPct.toFixed(0)}% other ${run.otherCpuPct.toFixed(1)}%`,
          );
        }
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
    for (const db of Object.values(dbs)) await db.drop();
  }
  return runs;
}

function startService(database, db, settings, { pinned, logDir, scenarios }) {
  const profileArgs = settings.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(RESULTS, 'profiles')}`, `--cpu-prof-name=service-${database}-${scenarios[0]}-${Date.now()}.cpuprofile`]
    : [];
  return startServer({
    name: 'service',
    // The node options of the Dockerfile's CMD; BENCH_SERVICE_NODE_ARGS replaces them, to try V8 settings.
    args: [...profileArgs, ...(process.env.BENCH_SERVICE_NODE_ARGS ?? SERVICE_NODE_ARGS).split(' ').filter(Boolean), path.join(ROOT, 'dist', 'service', 'main.js')],
    env: {
      ...db.serviceEnv,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      // The baseline identifies callers the same way: a user_id header naming a users row.
      AUTH_MODE: 'header',
      ALLOW_INSECURE_HEADER_AUTH: 'true',
      // The baseline publishes nothing: the request path alone is compared. What the relay costs
      // the API is npm run bench:events's to measure.
      RELAY_ENABLED: 'false',
      // Production mails through SES by default; a benchmark sends nothing anywhere.
      MAIL_TRANSPORT: 'file',
      MAIL_DIR: path.join(logDir, 'mail'),
    },
    core: pinned ? SERVER_CORE : undefined,
    logFile: path.join(logDir, `service-${database}.log`),
    // Not while profiling: SQLite's native time would show as the counter's.
    countQueries: !settings.profile,
  });
}

function startBaseline(database, db, { pinned, logDir }) {
  return startServer({
    name: 'baseline',
    args: [path.join(__dirname, 'baseline', 'server.js')],
    env: { ...db.baselineEnv, NODE_ENV: 'production' },
    core: pinned ? SERVER_CORE : undefined,
    logFile: path.join(logDir, `baseline-${database}.log`),
    countQueries: true,
  });
}

async function measure({ database, scenario, round, server, name, db, settings }) {
  const target = { url: server.url, scenario, data: db.data, connections: settings.connections };
  if (settings.warmupSeconds > 0) await load({ ...target, seconds: settings.warmupSeconds });

  // The warm-up's last requests are finished before counting starts, and the run's before it ends.
  const countsBefore = await settled(server);
  const statementsBefore = await db.statements();
  const backendsBefore = await db.backendPids();
  const before = {
    at: process.hrtime.bigint(),
    machine: machineBusySeconds(),
    server: processCpuSeconds(server.pid),
    load: processCpuSeconds(process.pid),
    backends: new Map(backendsBefore.map((pid) => [pid, processCpuSeconds(pid)])),
  };
  const result = await load({ ...target, seconds: settings.seconds });
  const backendsAfter = await db.backendPids();
  const elapsed = Number(process.hrtime.bigint() - before.at) / 1e9;
  const serverCpu = processCpuSeconds(server.pid) - before.server;
  const loadCpu = processCpuSeconds(process.pid) - before.load;
  // A backend that connected during the run counts from zero.
  const databaseCpu = [...new Set([...backendsBefore, ...backendsAfter])].reduce(
    (total, pid) => total + Math.max(0, processCpuSeconds(pid) - (before.backends.get(pid) ?? 0)),
    0,
  );
  const otherCpu = Math.max(0, machineBusySeconds() - before.machine - serverCpu - loadCpu - databaseCpu);
  const percent = (seconds) => (100 * seconds) / elapsed;
  const memory = memoryOf(server.pid);
  const countsAfter = await settled(server);
  const statementsAfter = await db.statements();
  // Per request sent: those still in flight when the run ended were answered to no one, but made their calls.
  const requests = result.requests.sent ?? result.requests.total;
  const per = (before, after) => (before === null || after === null || !requests ? null : (after - before) / requests);
  const calls = (key) => per(countsBefore?.[key] ?? null, countsAfter?.[key] ?? null);
  return {
    database,
    scenario,
    round: round + 1,
    server: name,
    seconds: result.duration,
    requests: result.requests.total,
    reqPerSec: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    status2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    peakRssMb: memory.peakRssMb,
    rssMb: memory.rssMb,
    serverCpuPct: percent(serverCpu),
    loadCpuPct: percent(loadCpu),
    databaseCpuPct: percent(databaseCpu),
    otherCpuPct: percent(otherCpu),
    // PostgreSQL: what the server ran (pg_stat_statements), or failing that what was sent; SQLite:
    // the statements better-sqlite3 ran. Round trips: the pg driver's queries (none on SQLite).
    // The core's time each request cost: the server's and its database backends'.
    serverCpuUsPerRequest: result.requests.total ? (1e6 * serverCpu) / result.requests.total : null,
    databaseCpuUsPerRequest: result.requests.total ? (1e6 * databaseCpu) / result.requests.total : null,
    statementsPerRequest: database === 'postgres' ? per(statementsBefore, statementsAfter) ?? calls('pgQueries') : calls('sqliteStatements'),
    roundTripsPerRequest: database === 'postgres' ? calls('pgQueries') : null,
  };
}

/** The server's database calls once they stop changing (its last requests answered), at most 2 s on. */
async function settled(server) {
  let last = await server.counts();
  for (let waited = 0; last && waited < 2000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await server.counts();
    if (now.pgQueries === last.pgQueries && now.sqliteStatements === last.sqliteStatements) break;
    last = now;
  }
  return last;
}

function perRequest(value) {
  return value === null || value === undefined ? '-' : value.toFixed(2);
}

function cpuModel() {
  const match = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  return match ? match[1].trim() : os.cpus()[0]?.model ?? 'unknown';
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
