import fs from 'node:fs';
import type { EnvReader } from '../../env-reader';
import { type PostgresEndpoint, SSL_MODES, type SslMode } from './postgres-endpoint';
import { parsePostgresUrl, type UrlSsl } from './postgres-url';

export interface PostgresSettings {
  readonly kind: 'postgres';
  /** Where every write, and every read that a write depends on, goes. */
  readonly writer: PostgresEndpoint;
  /** Read replicas (Aurora's reader endpoint); reads go to the writer when absent. */
  readonly reader: PostgresEndpoint | undefined;
  /** One TLS setting for both pools; verify-full checks against caPath, or Node's CAs without it. */
  readonly ssl: { readonly mode: SslMode; readonly caPath: string | undefined };
  /** The schema holding the tables (created by the migration run when missing). */
  readonly schema: string;
  /** Connections per pool (the writer's, and the reader's). */
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  /** The server cancels a statement running longer than this. */
  readonly statementTimeoutMs: number;
  /** How long start-up keeps retrying an unreachable database before giving up. */
  readonly startupRetryMs: number;
  /** After a user's write, that user's reads go to the writer for this long (read-your-writes). */
  readonly readYourWritesMs: number;
}

/** Settings that only mean something on PostgreSQL: on SQLite they would be silently ignored. */
export const POSTGRES_ONLY = [
  'DB_PORT', 'DB_USER', 'DB_PASSWORD', 'DB_NAME', 'DATABASE_READER_URL', 'DB_READER_HOST', 'DB_SSL', 'DB_SSL_CA_PATH',
  'DB_SCHEMA', 'DB_POOL_SIZE', 'DB_CONNECT_TIMEOUT_MS', 'DB_STATEMENT_TIMEOUT_MS', 'DB_STARTUP_RETRY_MS', 'DB_READ_YOUR_WRITES_MS',
];

/** Stands in for an endpoint that could not be read; its problem is recorded, so the start stops anyway. */
const UNREADABLE: PostgresEndpoint = { host: '', port: 5432, user: '', password: undefined, database: '' };

/**
 * The PostgreSQL settings, from DATABASE_URL or the discrete DB_* variables (what ECS injects from
 * an RDS-generated secret), with the reader, TLS and pool settings beside them.
 */
export function readPostgresSettings(read: EnvReader): PostgresSettings {
  const urlSsl: UrlSsl[] = [];
  const writer = readWriter(read, urlSsl);
  return {
    kind: 'postgres',
    writer,
    reader: readReader(read, writer, urlSsl),
    ssl: readSsl(read, urlSsl),
    schema: readSchema(read),
    poolSize: read.integer('DB_POOL_SIZE', 10, { min: 1, max: 200 }),
    connectTimeoutMs: read.integer('DB_CONNECT_TIMEOUT_MS', 5000, { min: 100, max: 120_000 }),
    statementTimeoutMs: read.integer('DB_STATEMENT_TIMEOUT_MS', 10_000, { min: 100, max: 600_000 }),
    startupRetryMs: read.integer('DB_STARTUP_RETRY_MS', 60_000, { min: 0, max: 600_000 }),
    readYourWritesMs: read.integer('DB_READ_YOUR_WRITES_MS', 5000, { min: 0, max: 600_000 }),
  };
}

function readWriter(read: EnvReader, urlSsl: UrlSsl[]): PostgresEndpoint {
  const url = read.string('DATABASE_URL');
  if (url) return fromUrl(read, 'DATABASE_URL', url, urlSsl);
  const host = read.string('DB_HOST')!;
  const user = read.string('DB_USER');
  const database = read.string('DB_NAME');
  if (!user) read.problem('DB_USER is required when DB_HOST is set');
  if (!database) read.problem('DB_NAME is required when DB_HOST is set');
  return {
    host,
    port: read.integer('DB_PORT', 5432, { min: 1, max: 65535 }),
    user: user ?? '',
    password: read.string('DB_PASSWORD'),
    database: database ?? '',
  };
}

/** The reader shares the writer's credentials and database, as Aurora's reader endpoint does. */
function readReader(read: EnvReader, writer: PostgresEndpoint, urlSsl: UrlSsl[]): PostgresEndpoint | undefined {
  const url = read.string('DATABASE_READER_URL');
  const host = read.string('DB_READER_HOST');
  if (url && host) read.problem('Set only one of DATABASE_READER_URL and DB_READER_HOST');
  if (url) return fromUrl(read, 'DATABASE_READER_URL', url, urlSsl);
  return host ? { ...writer, host } : undefined;
}

function fromUrl(read: EnvReader, name: string, value: string, urlSsl: UrlSsl[]): PostgresEndpoint {
  const parsed = parsePostgresUrl(read, name, value);
  if (parsed?.ssl) urlSsl.push(parsed.ssl);
  return parsed?.endpoint ?? UNREADABLE;
}

/** DB_SSL, or the URLs' sslmode when it is not set; where both say something, they must agree. */
function readSsl(read: EnvReader, urlSsl: readonly UrlSsl[]): PostgresSettings['ssl'] {
  const raw = read.string('DB_SSL');
  const explicit = raw === undefined ? undefined : read.oneOf('DB_SSL', SSL_MODES, 'off');
  for (const url of urlSsl) {
    if (raw !== undefined && explicit === raw && url.mode !== explicit) {
      read.problem(`${url.name} asks for sslmode=${url.sslmode} (TLS ${url.mode}) but DB_SSL is ${explicit}: set TLS in one place`);
    }
  }
  if (raw === undefined && urlSsl.length === 2 && urlSsl[0].mode !== urlSsl[1].mode) {
    read.problem(
      `DATABASE_URL asks for sslmode=${urlSsl[0].sslmode} but DATABASE_READER_URL for sslmode=${urlSsl[1].sslmode}: ` +
        'both pools use one TLS setting (DB_SSL)',
    );
  }
  const mode = explicit ?? urlSsl[0]?.mode ?? 'off';
  const caPath = read.string('DB_SSL_CA_PATH');
  if (caPath && mode !== 'verify-full') read.problem(`DB_SSL_CA_PATH is set, but TLS is ${mode}: only verify-full uses a CA bundle`);
  if (caPath && !fs.existsSync(caPath)) read.problem(`DB_SSL_CA_PATH names a file that does not exist: ${caPath}`);
  return { mode, caPath };
}

function readSchema(read: EnvReader): string {
  const schema = read.string('DB_SCHEMA') ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) read.problem(`DB_SCHEMA must be a lower-case SQL identifier (got "${schema}")`);
  return schema;
}
