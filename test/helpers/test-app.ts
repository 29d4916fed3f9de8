import type { Express } from 'express';
import pino from 'pino';
import { createApp } from '../../service/app';
import type { Database } from '../../service/db/database';
import { migrate } from '../../service/db/migrate';
import { openSqliteDatabase } from '../../service/db/sqlite-database';
import { seedDevelopmentData } from '../../service/db/seed';
import { Lifecycle } from '../../service/health/lifecycle';
import { recordingApp } from './spec-recorder';

export interface TestApp {
  /** The app as a client sees it, with every response checked against openapi.yaml. */
  readonly app: Express;
  readonly db: Database;
  readonly lifecycle: Lifecycle;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Load the development users and products (default true). */
  readonly seed?: boolean;
  readonly bodyLimitBytes?: number;
}

/** The real app on a fresh, migrated in-memory SQLite database. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await openSqliteDatabase({ kind: 'sqlite', path: ':memory:' });
  await migrate(db);
  if (options.seed ?? true) await seedDevelopmentData(db);
  const lifecycle = new Lifecycle();
  const app = createApp({
    db,
    logger: pino({ level: 'silent' }),
    config: { bodyLimitBytes: options.bodyLimitBytes ?? 100 * 1024 },
    lifecycle,
    validateResponses: true,
  });
  return { app: recordingApp(app), db, lifecycle, close: () => db.close() };
}
