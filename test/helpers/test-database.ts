import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { loadConfig } from '../../service/config';
import type { Database } from '../../service/db/database';
import { openDatabase } from '../../service/db/open-database';
import { seedDevelopmentData } from '../../service/seed/development-seed';

export interface Block {
  /** Resolves once the block is in place: send the request it should hold up after this. */
  readonly held: Promise<void>;
  /** Lets order creation go on; resolves once the block is gone. */
  release(): Promise<void>;
  /** PostgreSQL: resolves once `count` of the service's transactions wait on the block's lock. */
  waiters(count: number): Promise<void>;
}

/** Which half of the suite this is: the jest project sets TEST_DB (see jest.config.js). */
export const onPostgres = process.env.TEST_DB === 'postgres';

export interface TestDatabase {
  readonly db: Database;
  /** The service's variables that reach this same database (another process or handler can open it; SQLite: persistent only). */
  readonly env: Record<string, string>;
  /** SQL with `?` placeholders on either database; returns the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Blocks order creation from outside the app until released (or `maxMs` passed): SQLite's
   * single writer is kept busy; on PostgreSQL another session locks product 1, which a new order
   * line must reference.
   */
  blockOrderCreation(maxMs?: number): Block;
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
  const env: Record<string, string> = onPostgres
    ? { DATABASE_URL: process.env.TEST_DATABASE_URL!, DB_SCHEMA: schema, DB_STARTUP_RETRY_MS: '0' }
    : { SQLITE_PATH: dir ? path.join(dir, 'orders.sqlite') : ':memory:' };
  const config = loadConfig(env);
  const open = () => openDatabase(config.database, pino({ level: 'silent' }));
  const db = await open();
  if (options.migrate ?? true) await db.migrate();
  if (options.seed ?? true) await seedDevelopmentData(db);

  return {
    db,
    env,
    query: (sql, params = []) => db.dataSource.query(onPostgres ? numberedPlaceholders(sql) : sql, params),
    blockOrderCreation: (maxMs = 10_000) => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
        setTimeout(resolve, maxMs).unref();
      });
      let onHeld!: () => void;
      const held = new Promise<void>((resolve) => (onHeld = resolve));
      const holding = onPostgres
        ? lockProductOne(schema, released, onHeld)
        : db.write(() => {
            onHeld();
            return released;
          });
      return {
        held,
        release: async () => {
          release();
          await holding;
        },
        waiters: (count) => lockWaiters(count),
      };
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

async function lockProductOne(schema: string, released: Promise<void>, onHeld: () => void): Promise<void> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT id FROM products WHERE id = 1 FOR UPDATE');
    onHeld();
    await released;
    await client.query('ROLLBACK');
  } finally {
    await client.end();
  }
}

async function lockWaiters(count: number): Promise<void> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    for (const deadline = Date.now() + 15_000; ; ) {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'order-service-writer' AND wait_event_type = 'Lock'",
      );
      if (rows[0].n >= count) return;
      if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${count} transactions wait on the lock`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await client.end();
  }
}

/** On its own connection, so that it works even when the test closed the app's database. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** PostgreSQL numbers its placeholders: `?, ?` becomes `$1, $2`. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
