import type pino from 'pino';
import type { Logger } from 'pino';
import { type Config, ConfigError, loadConfig } from '../config';
import type { Env } from '../env-reader';
import { createLogger } from '../http/logger';
import { type SecretReader, withDatabaseSecret } from './database-secret';

/** What every function of the tier may be given instead of the runtime's defaults (tests do). */
export interface FunctionOptions {
  /** How DB_SECRET_ARN is read (default: Secrets Manager through the runtime's AWS SDK). */
  readonly readSecret?: SecretReader;
  /** Where the container logs (default: stdout, which Lambda sends to CloudWatch Logs). */
  readonly logDestination?: pino.DestinationStream;
}

export interface FunctionSettings {
  readonly config: Config;
  readonly logger: Logger;
}

/** The database secret read, then the configuration loaded; a refused one is printed for a human, as main.ts does. */
export async function readFunctionSettings(env: Env, options: FunctionOptions): Promise<FunctionSettings> {
  try {
    const config = loadConfig(await withDatabaseSecret(env, options.readSecret));
    return { config, logger: createLogger(config.logLevel, options.logDestination) };
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    throw error;
  }
}

/**
 * A value made on first use and kept for the container's life (settings, a database connection):
 * a failure is not kept, so the next invocation tries again.
 */
export function lazily<T>(make: () => Promise<T>): { get(): Promise<T>; forget(): Promise<T | undefined> } {
  let value: Promise<T> | undefined;
  return {
    get: () =>
      (value ??= make().catch((error: unknown) => {
        value = undefined;
        throw error;
      })),
    async forget() {
      const current = value;
      value = undefined;
      return current?.catch(() => undefined);
    },
  };
}
