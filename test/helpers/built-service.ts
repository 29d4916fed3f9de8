import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { dropSchema, onPostgres } from './test-database';

export const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'service', 'main.js');
const WORKER = path.join(ROOT, 'dist', 'service', 'worker.js');

const BUILD_LOCK = path.join(ROOT, 'dist', '.build-lock');

/**
 * Compiles the service (as `npm start` does) unless dist/ is newer than every source file. Test
 * files in parallel workers take turns (a lock directory), so that two compilers never interleave.
 */
export function ensureBuilt(): void {
  fs.mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  for (let waited = 0; ; waited += 100) {
    try {
      fs.mkdirSync(BUILD_LOCK);
      break;
    } catch {
      if (waited > 180_000) throw new Error(`${BUILD_LOCK} held for 3 minutes; remove it if no build runs`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    const newestSource = Math.max(...listFiles(path.join(ROOT, 'service')).map((file) => fs.statSync(file).mtimeMs));
    if (fs.existsSync(MAIN) && fs.statSync(MAIN).mtimeMs >= newestSource) return;
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } finally {
    fs.rmdirSync(BUILD_LOCK);
  }
}

export interface RunningService {
  readonly process: ChildProcess;
  readonly baseUrl: string;
  /** Every JSON log line so far. */
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code once the process ends. */
  readonly exited: Promise<number | null>;
}

/** Starts the compiled service with `env` on a free port; resolves once it listens. */
export async function startService(env: Record<string, string>): Promise<RunningService> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (typeof entry.port === 'number') resolve(entry.port);
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    void exited.then((code) => reject(new Error(`service exited with ${code} before listening: ${stderr}`)));
  });
  return { process: child, baseUrl: `http://127.0.0.1:${port}`, logs, exited };
}

/** Starts the compiled worker (`npm run worker`) with `env`; resolves once it consumes the queue. */
export async function startWorker(env: Record<string, string>): Promise<Omit<RunningService, 'baseUrl'>> {
  const child = spawn(process.execPath, [WORKER], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'worker consuming order events') resolve();
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    void exited.then((code) => reject(new Error(`worker exited with ${code} before consuming: ${stderr}`)));
  });
  return { process: child, logs, exited };
}

export interface ServiceTestBed {
  /** The test's own temporary folder (the SQLite file goes in it). */
  readonly dir: string;
  /** The service's variables for the test's database; `sqliteFile` is a path inside dir. */
  env(sqliteFile?: string): Record<string, string>;
  /** startService, with the process killed after the test if it still runs (a failed assertion leaves it behind otherwise). */
  start(env: Record<string, string>): Promise<RunningService>;
}

/**
 * For a block that runs the compiled service: builds it once, gives each test a database of this
 * half of the suite (a new SQLite file, or a new PostgreSQL schema), and after the test kills the
 * services it left running, then removes the database.
 */
export function serviceTestBed(name: string): ServiceTestBed {
  let dir = '';
  let schema = '';
  const running: RunningService[] = [];
  beforeAll(() => ensureBuilt(), 120_000);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `order-service-${name}-`));
    schema = `test_${name}_${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    const left = running.splice(0).filter((service) => service.process.exitCode === null && service.process.signalCode === null);
    for (const service of left) service.process.kill('SIGKILL');
    await Promise.all(left.map((service) => service.exited));
    fs.rmSync(dir, { recursive: true, force: true });
    if (onPostgres) await dropSchema(schema);
  });
  return {
    get dir() {
      return dir;
    },
    env: (sqliteFile = 'orders.sqlite'): Record<string, string> =>
      onPostgres ? { DATABASE_URL: process.env.TEST_DATABASE_URL!, DB_SCHEMA: schema } : { SQLITE_PATH: path.join(dir, sqliteFile) },
    start: async (env) => {
      const service = await startService(env);
      running.push(service);
      return service;
    },
  };
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
