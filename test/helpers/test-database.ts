import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import pino from 'pino';
import { loadConfig } from '../../service/config';
import type { Database } from '../../service/db/database';
import { migrate } from '../../service/db/migrate';
import { openDatabase } from '../../service/db/open-database';
import { seedDevelopmentData } from '../../service/db/seed';

/** Which half of the suite this is: the jest project sets TEST_DB (see jest.config.js). */
export const onPostgres = process.env.TEST_DB === 'postgres';

export interface TestDatabase {
  readonly db: Database;
  /** SQL with `?` placeholders on either database; returns the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Blocks order creation for `ms` from outside the app: SQLite's single writer is kept busy; on
   * PostgreSQL another session locks product 1, which a new order line must reference. Resolves
   * when the block ends; `held` resolves once it is in place (send the request to block after it).
   */
  blockOrderCreation(ms: number): Promise<void> & { readonly held: Promise<void> };
  /** Another connection to the same data, as a restarted service would open (the caller closes it). */
  reopen(): Promise<Database>;
  /** Closes it and throws its data away. */
  dispose(): Promise<void>;
}

/**
 * A fresh database for one test file or test: in-memory SQLite, or on PostgreSQL a new schema in
 * TEST_DATABASE_URL's database (fast to create, dropped afterwards, safe for parallel workers).
 */
export async function openTestDatabase(
  options: { migrate?: boolean; seed?: boolean; /** SQLite in a file, so that reopen() works. */ persistent?: boolean } = {},
): Promise<TestDatabase> {
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dir = options.persistent && !onPostgres ? fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-db-')) : undefined;
  const config = loadConfig(
    onPostgres
      ? { DATABASE_URL: process.env.TEST_DATABASE_URL, DB_SCHEMA: schema, DB_STARTUP_RETRY_MS: '0' }
      : { SQLITE_PATH: dir ? path.join(dir, 'orders.sqlite') : ':memory:' },
  );
  const open = () => openDatabase(config.database, pino({ level: 'silent' }));
  const db = await open();
  if (options.migrate ?? true) await migrate(db);
  if (options.seed ?? true) await seedDevelopmentData(db);

  return {
    db,
    query: (sql, params = []) => db.dataSource.query(onPostgres ? numberedPlaceholders(sql) : sql, params),
    blockOrderCreation: (ms) => {
      let onHeld!: () => void;
      const held = new Promise<void>((resolve) => (onHeld = resolve));
      const block = onPostgres
        ? lockProductOne(schema, ms, onHeld)
        : db.write(async () => {
            onHeld();
            await delay(ms);
          });
      return Object.assign(block, { held });
    },
    reopen: () => {
      if (!onPostgres && !dir) throw new Error('reopen() needs openTestDatabase({ persistent: true }) on SQLite');
      return open();
    },
    dispose: async () => {
      await db.close();
      if (onPostgres) await dropSchema(schema);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function lockProductOne(schema: string, ms: number, onHeld: () => void): Promise<void> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT id FROM products WHERE id = 1 FOR UPDATE');
    onHeld();
    await delay(ms);
    await client.query('ROLLBACK');
  } finally {
    await client.end();
  }
}

/** On its own connection, so that it works even when the test closed the app's database. */
async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** PostgreSQL numbers its placeholders: `?, ?` becomes `$1, $2`. */
function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
