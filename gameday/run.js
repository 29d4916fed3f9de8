'use strict';
/**
 * npm run gameday [-- --quick] [-- --keep]: a miniature of production on this machine (HAProxy
 * as the ALB and the Aurora endpoints, three service tasks, a synchronous writer/standby pair,
 * the event pipeline), five faults under load, and the invariants after each. The last line
 * is "N passed, M failed" over the checks. A full run writes its table into docs/reliability.md.
 */
const { setTimeout: delay } = require('node:timers/promises');
const { cleanUp, cleanUpOnExit } = require('./lib/cleanup');
const { baselineOf, checkEvents, checkOrders } = require('./lib/invariants');
const { writeReport, table } = require('./lib/report');
const { SCENARIOS } = require('./lib/scenarios');
const { buildStage } = require('./lib/stage');
const { checksOf, figuresOf } = require('./lib/verdict');

const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);

const TIMING = quick
  ? { warmupMs: 2000, settleMs: 3000, lagMs: 6000, deregistrationDelayMs: 1500, shutdownDrainMs: 1000, pauseMs: 20, eventsWithinMs: 30_000 }
  : { warmupMs: 10_000, settleMs: 10_000, lagMs: 30_000, deregistrationDelayMs: 5000, shutdownDrainMs: 2000, pauseMs: 20, eventsWithinMs: 60_000 };
const LIMITS = { fullServiceMs: 15_000, wholeMs: 120_000 };

const started = Date.now();
const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}`);

async function main() {
  cleanUpOnExit();
  const stage = await buildStage({ timing: TIMING, quick, keep, log });
  const baseline = await baselineOf(stage.pair.writerUrl());
  const acknowledged = [];
  const results = [];
  let mailWindows = 0;
  for (const scenario of SCENARIOS.filter((one) => !only || one.name.toLowerCase().startsWith(only))) {
    log(`scenario: ${scenario.name} (${scenario.fault})`);
    const outcome = await scenario.run(stage);
    acknowledged.push(...outcome.writers.acknowledged);
    mailWindows += outcome.mailWindows ?? 0;
    if (scenario.name === 'Async crash') outcome.events = await eventsSettled(stage);
    const figures = figuresOf(outcome, await checkOrders(stage.pair.writerUrl(), baseline, acknowledged));
    const checks = checksOf(scenario, figures, outcome, LIMITS, mailWindows);
    results.push({ scenario, figures, checks });
    for (const one of checks) log(`  ${one.passed ? 'PASS' : 'FAIL'}  ${one.name}: ${one.detail}`);
  }
  console.log(`\n${table(results)}\n`);
  const all = results.flatMap((result) => result.checks);
  const failed = all.filter((one) => !one.passed).length;
  const seconds = Math.round((Date.now() - started) / 1000);
  if (!quick && !only) writeReport(results, seconds);
  log(`done in ${seconds} s${quick ? ' (quick)' : ''}`);
  return { passed: all.length - failed, failed };
}

/** Waits until every event has been relayed and handled (or the deadline), then counts. */
async function eventsSettled(stage) {
  const deadline = Date.now() + TIMING.eventsWithinMs;
  for (;;) {
    const events = await checkEvents(stage.pair.writerUrl(), () => stage.pipeline.mailFiles());
    if ((events.unpublished === 0 && events.unhandled === 0) || Date.now() > deadline) return events;
    await delay(500);
  }
}

main()
  .then(
    async ({ passed, failed }) => {
      await cleanUp();
      console.log(`${passed} passed, ${failed} failed`);
      process.exitCode = failed === 0 ? 0 : 1;
    },
    async (error) => {
      console.error(error);
      await cleanUp();
      console.log('0 passed, 1 failed');
      process.exitCode = 1;
    },
  );
