'use strict';
/**
 * One throw-away PostgreSQL server in the run's temp dir (initdb or pg_basebackup, pg_ctl), as
 * test/helpers/pg-cluster.ts makes them, but durable enough for a failover: commits wait for the
 * synchronous standby once `requireSyncStandby` is on.
 */
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');
const { Client } = require('pg');
const { cleaningUp } = require('./cleanup');

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

function binDir() {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => path.join(root, v, 'bin')).find((candidate) => fs.existsSync(path.join(candidate, 'initdb')));
  if (!dir) throw new Error('the game day needs the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) under /usr/lib/postgresql');
  return dir;
}

/** initdb and the server refuse to run as root: run them as postgres when we are root. */
async function as(command, args, cwd) {
  const bin = path.join(binDir(), command);
  return run(asRoot ? 'runuser' : bin, asRoot ? ['-u', 'postgres', '--', bin, ...args] : args, { cwd });
}

class PgServer {
  constructor(name, dir, port) {
    this.name = name;
    this.dir = dir;
    this.port = port;
  }

  get dataDir() {
    return path.join(this.dir, 'data');
  }

  get logFile() {
    return path.join(this.dir, 'server.log');
  }

  /** A new primary in `dir` (owned by postgres when we are root). */
  async initPrimary() {
    await as('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], this.dir);
    this.configure([]);
    await this.start();
  }

  /** Replaces whatever is in dataDir with a hot standby of `primary`, streaming from it directly. */
  async initStandbyOf(primary) {
    fs.rmSync(this.dataDir, { recursive: true, force: true });
    await as('pg_basebackup', [
      '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', this.dataDir, '-R', '-X', 'stream', '--checkpoint=fast',
    ], this.dir);
    // The copy carries the primary's postgresql.auto.conf: a standby neither waits for nor delays anything.
    fs.writeFileSync(path.join(this.dataDir, 'postgresql.auto.conf'), autoConf(primary, this.name));
    this.configure([]);
    await this.start();
  }

  configure(lines) {
    const settings = [
      `port = ${this.port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${this.dir}'`,
      'wal_level = replica',
      'max_wal_senders = 5',
      'hot_standby = on',
      'max_connections = 200',
      // A process crash (what the game day injects) keeps the OS's buffers: fsync buys nothing here.
      'fsync = off',
      'synchronous_commit = on',
      "log_min_messages = 'warning'",
      ...lines,
    ];
    fs.appendFileSync(path.join(this.dataDir, 'postgresql.conf'), `\n${settings.join('\n')}\n`);
  }

  async start() {
    if (cleaningUp()) throw new Error(`not starting ${this.name}: the run is stopping`);
    await as('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', 'start'], this.dir);
  }

  /** `immediate` is a crash: no checkpoint, clients cut off, as when a database host dies. */
  async stop(mode = 'fast') {
    await as('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', 'stop'], this.dir);
  }

  async promote() {
    await as('pg_ctl', ['-D', this.dataDir, '-w', 'promote'], this.dir);
  }

  async isRunning() {
    return as('pg_ctl', ['-D', this.dataDir, 'status'], this.dir).then(() => true, () => false);
  }

  url(database = 'postgres') {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** One statement as the superuser; returns the rows. */
  async sql(statement, params = [], database = 'postgres') {
    const client = new Client({ connectionString: this.url(database), application_name: 'gameday', connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return (await client.query(statement, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** ALTER SYSTEM then reload: the setting takes effect without a restart. */
  async setting(name, value) {
    await this.sql(`ALTER SYSTEM SET ${name} = '${value}'`);
    await this.sql('SELECT pg_reload_conf()');
  }
}

function autoConf(primary, name) {
  return `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=${name}'\n`;
}

/** A directory for one server, owned by whoever runs the server. */
async function serverDir(parent, name) {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  if (asRoot) await run('chown', ['-R', 'postgres:postgres', dir]);
  return dir;
}

module.exports = { PgServer, serverDir };
