'use strict';
/** Servers under test as child processes pinned to a core, and what /proc says about them. */
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');

/** The node options production starts the service with (the Dockerfile's CMD). */
const SERVICE_NODE_ARGS = '--max-semi-space-size=4';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function hasTaskset() {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Moves this process (every thread: autocannon and its histogram workers) onto `core`. */
function pinSelf(core) {
  execFileSync('taskset', ['-a', '-p', '-c', String(core), String(process.pid)], { stdio: 'ignore' });
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The preload that counts a server's database calls (query-counter.js). */
const QUERY_COUNTER = path.join(__dirname, 'query-counter.js');

/**
 * Starts `node <args>` pinned to `core` (when given), stdout and stderr to `logFile`, and waits
 * until GET /health/ready answers 200. With `countQueries`, the server counts its database calls
 * (query-counter.js) and `counts()` asks it for them so far.
 */
async function startServer({ name, args, env, core, logFile, countQueries = false }) {
  const port = await freePort();
  const out = fs.openSync(logFile, 'a');
  const nodeArgs = countQueries ? ['-r', QUERY_COUNTER, ...args] : args;
  const command = core === undefined ? [process.execPath, ...nodeArgs] : ['taskset', '-c', String(core), process.execPath, ...nodeArgs];
  const child = spawn(command[0], command.slice(1), {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: countQueries ? ['ignore', out, out, 'ipc'] : ['ignore', out, out],
  });
  // taskset execs node in its place, so the channel reaches the server itself.
  if (countQueries) child.channel?.unref();
  fs.closeSync(out);
  let exitCode;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exitCode = code ?? signal))));
  const url = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); ; ) {
    if (exitCode !== undefined) throw new Error(`${name} exited (${exitCode}) before it was ready; see ${logFile}`);
    try {
      const response = await fetch(`${url}/health/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) throw new Error(`${name} was not ready within 60 s; see ${logFile}`);
    await delay(100);
  }
  return {
    name,
    url,
    pid: child.pid,
    logFile,
    /** `{ pgQueries, sqliteStatements }` the server made so far; null when it does not count. */
    counts: () => (countQueries ? askCounts(child) : Promise.resolve(null)),
    /** SIGTERM, then waits for the exit (the service drains and writes its CPU profile). */
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function askCounts(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error('the server did not report its query counts within 5 s'));
    }, 5000);
    const onMessage = (message) => {
      if (message?.type !== 'bench:counts') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve({ pgQueries: message.pgQueries, sqliteStatements: message.sqliteStatements });
    };
    child.on('message', onMessage);
    child.send('bench:counts');
  });
}

/** user + system CPU of a process so far, in seconds; 0 once it is gone. */
function processCpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** Busy CPU of the whole machine so far (every core), in seconds. */
function machineBusySeconds() {
  const [, ...ticks] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS;
}

/** Peak and current resident set size in MB, from /proc/<pid>/status. */
function memoryOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakRssMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

module.exports = { SERVICE_NODE_ARGS, hasTaskset, pinSelf, freePort, startServer, processCpuSeconds, machineBusySeconds, memoryOf, CLOCK_TICKS };
