import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

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

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
