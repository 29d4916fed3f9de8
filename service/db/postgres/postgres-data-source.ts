import fs from 'node:fs';
import pg from 'pg';
import 'reflect-metadata';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { entities } from '../entities';
import { migrations } from '../migrations';
import { describeEndpoint, type PostgresRole } from './postgres-endpoint';
import type { PostgresSettings } from './postgres-settings';

/** Each pool names itself, so pg_stat_activity shows which connections serve writes and which reads. */
export const WRITER_APPLICATION_NAME = 'order-service-writer';
export const READER_APPLICATION_NAME = 'order-service-reader';

/**
 * One pool on one endpoint: the writer's, which also runs the migrations, or the reader's. Two
 * data sources rather than TypeORM's `replication`, because that connects to every replica before
 * it connects at all, so a reader that is down would keep the service from starting although the
 * writer can serve every read meanwhile (see reader-connection.ts).
 */
export function createPostgresDataSource(settings: PostgresSettings, role: PostgresRole, logger: Logger): DataSource {
  const endpoint = role === 'writer' ? settings.writer : settings.reader;
  if (!endpoint) throw new Error('createPostgresDataSource: no reader is configured');
  const target = describeEndpoint(endpoint);
  return new DataSource({
    type: 'postgres',
    // Named rather than left to TypeORM's require() by name, which a bundle (the Lambda's) cannot follow.
    driver: pg,
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    password: endpoint.password,
    database: endpoint.database,
    ssl: sslOptions(settings.ssl),
    applicationName: role === 'writer' ? WRITER_APPLICATION_NAME : READER_APPLICATION_NAME,
    schema: settings.schema,
    entities,
    migrations: role === 'writer' ? migrations : [],
    // The reader is a hot standby: it must not even try to CREATE EXTENSION.
    installExtensions: role === 'writer',
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
    poolErrorHandler: (error: Error) =>
      logger.warn({ err: error, role, target }, 'database pool connection failed; it will be replaced'),
  });
}

/** The TLS options of a pg connection for the configured mode. */
export function sslOptions(ssl: PostgresSettings['ssl']) {
  if (ssl.mode === 'off') return false;
  // require: encrypted, server not verified (as libpq's sslmode=require).
  if (ssl.mode === 'require') return { rejectUnauthorized: false };
  // verify-full: the chain and the host name, against the bundle given, or Node's own CAs without one.
  return { rejectUnauthorized: true, ...(ssl.caPath ? { ca: fs.readFileSync(ssl.caPath, 'utf8') } : {}) };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
