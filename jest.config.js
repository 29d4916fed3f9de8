const { execFileSync } = require('node:child_process');
const path = require('node:path');

/**
 * The suite runs twice, on SQLite and on PostgreSQL (TEST_DATABASE_URL, by default the local
 * server's `test` database). Without a reachable PostgreSQL the second half is skipped with a
 * note, except in CI (CI=true), where that fails the run.
 */
const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const postgresUrl = process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
const postgres = postgresReachable(postgresUrl);
process.env.TEST_DATABASE_URL = postgresUrl;
process.env.POSTGRES_HALF = postgres.ok ? 'on' : `skipped: ${postgres.reason}`;

const common = {
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // jose 6 ships only ES modules. Node 20.19+ loads them with require() (the compiled service
    // does), but jest's own module loader cannot before Node 24.9: compile jose to CommonJS here.
    '/node_modules/jose/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
};

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.js',
  reporters: ['default', '<rootDir>/test/helpers/spec-coverage-reporter.js'],
  testTimeout: 30_000,
  // Two cores: much of the suite waits on databases, child processes and timers, so two workers
  // finish in about two thirds of the time one takes.
  maxWorkers: 2,
  // A worker whose tests are done exits by itself, but V8 frees its heap page by page first: with
  // 400-700 MB after a run that took 0.35 s to well over 0.5 s on this busy 2-core machine, and past
  // 0.5 s (the default) jest kills it and warns of a leak. A real leak still warns, 5 s later.
  workerGracefulExitTimeout: 5_000,
  projects: [
    { ...common, displayName: 'sqlite', testPathIgnorePatterns: ['/test/postgres/'] },
    ...(postgres.ok
      ? [
          {
            ...common,
            displayName: 'postgres',
            // Everything that touches a database runs again; pure checks (contract, config) need not.
            testMatch: ['<rootDir>/test/{api,auth,db,lambda,messaging,notifications,server,postgres,reliability}/**/*.test.ts'],
            // It starts a PostgreSQL server of its own, whichever half runs it: the SQLite half does, once.
            testPathIgnorePatterns: ['/test/server/bench-postgres\\.test\\.ts$'],
            setupFiles: ['<rootDir>/test/helpers/use-postgres.js'],
          },
        ]
      : []),
  ],
};

function postgresReachable(url) {
  try {
    execFileSync(process.execPath, [path.join(__dirname, 'test', 'helpers', 'postgres-probe.js'), url], {
      stdio: 'pipe',
      timeout: 10_000,
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `${url} is not reachable (${String(error.stderr || error.message).trim()})` };
  }
}
