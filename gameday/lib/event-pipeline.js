'use strict';
/**
 * The asynchronous half: fauxqs standing in for SQS FIFO, a relay (the service with
 * RELAY_ENABLED, outside the load balancer, so killing it kills only the relay) and the worker
 * mailing to files. Either can be killed and replaced.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { ROOT } = require('../../bench/lib/databases');
const { SERVICE_NODE_ARGS } = require('../../bench/lib/processes');
const { startQueueServer } = require('../../bench/lib/queue-server');
const { cleaningUp, onCleanup } = require('./cleanup');
const { startService } = require('./service-process');

class EventPipeline {
  static async start({ dir, env }) {
    const queueServer = await startQueueServer(path.join(dir, 'fauxqs.log'));
    onCleanup('fauxqs', () => queueServer.stop());
    const queue = await queueServer.createQueue('order-events');
    const mailDir = path.join(dir, 'mail');
    fs.mkdirSync(mailDir);
    const pipeline = new EventPipeline(dir, {
      ...env,
      QUEUE_URL: queue.url,
      SQS_ENDPOINT: queue.endpoint,
      AWS_REGION: 'us-east-1',
      MAIL_TRANSPORT: 'file',
      MAIL_DIR: mailDir,
      MAIL_FROM: 'orders@example.com',
    });
    pipeline.mailDir = mailDir;
    pipeline.relay = await pipeline.startRelay();
    pipeline.worker = await pipeline.startWorker();
    return pipeline;
  }

  constructor(dir, env) {
    this.dir = dir;
    this.env = env;
    this.started = 0;
  }

  async startRelay() {
    const name = `relay-${++this.started}`;
    return startService({
      name,
      script: path.join(ROOT, 'dist', 'service', 'main.js'),
      env: { ...this.env, RELAY_ENABLED: 'true', RELAY_LEASE_MS: '5000' },
      logFile: path.join(this.dir, `${name}.log`),
    });
  }

  /** The compiled worker; resolves once it consumes. */
  async startWorker() {
    if (cleaningUp()) throw new Error('not starting a worker: the run is stopping');
    const name = `worker-${++this.started}`;
    const logFile = path.join(this.dir, `${name}.log`);
    const child = spawn(process.execPath, [...SERVICE_NODE_ARGS.split(' '), path.join(ROOT, 'dist', 'service', 'worker.js')], {
      // At info, for the line that says it consumes.
      env: { ...this.env, LOG_LEVEL: 'info', RELAY_ENABLED: 'false', WORKER_WAIT_SECONDS: '1', WORKER_VISIBILITY_TIMEOUT_SECONDS: '5' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = fs.createWriteStream(logFile);
    child.stderr.pipe(log);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    };
    const unregister = onCleanup(name, stop);
    await new Promise((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        log.write(`${line}\n`);
        if (line.includes('worker consuming order events')) resolve();
      });
      void exited.then((code) => reject(new Error(`${name} exited (${code}); see ${logFile}`)));
    });
    return { name, pid: child.pid, unregister, stop };
  }

  /** SIGKILL, then a replacement, as ECS replaces a task that died. */
  async killAndReplace(which) {
    const old = this[which];
    process.kill(old.pid, 'SIGKILL');
    await old.stop();
    old.unregister();
    this[which] = which === 'relay' ? await this.startRelay() : await this.startWorker();
  }

  mailFiles() {
    return fs.readdirSync(this.mailDir).filter((file) => file.endsWith('.eml'));
  }
}

module.exports = { EventPipeline };
