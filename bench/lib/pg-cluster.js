'use strict';
/**
 * A PostgreSQL server of the benchmark's own, started under `taskset -c <core>`: the postmaster and
 * every process it forks (each connection's backend, the WAL writer, the checkpointer, autovacuum)
 * inherit that affinity, so all of the database's work for a run lands on the server's core and is
 * paid for out of the same CPU, as it would be on one production vCPU. Pinning backends one by one
 * after the pools connect would miss the background processes and any connection made later.
 *
 * It loads pg_stat_statements (it must be in shared_preload_libraries, which the shared server on
 * 5432 does not have), so the benchmark can count the statements each request costs. Durability
 * settings are PostgreSQL's defaults (fsync, synchronous_commit on), as production and the shared
 * server have them.
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./processes');

/** Where Debian keeps the server binaries, newest version first; undefined without them. */
function postgresBinDir() {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find((dir) => fs.existsSync(path.join(dir, 'initdb')));
}

/** initdb and the server refuse to run as root: as root, run them as the postgres user. */
function asOwner(command, args, { core } = {}) {
  const asRoot = process.getuid?.() === 0;
  const pinned = core === undefined ? [] : ['taskset', '-c', String(core)];
  const line = [...pinned, ...(asRoot ? ['runuser', '-u', 'postgres', '--'] : []), command, ...args];
  execFileSync(line[0], line.slice(1), { stdio: 'pipe' });
}

/**
 * initdb + start on a free port, pinned to `core` when given. Returns its admin URL, its log file
 * and `stop()` (fast shutdown, then the directory is removed).
 */
async function startBenchCluster({ core } = {}) {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (initdb, pg_ctl); set BENCH_POSTGRES_URL to use a running server');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-bench-pg-'));
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const port = await freePort();
  asOwner(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  const settings = [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${dir}'`,
    'max_connections = 100',
    "shared_preload_libraries = 'pg_stat_statements'",
    // What a client sends, not what its triggers run inside it: a statement is one the service sent.
    "pg_stat_statements.track = 'top'",
    'pg_stat_statements.max = 10000',
  ];
  fs.appendFileSync(path.join(data, 'postgresql.conf'), `\n${settings.join('\n')}\n`);
  asOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-w', '-t', '60', 'start'], { core });
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const { Client } = require('pg');
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await admin.end();
  return {
    url,
    logFile,
    core,
    stop: async () => {
      spawnSync(process.getuid?.() === 0 ? 'runuser' : path.join(bin, 'pg_ctl'), [
        ...(process.getuid?.() === 0 ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl')] : []),
        '-D', data, '-m', 'fast', '-w', 'stop',
      ], { stdio: 'ignore' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The CPUs a process may run on, as taskset reports them ("0", "0-1"). */
function affinityOf(pid) {
  return execFileSync('taskset', ['-c', '-p', String(pid)]).toString().split(':').pop().trim();
}

module.exports = { startBenchCluster, postgresBinDir, affinityOf };
