import fs from 'node:fs';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { PostgresEndpoint, PostgresSettings, SqliteSettings } from './database-settings';
import { entities } from './entities';
import { migrations } from './migrations';

/** Each pool names itself, so pg_stat_activity shows which connections serve writes and which reads. */
export const WRITER_APPLICATION_NAME = 'order-service-writer';
export const READER_APPLICATION_NAME = 'order-service-reader';

/** SQLite tuned for a local server: WAL lets readers run beside the writer, NORMAL is durable in WAL. */
export function createSqliteDataSource(settings: SqliteSettings): DataSource {
  return new DataSource({
    type: 'better-sqlite3',
    database: settings.path,
    entities,
    migrations,
    synchronize: false,
    logging: false,
    // better-sqlite3 waits this long for a lock held by another process (a migration run, say).
    timeout: 5000,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    },
  });
}

/**
 * PostgreSQL with a writer pool and, when a reader is configured, a reader pool (TypeORM's
 * replication). Every query names its pool explicitly (see postgres-database.ts), because with
 * replication TypeORM sends unqualified reads to the replica.
 */
export function createPostgresDataSource(settings: PostgresSettings, logger: Logger): DataSource {
  const ssl = sslOptions(settings.ssl);
  const node = (endpoint: PostgresEndpoint, applicationName: string) => ({
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    password: endpoint.password,
    database: endpoint.database,
    ssl,
    applicationName,
  });
  const writer = node(settings.writer, WRITER_APPLICATION_NAME);
  return new DataSource({
    type: 'postgres',
    ...(settings.reader
      ? { replication: { master: writer, slaves: [node(settings.reader, READER_APPLICATION_NAME)] } }
      : writer),
    schema: settings.schema,
    entities,
    migrations,
    synchronize: false,
    logging: false,
    poolSize: settings.poolSize,
    connectTimeoutMS: settings.connectTimeoutMs,
    extra: {
      statement_timeout: settings.statementTimeoutMs,
      // A transaction left open by a stuck client must not hold row locks forever.
      idle_in_transaction_session_timeout: settings.statementTimeoutMs * 3,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      options: `-c search_path=${quoteIdentifier(settings.schema)}`,
    },
    // After a failover, idle pooled connections error out; without a listener the process would crash.
    poolErrorHandler: (error: Error) => logger.warn({ err: error }, 'database pool connection failed; it will be replaced'),
  });
}

function sslOptions(ssl: PostgresSettings['ssl']) {
  if (ssl.mode === 'off') return false;
  // require: encrypted, server not verified (as libpq's sslmode=require).
  if (ssl.mode === 'require') return { rejectUnauthorized: false };
  // verify-full: the chain and the host name, against the bundle given, or Node's own CAs without one.
  return { rejectUnauthorized: true, ...(ssl.caPath ? { ca: fs.readFileSync(ssl.caPath, 'utf8') } : {}) };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
