import { type AuthSettings, readAuthSettings, readOrderPolicyName } from './auth/auth-settings';
import type { OrderPolicyName } from './auth/order-policy';
import { type DatabaseSettings, readDatabaseSettings } from './db/database-settings';
import { type Env, EnvReader } from './env-reader';
import { readCorsAllowedOrigins } from './http/cors-policy';
import { type MarketplaceSettings, readMarketplaceSettings } from './marketplaces/marketplace-settings';
import { type MessagingSettings, readMessagingSettings } from './messaging/messaging-settings';
import { checkSendTimeout, type MailSettings, readMailSettings } from './notifications/mail-settings';

export type { AuthSettings } from './auth/auth-settings';
export type { DatabaseSettings, PostgresSettings, SqliteSettings } from './db/database-settings';
export type { MailSettings } from './notifications/mail-settings';
export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly nodeEnv: NodeEnv;
  readonly port: number;
  /** Interface to listen on; undefined lets Node listen on every interface. */
  readonly host: string | undefined;
  readonly logLevel: LogLevel;
  readonly database: DatabaseSettings;
  /** Load the development users and products when the database is empty. */
  readonly seedDevData: boolean;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** How long a shutdown waits for in-flight requests before closing them. */
  readonly shutdownTimeoutMs: number;
  /** How long a shutdown keeps serving, reporting not ready, before it stops accepting. */
  readonly shutdownDrainMs: number;
  /** How callers prove who they are: the user_id header (development) or verified JWTs. */
  readonly auth: AuthSettings;
  /** Who may do what with orders (auth/order-policy.ts). */
  readonly orderPolicy: OrderPolicyName;
  /** Browser origins allowed to call the API (CORS); empty means CORS is off. */
  readonly corsAllowedOrigins: readonly string[];
  /** The outbox relay, the queue and the worker. */
  readonly messaging: MessagingSettings;
  /** How order notifications are mailed (notifications/). */
  readonly mail: MailSettings;
  /** The default marketplace and the ones whose orders this deployment takes. */
  readonly marketplaces: MarketplaceSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const config: Config = {
    nodeEnv,
    port: read.integer('PORT', 3000, { min: 0, max: 65535 }),
    host: read.string('HOST'),
    logLevel: read.oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      nodeEnv === 'test' ? 'silent' : 'info',
    ),
    database: readDatabaseSettings(read),
    seedDevData: read.boolean('SEED_DEV_DATA', nodeEnv !== 'production'),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 100 * 1024, { min: 1024, max: 10 * 1024 * 1024 }),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 10_000, { min: 0, max: 120_000 }),
    shutdownDrainMs: read.integer('SHUTDOWN_DRAIN_MS', 0, { min: 0, max: 60_000 }),
    auth: readAuthSettings(read, nodeEnv),
    orderPolicy: readOrderPolicyName(read),
    corsAllowedOrigins: readCorsAllowedOrigins(read),
    messaging: readMessagingSettings(read),
    mail: readMailSettings(read, nodeEnv),
    marketplaces: readMarketplaceSettings(read),
  };
  checkSendTimeout(read, config.mail, config.database);

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
