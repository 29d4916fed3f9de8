import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import express from 'express';
import type pino from 'pino';
import type { Logger } from 'pino';
import serverless from 'serverless-http';
import { createApp } from '../app';
import { logAuthentication } from '../auth/auth-settings';
import { type Config, ConfigError, loadConfig } from '../config';
import type { Database } from '../db/database';
import { DatabaseUnavailableError } from '../db/database-errors';
import { openDatabase } from '../db/open-database';
import type { Env } from '../env-reader';
import { errorHandler } from '../http/error-handler';
import { createLogger, httpLogger } from '../http/logger';
import { purgeExpiredKeysPeriodically } from '../orders/idempotency-purge';
import { type SecretReader, withDatabaseSecret } from './database-secret';
import { waitForDatabase } from './wait-for-database';

/** An API Gateway HTTP API (payload format 2.0) handler: async, as the Node.js 22 and 24 runtimes require. */
export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The handler of one container, which can also close its database connection (tests do; Lambda never needs to). */
export type ContainerHandler = ApiHandler & { close(): Promise<void> };

/**
 * After this long without a request, the container checks that the database answers before the
 * next one. Aurora pauses only after minutes without any connection, and this container held one
 * until its last request, so a shorter gap cannot have met a pause.
 */
export const IDLE_BEFORE_CHECK_MS = 60_000;

/** Answers sent base64-encoded; everything the service sends is text except the /docs favicons. */
const BINARY_CONTENT_TYPES = ['image/*'];

export interface ApiHandlerOptions {
  /** How DB_SECRET_ARN is read (default: Secrets Manager through the runtime's AWS SDK). */
  readonly readSecret?: SecretReader;
  /** Where the container logs (default: stdout, which Lambda sends to CloudWatch Logs). */
  readonly logDestination?: pino.DestinationStream;
  /** Check every response against openapi.yaml too (tests turn this on). */
  readonly validateResponses?: boolean;
  /**
   * How long without a request before the next one checks the database first.
   * @default IDLE_BEFORE_CHECK_MS
   */
  readonly idleBeforeCheckMs?: number;
}

interface Serving {
  readonly db: Database;
  readonly serve: ApiHandler;
  readonly stopPurging: () => void;
}

/**
 * The same Express app as main.ts serves, behind serverless-http. Everything is set up once per
 * container, on its first request (reading the secret and connecting need the network, which
 * module scope cannot wait for): config, then one database connection kept for the container's
 * life (DB_POOL_SIZE=1, as a container serves one request at a time). Migrations are not run
 * here: the deployment runs them first (migrate-lambda.ts). A database that cannot be reached
 * within DB_STARTUP_RETRY_MS gets the client a 503 problem with Retry-After, and the next request
 * tries again.
 */
export function createApiHandler(env: Env, options: ApiHandlerOptions = {}): ContainerHandler {
  const idleBeforeCheckMs = options.idleBeforeCheckMs ?? IDLE_BEFORE_CHECK_MS;
  let settings: Promise<{ config: Config; logger: Logger }> | undefined;
  let serving: Promise<Serving> | undefined;
  let lastServedAt = 0;

  const handler: ApiHandler = async (event, context) => {
    settings ??= readSettings(env, options).catch((error: unknown) => {
      settings = undefined;
      console.error(error instanceof ConfigError ? error.message : error);
      throw error;
    });
    const { config, logger } = await settings;

    const coldStart = serving === undefined;
    serving ??= open(config, logger, options).catch((error: unknown) => {
      serving = undefined;
      throw error;
    });
    let current: Serving;
    try {
      current = await serving;
    } catch (error) {
      logger.error({ err: error }, 'cannot reach the database; answering 503');
      return unavailable(logger, error)(event, context);
    }

    // Only Aurora pauses; SQLite (local runs) has nothing to wait for.
    const resumable = config.database.kind === 'postgres' && !coldStart && Date.now() - lastServedAt >= idleBeforeCheckMs;
    if (resumable && !(await waitForDatabase(current.db, config.database.startupRetryMs, logger))) {
      return unavailable(logger, undefined)(event, context);
    }
    try {
      return await current.serve(event, context);
    } finally {
      lastServedAt = Date.now();
    }
  };
  const close = async () => {
    const current = await serving?.catch(() => undefined);
    serving = undefined;
    current?.stopPurging();
    await current?.db.close();
  };
  return Object.assign(handler, { close });
}

async function readSettings(env: Env, options: ApiHandlerOptions): Promise<{ config: Config; logger: Logger }> {
  const config = loadConfig(await withDatabaseSecret(env, options.readSecret));
  const logger = createLogger(config.logLevel, options.logDestination);
  logAuthentication(config, logger);
  return { config, logger };
}

async function open(config: Config, logger: Logger, options: ApiHandlerOptions): Promise<Serving> {
  const db = await openDatabase(config.database, logger);
  // Once per container, then hourly while it lives; the keys expire on read anyway.
  const stopPurging = purgeExpiredKeysPeriodically(db, logger);
  // openapi.yaml passed its schema check in the tests (which build the app with it on): a cold start skips it.
  const app = createApp({ db, logger, config, validateResponses: options.validateResponses, checkContract: false });
  return { db, serve: adapt(app), stopPurging };
}

/** The request log line and the 503 problem, as the app renders a DatabaseUnavailableError. */
function unavailable(logger: Logger, cause: unknown): ApiHandler {
  const app = express();
  app.use(httpLogger(logger));
  app.use(() => {
    throw new DatabaseUnavailableError(cause);
  });
  app.use(errorHandler);
  return adapt(app);
}

function adapt(app: express.Express): ApiHandler {
  return serverless(app, { binary: BINARY_CONTENT_TYPES }) as ApiHandler;
}
