import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT, startService } from '../helpers/built-service';
import { dropSchema, onPostgres } from '../helpers/test-database';

/** The compiled service as `npm start` runs it: a real process, a real database, real signals. */
describe('the service process', () => {
  let dir: string;
  let schema: string;
  beforeAll(() => ensureBuilt(), 120_000);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-process-'));
    schema = `test_process_${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (onPostgres) await dropSchema(schema);
  });

  /** This half's database: a new SQLite file, or a new PostgreSQL schema. */
  const databaseEnv = (): Record<string, string> =>
    onPostgres
      ? { DATABASE_URL: process.env.TEST_DATABASE_URL!, DB_SCHEMA: schema }
      : { SQLITE_PATH: path.join(dir, 'nested', 'orders.sqlite') };

  test('when started on a new database, then it migrates and seeds it, serves, and exits 0 on SIGTERM', async () => {
    const env = databaseEnv();
    const service = await startService(env);

    if (env.SQLITE_PATH) expect(fs.existsSync(env.SQLITE_PATH)).toBe(true);
    expect((await fetch(`${service.baseUrl}/health/ready`)).status).toBe(200);
    const created = await fetch(`${service.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', user_id: '1' },
      body: JSON.stringify({ products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] }),
    });
    expect(created.status).toBe(201);

    service.process.kill('SIGTERM');

    expect(await service.exited).toBe(0);
    expect(service.logs.map((entry) => entry.msg)).toEqual(
      expect.arrayContaining(['migrations applied', 'development seed loaded', 'shutdown complete']),
    );
  });

  test('when restarted on the same database, then earlier orders are still there and nothing is seeded twice', async () => {
    const env = databaseEnv();
    const first = await startService(env);
    await fetch(`${first.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', user_id: '2' },
      body: JSON.stringify({ products: [{ id: 3, quantity: 1 }] }),
    });
    first.process.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = await startService(env);
    const res = await fetch(`${second.baseUrl}/orders/1`, { headers: { user_id: '2' } });
    second.process.kill('SIGTERM');

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 1, userId: 2, products: [{ productId: 3 }] });
    expect(second.logs.map((entry) => entry.msg)).toContain('schema up to date');
    expect(second.logs.map((entry) => entry.msg)).not.toContain('development seed loaded');
    expect(await second.exited).toBe(0);
  });

  test('when the configuration is invalid, then it refuses to start and names the variable', async () => {
    const run = promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'service', 'main.js')], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', DB_HOST: 'db.internal', SQLITE_PATH: path.join(dir, 'x.sqlite') },
    });

    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/PORT must be an integer[^]*DB_USER is required/) });
    expect(fs.existsSync(path.join(dir, 'x.sqlite'))).toBe(false);
  });
});

