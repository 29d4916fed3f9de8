import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT, startService } from '../helpers/built-service';

/** The compiled service as `npm start` runs it: a real process, a real file, real signals. */
describe('the service process', () => {
  let dir: string;
  beforeAll(() => ensureBuilt(), 120_000);
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-process-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('when started on a new path, then it creates and seeds the SQLite file, serves, and exits 0 on SIGTERM', async () => {
    const sqlitePath = path.join(dir, 'nested', 'orders.sqlite');
    const service = await startService({ SQLITE_PATH: sqlitePath });

    expect(fs.existsSync(sqlitePath)).toBe(true);
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

  test('when restarted on the same file, then earlier orders are still there and nothing is seeded twice', async () => {
    const env = { SQLITE_PATH: path.join(dir, 'orders.sqlite') };
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
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', SQLITE_PATH: path.join(dir, 'x.sqlite') },
    });

    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('PORT must be an integer') });
    expect(fs.existsSync(path.join(dir, 'x.sqlite'))).toBe(false);
  });
});
