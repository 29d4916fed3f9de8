'use strict';
/** Rounds into one row per database and scenario, the targets, and the markdown table. */

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const sum = (values) => values.reduce((total, value) => total + value, 0);

/**
 * The targets, per scenario and database: issue 22's (req/s at least 0.5 of the baseline's, peak
 * RSS under 150 MB, at most 4 round trips for a new order on PostgreSQL) and the earlier p99 one.
 */
const TARGETS = { minThroughputRatio: 0.5, maxP99Ratio: 2, maxPeakRssMb: 150, maxWriteRoundTrips: 4 };

/** The scenarios that create orders, where the round-trip target applies. */
const ORDER_CREATING = new Set(['create-order', 'hot-product']);

/** The median of the values that are numbers; null when none is. */
const medianOf = (values) => {
  const numbers = values.filter((value) => typeof value === 'number' && Number.isFinite(value));
  return numbers.length ? median(numbers) : null;
};

function summarize(runs) {
  const rows = [];
  for (const database of unique(runs.map((run) => run.database))) {
    for (const scenario of unique(runs.filter((run) => run.database === database).map((run) => run.scenario))) {
      const row = { database, scenario };
      for (const server of ['service', 'baseline']) {
        const mine = runs.filter((run) => run.database === database && run.scenario === scenario && run.server === server);
        if (!mine.length) continue;
        row[server] = {
          reqPerSec: median(mine.map((run) => run.reqPerSec)),
          rounds: mine.map((run) => Math.round(run.reqPerSec)),
          p50Ms: median(mine.map((run) => run.p50Ms)),
          p99Ms: median(mine.map((run) => run.p99Ms)),
          non2xx: sum(mine.map((run) => run.non2xx)),
          errors: sum(mine.map((run) => run.errors + run.timeouts)),
          peakRssMb: Math.max(...mine.map((run) => run.peakRssMb)),
          serverCpuPct: mean(mine.map((run) => run.serverCpuPct)),
          databaseCpuPct: mean(mine.map((run) => run.databaseCpuPct)),
          loadCpuPct: mean(mine.map((run) => run.loadCpuPct)),
          otherCpuPct: mean(mine.map((run) => run.otherCpuPct)),
          maxOtherCpuPct: Math.max(...mine.map((run) => run.otherCpuPct)),
          serverCpuUsPerRequest: medianOf(mine.map((run) => run.serverCpuUsPerRequest)),
          databaseCpuUsPerRequest: medianOf(mine.map((run) => run.databaseCpuUsPerRequest)),
          statementsPerRequest: medianOf(mine.map((run) => run.statementsPerRequest)),
          roundTripsPerRequest: medianOf(mine.map((run) => run.roundTripsPerRequest)),
        };
      }
      if (row.service && row.baseline) {
        row.throughputRatio = row.service.reqPerSec / row.baseline.reqPerSec;
        row.p99Ratio = row.service.p99Ms / Math.max(row.baseline.p99Ms, 1);
        row.checks = {
          throughput: row.throughputRatio >= TARGETS.minThroughputRatio,
          p99: row.p99Ratio <= TARGETS.maxP99Ratio,
          noErrors: row.service.non2xx === 0 && row.service.errors === 0 && row.baseline.non2xx === 0 && row.baseline.errors === 0,
          memory: row.service.peakRssMb < TARGETS.maxPeakRssMb,
        };
        if (ORDER_CREATING.has(scenario) && row.service.roundTripsPerRequest !== null) {
          row.checks.roundTrips = row.service.roundTripsPerRequest <= TARGETS.maxWriteRoundTrips;
        }
        row.met = Object.values(row.checks).every(Boolean);
      }
      rows.push(row);
    }
  }
  return rows;
}

const fixed = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function markdownTable(rows) {
  const lines = [
    '| Database | Scenario | Server | req/s (median) | req/s each round | p50 ms | p99 ms | CPU µs / req (server + DB) | statements / req | round trips / req | non-2xx | errors | ratio req/s | ratio p99 | peak RSS MB | server CPU % | DB CPU % | load CPU % | other CPU % (max) | targets |',
    '| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    for (const server of ['service', 'baseline']) {
      const s = row[server];
      if (!s) continue;
      const isService = server === 'service';
      lines.push(
        `| ${row.database} | ${row.scenario} | ${server} | ${fixed(s.reqPerSec)} | ${s.rounds.join(', ')} | ${fixed(s.p50Ms, 1)} | ${fixed(s.p99Ms, 1)} | ` +
          `${fixed(s.serverCpuUsPerRequest ?? NaN)} + ${fixed(s.databaseCpuUsPerRequest ?? NaN)} | ${fixed(s.statementsPerRequest ?? NaN, 2)} | ${fixed(s.roundTripsPerRequest ?? NaN, 2)} | ` +
          `${s.non2xx} | ${s.errors} | ${isService ? fixed(row.throughputRatio, 2) : ''} | ${isService ? fixed(row.p99Ratio, 2) : ''} | ` +
          `${fixed(s.peakRssMb, 1)} | ${fixed(s.serverCpuPct)} | ${fixed(s.databaseCpuPct)} | ${fixed(s.loadCpuPct)} | ${fixed(s.otherCpuPct, 1)} (${fixed(s.maxOtherCpuPct, 1)}) | ` +
          `${isService && row.checks ? describeChecks(row) : ''} |`,
      );
    }
  }
  return lines.join('\n');
}

function describeChecks(row) {
  const failed = Object.entries(row.checks).filter(([, ok]) => !ok).map(([name]) => name);
  return failed.length ? `**missed: ${failed.join(', ')}**` : 'met';
}

function markdownReport({ meta, rows }) {
  return [
    `# Benchmark: ${meta.finishedAt}`,
    '',
    `${meta.machine.cpuModel}, ${meta.machine.cores} cores, Node ${meta.machine.node}; \`${meta.command}\`.`,
    `Per run: ${meta.settings.warmupSeconds} s warm-up, ${meta.settings.seconds} s measured, ${meta.settings.connections} connections, ` +
      `${meta.settings.rounds} rounds alternating service and baseline; servers on core ${meta.settings.serverCore ?? 'any'}, load generator on core ${meta.settings.loadCore ?? 'any'}.`,
    '',
    markdownTable(rows),
    '',
    'Ratios are service / baseline (req/s: at least 0.5; p99: at most 2). CPU is in % of one core over the measured runs; ' +
      '"other" is every process but the server, the load generator and (PostgreSQL) the database backends serving the run.',
    `PostgreSQL: ${meta.postgres?.dedicated ? `the benchmark's own server, pinned to core ${meta.postgres.core ?? 'none'} with the servers` : 'a running server (BENCH_POSTGRES_URL), not pinned'}. ` +
      'Statements per request: pg_stat_statements (PostgreSQL; BEGIN and COMMIT count) or the statements better-sqlite3 ran (SQLite); ' +
      'round trips per request: the pg driver\'s queries (one each). Both are medians over the measured runs; a new order may make at most 4 round trips.',
    '',
  ].join('\n');
}

function unique(values) {
  return [...new Set(values)];
}

module.exports = { summarize, markdownTable, markdownReport, TARGETS };
