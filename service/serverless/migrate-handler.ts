import type pino from 'pino';
import { loadConfig } from '../config';
import { runMigrations } from '../db/run-migrations';
import type { Env } from '../env-reader';
import { createLogger } from '../http/logger';
import { type SecretReader, withDatabaseSecret } from './database-secret';

export interface MigrateHandlerOptions {
  /** How DB_SECRET_ARN is read (default: Secrets Manager through the runtime's AWS SDK). */
  readonly readSecret?: SecretReader;
  /** Where the run logs (default: stdout). */
  readonly logDestination?: pino.DestinationStream;
}

/**
 * `npm run migrate` as a Lambda handler: the deployment invokes it (a CDK trigger) before the API
 * function gets new code, and a failure fails the deployment, which CloudFormation rolls back.
 * It waits up to DB_STARTUP_RETRY_MS for a paused database to resume.
 */
export function createMigrateHandler(env: Env, options: MigrateHandlerOptions = {}): () => Promise<{ applied: string[] }> {
  return async () => {
    const config = loadConfig(await withDatabaseSecret(env, options.readSecret));
    const applied = await runMigrations(config.database, createLogger(config.logLevel, options.logDestination));
    return { applied };
  };
}
