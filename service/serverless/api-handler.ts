import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import express from 'express';
import type { Logger } from 'pino';
import serverless from 'serverless-http';
import { createApp } from '../app';
import { logAuthentication } from '../auth/auth-settings';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { DatabaseUnavailableError } from '../db/database-errors';
import { openDatabase } from '../db/open-database';
import type { Env } from '../env-reader';
import { errorHandler } from '../http/error-handler';
import { httpLogger } from '../http/logger';
import { purgeExpiredKeysPeriodically } from '../orders/idempotency-purge';
import { type FunctionOptions, readFunctionSettings } from './function-container';
import { createRequestRelay, REQUEST_RELAY_BUDGET_MS, type RequestRelay } from './request-relay';
import { IDLE_BEFORE_CHECK_MS, waitForDatabase } from './wait-for-database';

/** An API Gateway HTTP API (payload format 2.0) handler: async, as the Node.js 22 and 24 runtimes require. */
export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** The handler of one container, which can also close its database connection (tests do; Lambda never needs to). */
export type ContainerHandler = ApiHandler & { close(): Promise<void> };


/** Answers sent base64-encoded; everything the service sends is text except the /docs favicons. */
const BINARY_CONTENT_TYPES = ['image/*'];

export interface ApiHandlerOptions extends FunctionOptions {
  /** Check every response against openapi.yaml too (tests turn this on). */
  readonly validateResponses?: boolean;
  /**
   * How long without a request before the next one checks the database first.
   * @default IDLE_BEFORE_CHECK_MS
   */
  readonly idleBeforeCheckMs?: number;
  /**
   * How long a changing request may spend relaying its outbox events before it answers anyway.
   * @default REQUEST_RELAY_BUDGET_MS
   */
  readonly relayBudgetMs?: number;
}

interface Serving {
  readonly db: Database;
  readonly serve: ApiHandler;
  readonly stopPurging: () => void;
  readonly relay: RequestRelay | undefined;
}

/**
 * The same Express app as main.ts serves, behind serverless-http. Everything is set up once per
 * container, on its first request (reading the secret and connecting need the network, which
 * module scope cannot wait for): config, then one database connection kept for the container's
 * life (DB_POOL_SIZE=1, as a container serves one request at a time). Migrations are not run
 * here: the deployment runs them first (migrate-lambda.ts). A database that cannot be reached
 * within DB_STARTUP_RETRY_MS gets the client a 503 problem with Retry-After, and the next request
 * tries again. After a changing request the container relays the outbox before answering
 * (request-relay.ts); the scheduled sweep (relay-handler.ts) sends what that leaves.
 */
export function createApiHandler(env: Env, options: ApiHandlerOptions = {}): ContainerHandler {
  const idleBeforeCheckMs = options.idleBeforeCheckMs ?? IDLE_BEFORE_CHECK_MS;
  let settings: Promise<{ config: Config; logger: Logger }> | undefined;
  let serving: Promise<Serving> | undefined;
  let lastServedAt = 0;

  const handler: ApiHandler = async (event, context) => {
    settings ??= readSettings(env, options).catch((error: unknown) => {
      settings = undefined;
      throw error;
    });
    const { config, logger } = await settings;

    const coldStart = serving === undefined;
    serving ??= open(config, logger, env, options).catch((error: unknown) => {
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
      const response = await current.serve(event, context);
      await current.relay?.afterRequest(event.requestContext.http.method);
      return response;
    } finally {
      lastServedAt = Date.now();
    }
  };
  const close = async () => {
    const current = await serving?.catch(() => undefined);
    serving = undefined;
    current?.stopPurging();
    await current?.relay?.close();
    await current?.db.close();
  };
  return Object.assign(handler, { close });
}

async function readSettings(env: Env, options: ApiHandlerOptions): Promise<{ config: Config; logger: Logger }> {
  const settings = await readFunctionSettings(env, options);
  logAuthentication(settings.config, settings.logger);
  return settings;
}

async function open(config: Config, logger: Logger, env: Env, options: ApiHandlerOptions): Promise<Serving> {
  const db = await openDatabase(config.database, logger);
  // Once per container, then hourly while it lives; the keys expire on read anyway.
  const stopPurging = purgeExpiredKeysPeriodically(db, logger);
  // openapi.yaml passed its schema check in the tests (which build the app with it on): a cold start skips it.
  const app = createApp({ db, logger, config, validateResponses: options.validateResponses, checkContract: false });
  const relay = createRequestRelay(config, db, logger, options.relayBudgetMs ?? REQUEST_RELAY_BUDGET_MS, env.AWS_LAMBDA_FUNCTION_NAME ?? 'local');
  return { db, serve: adapt(app), stopPurging, relay };
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
