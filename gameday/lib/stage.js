'use strict';
/**
 * The miniature of production on loopback: HAProxy as the ALB and as Aurora's two endpoints,
 * a synchronous writer/standby pair, the event pipeline, and three service tasks.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { ROOT } = require('../../bench/lib/databases');
const { freePort } = require('../../bench/lib/processes');
const { seedPostgres } = require('../../bench/lib/seed');
const { onCleanup } = require('./cleanup');
const { DatabasePair, DATABASE } = require('./database-pair');
const { EventPipeline } = require('./event-pipeline');
const { Fleet } = require('./fleet');
const { ensureHaproxy, startHaproxy } = require('./haproxy');

const TASKS = 3;

/** Builds and starts everything; each piece registers its own cleanup. `log` narrates. */
async function buildStage({ timing, quick, keep, log }) {
  ensureHaproxy();
  if (compiledIsCurrent()) log('dist/ is newer than every source: not compiling again');
  else {
    log('compiling the service (npm run build)');
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-gameday-'));
  // The servers run as postgres when we are root: they must reach their directories.
  fs.chmodSync(dir, 0o755);
  if (!keep) onCleanup('run directory', () => fs.rmSync(dir, { recursive: true, force: true }));
  log(`run directory ${dir}`);

  log('PostgreSQL writer and synchronous standby');
  const pair = await DatabasePair.create(dir);
  const ports = { webPort: await freePort(), writerPort: await freePort(), readerPort: await freePort() };
  const lb = await startHaproxy({ dir, ports, databases: pair.servers, quick });
  log(`HAProxy: http://127.0.0.1:${ports.webPort} (ALB), writer :${ports.writerPort}, reader :${ports.readerPort}`);

  const endpoint = (port) => `postgres://postgres@127.0.0.1:${port}/${DATABASE}`;
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    AUTH_MODE: 'header',
    ALLOW_INSECURE_HEADER_AUTH: 'true',
    SEED_DEV_DATA: 'false',
    DATABASE_URL: endpoint(ports.writerPort),
    DATABASE_READER_URL: endpoint(ports.readerPort),
    DB_CONNECT_TIMEOUT_MS: '2000',
    MAIL_TRANSPORT: 'file',
    MAIL_DIR: path.join(dir, 'api-mail'),
  };
  log('migrations and the benchmark seed, through the writer endpoint');
  execFileSync(process.execPath, [path.join(ROOT, 'dist', 'service', 'migrate-command.js')], { env, stdio: 'pipe' });
  await seedPostgres(env.DATABASE_URL, {});
  await giveUsersAddresses(env.DATABASE_URL);

  log(`event pipeline (fauxqs, relay, worker) and ${TASKS} service tasks`);
  const fleet = new Fleet({ lb, env: { ...env, RELAY_ENABLED: 'false', WORKER_EMBEDDED: 'false' }, dir, timing, log });
  const [pipeline] = await Promise.all([EventPipeline.start({ dir, env }), ...Array.from({ length: TASKS }, () => fleet.launch())]);
  return { dir, url: `http://127.0.0.1:${ports.webPort}`, lb, pair, pipeline, fleet, timing };
}

/** Whether dist/service/main.js is newer than every file the build reads (tsc rewrites it on every build). */
function compiledIsCurrent() {
  const main = path.join(ROOT, 'dist', 'service', 'main.js');
  if (!fs.existsSync(main)) return false;
  const built = fs.statSync(main).mtimeMs;
  const sources = ['openapi.yaml', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((file) => path.join(ROOT, file));
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
  return [...sources, ...walk(path.join(ROOT, 'service'))].every((file) => fs.statSync(file).mtimeMs < built);
}

/** The notifications consumer mails only users with an address. */
async function giveUsersAddresses(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query("UPDATE users SET email = 'gameday-user-' || id || '@example.com'");
  await client.end();
}

module.exports = { buildStage };
