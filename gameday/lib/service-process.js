'use strict';
/**
 * The compiled service as a child process, like bench/lib/processes.js's startServer, but
 * registered for cleanup the moment it is spawned: a run stopped while a task is still starting
 * must not leave that task behind.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { setTimeout: delay } = require('node:timers/promises');
const { freePort, SERVICE_NODE_ARGS } = require('../../bench/lib/processes');
const { cleaningUp, onCleanup } = require('./cleanup');

/** Starts `node <script>` with `env` on a free port and waits until GET /health/ready answers 200. */
async function startService({ name, script, env, logFile }) {
  if (cleaningUp()) throw new Error(`not starting ${name}: the run is stopping`);
  const port = await freePort();
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS.split(' '), script], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  /** SIGTERM, then the service's own drain; SIGKILL if it takes longer than 30 s. */
  const stop = async () => {
    if (!gone()) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  const unregister = onCleanup(name, stop);
  const url = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); ; await delay(100)) {
    if (gone()) throw new Error(`${name} exited (${await exited}) before it was ready; see ${logFile}`);
    if (await fetch(`${url}/health/ready`).then((r) => r.status === 200, () => false)) break;
    if (Date.now() - started > 60_000) throw new Error(`${name} was not ready within 60 s; see ${logFile}`);
  }
  return { name, url, port, pid: child.pid, stop, unregister };
}

module.exports = { startService };
