'use strict';
/**
 * Preloaded into each server the benchmark starts (`node -r bench/lib/query-counter.js`): counts
 * what the process asks of its database, and tells the benchmark on request over the IPC channel.
 *
 * - PostgreSQL: every `Client#query` of the pg driver (which the service reaches through TypeORM and
 *   the baseline directly). pg sends a query and waits for its ReadyForQuery before it sends the
 *   next on that connection, so one call is one round trip.
 * - SQLite: every statement better-sqlite3 runs (`run`, `get`, `all`, `iterate`, `exec`); there is
 *   no round trip there, the database is in the process.
 *
 * A counter increment per call: nothing the benchmark can measure. Nothing is counted unless the
 * process was started with an IPC channel (the benchmark's startServer with `countQueries`).
 */
const counts = { pgQueries: 0, sqliteStatements: 0 };

function countCalls(prototype, names, key) {
  for (const name of names) {
    const original = prototype[name];
    if (typeof original !== 'function') continue;
    prototype[name] = function counted(...args) {
      counts[key]++;
      return original.apply(this, args);
    };
  }
}

function tryRequire(name) {
  try {
    return require(name);
  } catch {
    return undefined;
  }
}

if (typeof process.send === 'function') {
  const pg = tryRequire('pg');
  if (pg) countCalls(pg.Client.prototype, ['query'], 'pgQueries');
  const Sqlite = tryRequire('better-sqlite3');
  if (Sqlite) {
    const probe = new Sqlite(':memory:');
    countCalls(Object.getPrototypeOf(probe.prepare('SELECT 1')), ['run', 'get', 'all', 'iterate'], 'sqliteStatements');
    countCalls(Sqlite.prototype, ['exec'], 'sqliteStatements');
    probe.close();
  }
  process.on('message', (message) => {
    if (message === 'bench:counts') process.send({ type: 'bench:counts', ...counts });
  });
  // The channel alone must not keep a server alive that would otherwise exit.
  process.channel?.unref();
}
