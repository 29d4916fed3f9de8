'use strict';
/** Turns what a scenario's load saw, and what the database holds, into figures and pass/fail checks. */

const isFailure = (attempt) => typeof attempt.status === 'string' || attempt.status >= 500;

/** Figures of one scenario: `outcome` from underLoad, `orders` from checkOrders. */
function figuresOf(outcome, orders) {
  const attempts = [...outcome.writers.attemptsSince(outcome.startedAt), ...outcome.browsers.attemptsSince(outcome.startedAt)];
  const failed = attempts.filter(isFailure);
  const failedAfterFault = failed.filter((attempt) => attempt.at + attempt.ms >= outcome.faultAt);
  const lastFailureEnd = Math.max(outcome.faultAt, ...failedAfterFault.map((attempt) => attempt.at + attempt.ms));
  return {
    requests: attempts.length,
    failed: failed.length,
    failedByStatus: countBy(failed, (attempt) => attempt.status),
    http500: attempts.filter((attempt) => attempt.status === 500).length,
    writeFailures: failed.filter((attempt) => attempt.kind === 'write'),
    browserFailures: outcome.browsers.attempts.filter(isFailure).length,
    acknowledged: outcome.writers.acknowledged.length,
    unresolved: outcome.writers.unresolved.length,
    stale: outcome.writers.staleReads,
    lost: orders.lost,
    duplicates: orders.duplicates,
    unbalanced: orders.unbalanced,
    /** Until the last failed request: what clients felt. */
    fullServiceMs: lastFailureEnd - outcome.faultAt,
    /** Until the stage was whole again (replacement routed, standby rebuilt): what operators wait for. */
    wholeMs: outcome.recoveredAt - outcome.faultAt,
    seconds: (Date.now() - outcome.startedAt) / 1000,
    examples: orders.examples,
  };
}

function countBy(items, keyOf) {
  const counts = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}

/** [{ name, passed, detail }] for one scenario. */
/** `mailWindows`: worker kills and failovers so far, each of which may repeat one mail. */
function checksOf(scenario, figures, outcome, limits, mailWindows) {
  const checks = [
    check('no acknowledged order lost', figures.lost === 0, `${figures.lost} lost`),
    check('one order per Idempotency-Key', figures.duplicates === 0, `${figures.duplicates} duplicates`),
    check('stock + ordered = starting stock', figures.unbalanced === 0, `${figures.unbalanced} products off`),
    check('no 500', figures.http500 === 0, `${figures.http500} answered 500`),
    check('clients read their own writes', figures.stale.length === 0, `${figures.stale.length} stale reads ${JSON.stringify(figures.stale.slice(0, 2))}`),
    check('every create resolved (201 or a refusal)', figures.unresolved === 0, `${figures.unresolved} gave up`),
    check(`clients served fully again within ${limits.fullServiceMs / 1000} s`, figures.fullServiceMs <= limits.fullServiceMs, `${(figures.fullServiceMs / 1000).toFixed(1)} s`),
    check(`stage whole again within ${limits.wholeMs / 1000} s`, figures.wholeMs <= limits.wholeMs, `${(figures.wholeMs / 1000).toFixed(1)} s`),
  ];
  if (scenario.name === 'Rolling deploy') checks.push(check('zero failed requests', figures.failed === 0, statusText(figures)));
  if (scenario.name === 'Crash') {
    // Each client has at most one request in flight: at most that many can have been on the killed task.
    const clients = outcome.writers.clients + outcome.browsers.clients;
    checks.push(check(`only requests in flight failed (<= ${clients})`, figures.failed <= clients, statusText(figures)));
  }
  if (scenario.name === 'Database failover') {
    const not503 = figures.writeFailures.filter((attempt) => attempt.status !== 503).length;
    checks.push(check('writes answered 503 meanwhile, nothing else', not503 === 0, statusText(figures)));
    checks.push(check('browsers kept reading', figures.browserFailures === 0, `${figures.browserFailures} failed reads`));
    checks.push(check('recovered without a restart', outcome.restarted === 0, `${outcome.restarted} tasks restarted`));
  }
  if (scenario.name === 'Lagging reader') {
    checks.push(check('the replica really lagged (>= 0.9 s behind mid-phase)', outcome.lagMs >= 900, `${Math.round(outcome.lagMs)} ms behind`));
  }
  if (outcome.events) {
    const e = outcome.events;
    checks.push(check('every event published and handled', e.unpublished === 0 && e.unhandled === 0, `${e.unpublished} unpublished, ${e.unhandled} unhandled of ${e.events}`));
    checks.push(check('each event handled once (inbox, notification)', e.handledTwice === 0 && e.notifiedTwice === 0, `${e.handledTwice} twice in inbox, ${e.notifiedTwice} twice notified`));
    const repeats = e.mails - e.sent;
    checks.push(check(
      `mails repeated only in the documented window (<= ${mailWindows}: 1 per worker killed or failover)`,
      repeats >= 0 && repeats <= mailWindows,
      `${e.mails} mails for ${e.sent} notifications sent`,
    ));
  }
  return checks;
}

function check(name, passed, detail) {
  return { name, passed, detail };
}

function statusText(figures) {
  const parts = Object.entries(figures.failedByStatus).map(([status, n]) => `${n}×${status}`);
  return `${figures.failed} failed${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

module.exports = { figuresOf, checksOf, statusText };
