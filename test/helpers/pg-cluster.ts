import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** Where Debian keeps the server binaries (initdb, pg_ctl, pg_basebackup), newest version first. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find((dir) => fs.existsSync(path.join(dir, 'initdb')));
}

/**
 * A throw-away PostgreSQL server of the test's own, in a temporary directory on a free port, so
 * that a test may stop it, restart it, or stream it to a standby without touching anything else.
 * Every statement is logged with the client's application_name, so tests can see where queries ran.
 */
export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
  ) {}

  /** initdb + start; with `tls`, the server also accepts TLS with that certificate (and plain connections still). */
  static async primary(options: { tls?: { certPem: string; keyPem: string } } = {}): Promise<PgCluster> {
    const cluster = new PgCluster(await ownedTempDir(), await freePort(), postgresBinDir()!);
    await cluster.as(path.join(cluster.bin, 'initdb'), ['-D', cluster.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    const tls = options.tls ? await cluster.installCertificate(options.tls.certPem, options.tls.keyPem) : [];
    cluster.configure(['wal_level = replica', 'max_wal_senders = 5', 'hot_standby = on', ...tls]);
    await cluster.start();
    return cluster;
  }

  /** A hot standby of `primary` made with pg_basebackup -R, replaying `applyDelay` behind it. */
  static async standbyOf(primary: PgCluster, applyDelay: string): Promise<PgCluster> {
    const cluster = new PgCluster(await ownedTempDir(), await freePort(), primary.bin);
    await cluster.as(path.join(cluster.bin, 'pg_basebackup'), [
      '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', cluster.dataDir, '-R', '-X', 'stream', '--checkpoint=fast',
    ]);
    cluster.configure([`recovery_min_apply_delay = '${applyDelay}'`]);
    await cluster.start();
    return cluster;
  }

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  get logFile(): string {
    return path.join(this.dir, 'server.log');
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    await this.as(path.join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', 'start']);
  }

  async stop(): Promise<void> {
    await this.as(path.join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs one statement as the superuser and returns the rows. */
  async sql<T = Record<string, unknown>>(statement: string, params: unknown[] = [], database = 'postgres'): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database), application_name: 'test-harness' });
    await client.connect();
    try {
      return (await client.query(statement, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** The server log from byte `from` on (see logSize). */
  logSince(from: number): string {
    const text = fs.readFileSync(this.logFile);
    return text.subarray(from).toString('utf8');
  }

  logSize(): number {
    return fs.statSync(this.logFile).size;
  }

  private configure(lines: string[]): void {
    const settings = [
      `port = ${this.port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${this.dir}'`,
      // Speed over durability: these clusters live for one test file.
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      "log_statement = 'all'",
      "log_line_prefix = '%a|'",
      ...lines,
    ];
    fs.appendFileSync(path.join(this.dataDir, 'postgresql.conf'), `\n${settings.join('\n')}\n`);
  }

  /** The server refuses a key that others may read; the files belong to whoever runs the server. */
  private async installCertificate(certPem: string, keyPem: string): Promise<string[]> {
    for (const [name, pem] of [['server.crt', certPem], ['server.key', keyPem]]) {
      const file = path.join(this.dataDir, name);
      fs.writeFileSync(file, pem, { mode: 0o600 });
      if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', file]);
    }
    return ['ssl = on', "ssl_cert_file = 'server.crt'", "ssl_key_file = 'server.key'"];
  }

  /** initdb and the server refuse to run as root; run them as the postgres user when we are root. */
  private async as(command: string, args: string[]): Promise<void> {
    const asRoot = process.getuid?.() === 0;
    await run(asRoot ? 'runuser' : command, asRoot ? ['-u', 'postgres', '--', command, ...args] : args, { cwd: this.dir });
  }
}

async function ownedTempDir(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-pg-'));
  if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', dir]);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` is true, or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** In CI the PostgreSQL binaries are required; elsewhere their absence skips with a reason. */
export function describeWithPostgresBinaries(name: string, body: () => void): void {
  if (postgresBinDir()) return describe(name, body);
  if (process.env.CI) throw new Error('CI needs the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup)');
  console.log(`skipping "${name}": no PostgreSQL server binaries under /usr/lib/postgresql`);
  const skipped = describe.skip;
  skipped(name, body);
}
