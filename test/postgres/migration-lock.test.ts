import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Client } from 'pg';
import { loadConfig } from '../../service/config';
import { migrations } from '../../service/db/migrations';
import { openDatabase } from '../../service/db/open-database';

const ALL_MIGRATIONS = migrations.map((Migration) => new Migration().name);

/** Several tasks of a deploy start at once on an empty database: exactly one may migrate. */
describe('migrations under the advisory lock', () => {
  const schema = `test_lock_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  beforeAll(() => admin.connect());
  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  test('when five instances migrate the same empty database at once, then one applies the migrations and the others find nothing to do', async () => {
    const config = loadConfig({ DATABASE_URL: process.env.TEST_DATABASE_URL, DB_SCHEMA: schema });
    const instances = await Promise.all(Array.from({ length: 5 }, () => openDatabase(config.database, pino({ level: 'silent' }))));

    try {
      const results = await Promise.all(instances.map((db) => db.migrate()));

      expect(results.filter((applied) => applied.length > 0)).toEqual([ALL_MIGRATIONS]);
      expect(results.filter((applied) => applied.length === 0)).toHaveLength(4);
      const { rows } = await admin.query(`SELECT name FROM ${schema}.migrations ORDER BY id`);
      expect(rows.map((row) => row.name)).toEqual(ALL_MIGRATIONS);
    } finally {
      await Promise.all(instances.map((db) => db.close()));
    }
  });

  test('when a migration run holds the lock, then another run waits for it', async () => {
    const config = loadConfig({ DATABASE_URL: process.env.TEST_DATABASE_URL, DB_SCHEMA: schema });
    const db = await openDatabase(config.database, pino({ level: 'silent' }));
    const holder = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(7265441002)');
      let finished = false;
      const waiting = db.migrate().then(() => (finished = true));

      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(finished).toBe(false);
      await holder.query('SELECT pg_advisory_unlock(7265441002)');
      await waiting;
      expect(finished).toBe(true);
    } finally {
      await holder.end();
      await db.close();
    }
  });
});
