import path from 'node:path';

export interface SqliteSettings {
  readonly kind: 'sqlite';
  /** A file path, or `:memory:`. */
  readonly path: string;
}

/** SQLITE_PATH: a file (relative to the working directory), `:memory:`, or db/orders.sqlite by default. */
export function sqliteSettings(configuredPath: string | undefined): SqliteSettings {
  if (configuredPath === ':memory:') return { kind: 'sqlite', path: configuredPath };
  return { kind: 'sqlite', path: path.resolve(configuredPath ?? path.join('db', 'orders.sqlite')) };
}
