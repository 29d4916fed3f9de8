'use strict';
/**
 * Fresh databases for one benchmark run, one per server: the service's own migrations create the
 * schema (dist/service/migrate-command.js), then the same data is loaded into each. `seed` is
 * what seed.js's benchData takes (`pendingOrders`).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { seedPostgres, seedSqlite } = require('./seed');

const ROOT = path.resolve(__dirname, '..', '..');
const MIGRATE = path.join(ROOT, 'dist', 'service', 'migrate-command.js');
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function migrate(env) {
  execFileSync(process.execPath, [MIGRATE], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env }, stdio: 'pipe' });
}

/** A new SQLite file, migrated and seeded. `env` is what the service needs to use it. */
async function freshSqlite(name, seed) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `order-bench-${name}-`));
  const file = path.join(dir, 'orders.sqlite');
  migrate({ SQLITE_PATH: file });
  const data = seedSqlite(file, seed);
  return {
    data,
    serviceEnv: { SQLITE_PATH: file },
    baselineEnv: { BASELINE_DB: `sqlite:${file}` },
    backendPids: async () => [],
    // SQLite's statements are counted in the server's process (query-counter.js).
    statements: async () => null,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A new database on the PostgreSQL server of `adminUrl` (an admin connection; by default
 * BENCH_POSTGRES_URL, else the local server's `postgres` database), migrated and seeded; dropped
 * by `drop()`.
 */
async function freshPostgres(name, seed, adminUrl = process.env.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL) {
  const { Client } = require('pg');
  const database = `order_bench_${name}_${process.pid}_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  migrate({ DATABASE_URL: url.toString(), DB_STARTUP_RETRY_MS: '0' });
  const data = await seedPostgres(url.toString(), seed);
  return {
    data,
    serviceEnv: { DATABASE_URL: url.toString() },
    baselineEnv: { BASELINE_DB: url.toString() },
    /** The server processes serving this database's connections, whose CPU is the database's. */
    backendPids: async () =>
      (await admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])).rows.map(
        (row) => row.pid,
      ),
    /**
     * Statements the server has run in this database so far (pg_stat_statements' calls, top-level
     * ones: what clients sent, BEGIN and COMMIT included); null where that extension is not loaded.
     */
    statements: async () => {
      try {
        const { rows } = await admin.query(
          'SELECT COALESCE(SUM(s.calls), 0)::bigint AS calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1',
          [database],
        );
        return Number(rows[0].calls);
      } catch {
        return null;
      }
    },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** `adminUrl`: the PostgreSQL server to create it on (see freshPostgres). */
function freshDatabase(kind, name, seed = {}, { adminUrl } = {}) {
  return kind === 'postgres' ? freshPostgres(name, seed, adminUrl) : freshSqlite(name, seed);
}

/** Whether the PostgreSQL server answers, and if not why. */
async function postgresReachable(url = process.env.BENCH_POSTGRES_URL || DEFAULT_POSTGRES_URL) {
  const { Client } = require('pg');
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error.message };
  }
}

module.exports = { freshDatabase, postgresReachable, ROOT };
