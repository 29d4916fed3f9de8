#!/usr/bin/env node
'use strict';
/**
 * npm run bench:floor [-- --rounds N] [--seconds S] [--route order|list]
 *
 * The ceiling of the chosen stack itself: GET /orders/{id} (or with `--route list`, GET /orders,
 * a constant page of 20 orders) answered with a constant body and no database by node:http alone, then with each of the service's layers added in turn (Express,
 * pino-http, helmet, the OpenAPI validator; bench/floor/stack-server.js). Same pinning and load as
 * `npm run bench` (server on core 0, autocannon on core 1, 50 connections), rounds alternating
 * the order of the stages. Prints a table and writes bench/results/floor.md (floor-list.md).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { ROOT } = require('./lib/databases');
const { drive } = require('./lib/scenarios');
const { hasTaskset, memoryOf, pinSelf, processCpuSeconds, SERVICE_NODE_ARGS, startServer } = require('./lib/processes');

const STAGES = ['raw', 'express', 'logging', 'helmet', 'validator'];
/** What each --route asks for: the `get-order` and `list-orders` scenarios' requests. */
const ROUTES = { order: '/orders/5', list: '/orders' };
const RESULTS = path.join(__dirname, 'results');

async function main() {
  const { values } = parseArgs({
    options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '5' }, route: { type: 'string', default: 'order' } },
  });
  if (!ROUTES[values.route]) throw new Error(`--route must be one of ${Object.keys(ROUTES).join(', ')}`);
  const load = (url, seconds) => driveRoute(`${url}${ROUTES[values.route]}`, seconds);
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  const pinned = hasTaskset() && os.cpus().length >= 2;
  if (pinned) pinSelf(1);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-bench-floor-'));

  const servers = {};
  const results = Object.fromEntries(STAGES.map((stage) => [stage, []]));
  try {
    for (const stage of STAGES) {
      servers[stage] = await startServer({
        name: stage,
        args: [SERVICE_NODE_ARGS, path.join(__dirname, 'floor', 'stack-server.js')],
        env: { FLOOR_STAGE: stage, NODE_ENV: 'production' },
        core: pinned ? 0 : undefined,
        logFile: path.join(logDir, `${stage}.log`),
      });
    }
    for (let round = 0; round < rounds; round++) {
      for (const stage of round % 2 === 0 ? STAGES : [...STAGES].reverse()) {
        const server = servers[stage];
        await load(server.url, 1);
        const cpuBefore = processCpuSeconds(server.pid);
        const result = await load(server.url, seconds);
        const run = {
          reqPerSec: result.requests.average,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          cpuMicrosPerRequest: (1e6 * (processCpuSeconds(server.pid) - cpuBefore)) / Math.max(1, result.requests.total),
          peakRssMb: memoryOf(server.pid).peakRssMb,
        };
        results[stage].push(run);
        console.log(`round ${round + 1}/${rounds} ${stage.padEnd(9)} ${Math.round(run.reqPerSec)} req/s, p99 ${run.p99Ms} ms, ${Math.round(run.cpuMicrosPerRequest)} µs CPU/request`);
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop();
  }
  const table = floorTable(results);
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = values.route === 'order' ? 'floor.md' : `floor-${values.route}.md`;
  fs.writeFileSync(path.join(RESULTS, file), `Finished ${new Date().toISOString()}; GET ${ROUTES[values.route]}, ${rounds} rounds of ${seconds} s.\n\n${table}\n`);
  console.log(`\n${table}\n`);
}

function driveRoute(url, seconds) {
  return drive({ url, connections: 50, duration: seconds, headers: { user_id: '1' } });
}

function floorTable(results) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const raw = median(results.raw.map((run) => run.reqPerSec));
  const lines = [
    '| Stack (each adds to the one above) | req/s (median) | of node:http alone | CPU µs per request | p99 ms | non-2xx + errors | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const stage of STAGES) {
    const runs = results[stage];
    const rps = median(runs.map((run) => run.reqPerSec));
    lines.push(
      `| ${stage} | ${Math.round(rps)} | ${(rps / raw).toFixed(2)} | ${Math.round(median(runs.map((run) => run.cpuMicrosPerRequest)))} | ` +
        `${median(runs.map((run) => run.p99Ms))} | ${runs.reduce((n, run) => n + run.non2xx + run.errors, 0)} | ${Math.max(...runs.map((run) => run.peakRssMb)).toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
