import path from 'node:path';

export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface SqliteSettings {
  readonly kind: 'sqlite';
  /** A file path, or `:memory:`. */
  readonly path: string;
}

export type DatabaseSettings = SqliteSettings;

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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

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
    database: { kind: 'sqlite', path: sqlitePath(read.string('SQLITE_PATH')) },
    seedDevData: read.boolean('SEED_DEV_DATA', nodeEnv !== 'production'),
    bodyLimitBytes: read.integer('BODY_LIMIT_BYTES', 100 * 1024, { min: 1024, max: 10 * 1024 * 1024 }),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 10_000, { min: 0, max: 120_000 }),
    shutdownDrainMs: read.integer('SHUTDOWN_DRAIN_MS', 0, { min: 0, max: 60_000 }),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

function sqlitePath(value: string | undefined): string {
  if (value === ':memory:') return value;
  return path.resolve(value ?? path.join('db', 'orders.sqlite'));
}

/** Parses one variable at a time and collects every problem instead of stopping at the first. */
class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  integer(name: string, fallback: number, range: { min: number; max: number }): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < range.min || value > range.max) {
      this.problems.push(`${name} must be an integer from ${range.min} to ${range.max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  }
}
