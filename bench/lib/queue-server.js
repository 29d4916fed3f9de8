'use strict';
/** fauxqs, the SQS stand-in, as a process of its own for the events benchmark. */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { setTimeout: delay } = require('node:timers/promises');
const { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } = require('@aws-sdk/client-sqs');
const { ROOT } = require('./databases');
const { freePort } = require('./processes');

/**
 * Starts fauxqs; pinned to `core` when given. SQS does not run on the service's vCPU, so the
 * benchmark keeps the stand-in off the service's core: left to the scheduler, it ran there often
 * enough to cost the service with a relay about a fifth of its POST /orders throughput.
 */
async function startQueueServer(logFile, { core } = {}) {
  const port = await freePort();
  const out = fs.openSync(logFile, 'a');
  const cli = [process.execPath, path.join(ROOT, 'node_modules', 'fauxqs', 'dist', 'cli.js')];
  const command = core === undefined ? cli : ['taskset', '-c', String(core), ...cli];
  const child = spawn(command[0], command.slice(1), {
    env: { PATH: process.env.PATH ?? '', FAUXQS_PORT: String(port), FAUXQS_HOST: 'localhost', FAUXQS_LOGGER: 'false' },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const endpoint = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); ; await delay(100)) {
    if (await fetch(`${endpoint}/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() - started > 30_000) throw new Error(`fauxqs did not start; see ${logFile}`);
  }
  const sqs = new SQSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  return {
    endpoint,
    /** A FIFO queue as the CDK app makes it; returns { url, endpoint }. */
    createQueue: async (name) => {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}.fifo`, Attributes: { FifoQueue: 'true', VisibilityTimeout: '60' } }));
      return { url: QueueUrl, endpoint };
    },
    count: async (queue) => {
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
    },
    stop: async () => {
      sqs.destroy();
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

module.exports = { startQueueServer };
