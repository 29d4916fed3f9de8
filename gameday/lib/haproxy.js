'use strict';
/**
 * HAProxy standing in for the ALB (HTTP, round robin, health checks on /health/ready) and for
 * Aurora's cluster and reader endpoints (TCP). Everything changes through the runtime API on a
 * unix socket, as the target group and DNS would, never by restarting it.
 */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');
const { onCleanup } = require('./cleanup');

/** Target slots: three serve, the others take replacements (ECS starts a new task before stopping the old). */
const SLOTS = ['s1', 's2', 's3', 's4', 's5', 's6'];

/**
 * srv_admin_state bits: forced or inherited maintenance, forced or inherited drain. (0x04, set
 * by `disabled` in the configuration, stays set after `state ready` and means nothing then.)
 */
const MAINTENANCE = 0x03;
const DRAINING = 0x18;

/** Installs HAProxy from Debian's packages when this machine lacks it. */
function ensureHaproxy() {
  if (hasHaproxy()) return;
  console.log('HAProxy is missing: installing it (apt-get install -y haproxy)');
  const apt = (args) => execFileSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    apt(['install', '-y', '--no-install-recommends', 'haproxy']);
  } catch {
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', 'haproxy']);
  }
  if (!hasHaproxy()) throw new Error('haproxy is still not on PATH after apt-get install');
}

function hasHaproxy() {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function config({ socket, webPort, writerPort, readerPort, databases, quick }) {
  const slots = SLOTS.map((slot) => `  server ${slot} 127.0.0.1:1 check disabled`);
  // The ALB routes to every target when none is healthy (fail open); HAProxy's backups do the same.
  const failOpen = SLOTS.map((slot) => `  server ${slot}-open 127.0.0.1:1 backup disabled`);
  const pg = (active) => databases.map((db) => `  server ${db.name} 127.0.0.1:${db.port}${db.name === active ? '' : ' disabled'}`);
  return `global
  stats socket ${socket} mode 600 level admin
  maxconn 4000

defaults
  timeout connect 1s
  timeout queue 5s

listen web
  bind 127.0.0.1:${webPort}
  mode http
  balance roundrobin
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  option httpchk GET /health/ready
  http-check expect status 200
  # Only a connection that never opened is tried again, on another target: nothing was sent.
  retries 2
  option redispatch 1
  retry-on conn-failure
  option allbackups
  default-server inter ${quick ? '500ms' : '1s'} fall 2 rise 2
${slots.join('\n')}
${failOpen.join('\n')}

listen writer
  bind 127.0.0.1:${writerPort}
  mode tcp
  timeout client 1h
  timeout server 1h
${pg(databases[0].name).join('\n')}

listen reader
  bind 127.0.0.1:${readerPort}
  mode tcp
  timeout client 1h
  timeout server 1h
${pg(databases[1].name).join('\n')}
`;
}

/**
 * Starts HAProxy in the foreground as our child (so it dies with the run), with `databases`
 * [writer, standby] behind the writer and reader endpoints.
 */
async function startHaproxy({ dir, ports, databases, quick }) {
  const socket = path.join(dir, 'haproxy.sock');
  const file = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(file, config({ socket, ...ports, databases, quick }));
  const log = fs.openSync(path.join(dir, 'haproxy.log'), 'a');
  const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  onCleanup('haproxy', async () => {
    child.kill('SIGTERM');
    await exited;
  });
  for (const started = Date.now(); !fs.existsSync(socket); await delay(50)) {
    if (child.exitCode !== null || Date.now() - started > 10_000) throw new Error(`HAProxy did not start; see ${dir}/haproxy.log`);
  }
  return new Haproxy(socket);
}

class Haproxy {
  constructor(socket) {
    this.socket = socket;
  }

  /** One runtime API command; resolves with its answer. */
  command(line) {
    return new Promise((resolve, reject) => {
      let answer = '';
      const connection = net.connect(this.socket, () => connection.end(`${line}\n`));
      connection.on('data', (chunk) => (answer += chunk));
      connection.on('error', reject);
      connection.on('close', () => resolve(answer.trim()));
    });
  }

  /** Points a target slot (and its fail-open twin) at `port` and lets health checks admit it. */
  async register(slot, port) {
    for (const server of [slot, `${slot}-open`]) {
      await this.command(`set server web/${server} addr 127.0.0.1 port ${port}`);
      await this.command(`set server web/${server} state ready`);
    }
  }

  /** No new requests; those in flight finish (the target group's deregistration). */
  async drain(slot) {
    for (const server of [slot, `${slot}-open`]) await this.command(`set server web/${server} state drain`);
  }

  async deregister(slot) {
    for (const server of [slot, `${slot}-open`]) await this.command(`set server web/${server} state maint`);
  }

  /** [{ backend, server, up, admin }] from `show servers state`. */
  async servers() {
    const text = await this.command('show servers state');
    const lines = text.split('\n').filter((line) => line && !line.startsWith('#') && !/^\d+$/.test(line));
    return lines.map((line) => {
      const f = line.split(/\s+/);
      return { backend: f[1], server: f[3], up: f[5] === '2', admin: Number(f[6]) };
    });
  }

  async isUp(slot) {
    return (await this.servers()).some((s) => s.backend === 'web' && s.server === slot && s.up && (s.admin & (MAINTENANCE | DRAINING)) === 0);
  }

  /** Moves an endpoint (`writer` or `reader`) to `server`, cutting the sessions still open to the others. */
  async pointEndpoint(endpoint, server, others) {
    await this.command(`set server ${endpoint}/${server} state ready`);
    for (const other of others) {
      await this.command(`set server ${endpoint}/${other} state maint`);
      await this.command(`shutdown sessions server ${endpoint}/${other}`);
    }
  }
}

module.exports = { ensureHaproxy, startHaproxy, SLOTS };
