import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, serviceTestBed } from '../helpers/built-service';

/** The compiled service as `npm start` runs it: a real process, a real database, real signals. */
describe('the service process', () => {
  const bed = serviceTestBed('process');
  /** In a folder that does not exist yet: the service makes it. */
  const databaseEnv = () => bed.env(path.join('nested', 'orders.sqlite'));

  test('when started on a new database, then it migrates and seeds it, serves, and exits 0 on SIGTERM', async () => {
    const env = databaseEnv();
    const service = await bed.start(env);

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

  test('when SIGTERM comes right after a burst of requests, then every request still has its log line (the asynchronous log is flushed on exit)', async () => {
    const service = await bed.start(databaseEnv());
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => fetch(`${service.baseUrl}/orders/${(i % 3) + 1}`, { headers: { user_id: '1', 'x-request-id': `burst-${i}` } })),
    );

    service.process.kill('SIGTERM');

    expect(await service.exited).toBe(0);
    expect(answers.every((res) => res.status === 404 || res.status === 200)).toBe(true);
    const logged = service.logs.filter((entry) => String((entry.req as { id?: string } | undefined)?.id).startsWith('burst-'));
    expect(logged).toHaveLength(200);
    expect(service.logs.at(-1)?.msg).toBe('shutdown complete');
  });

  test('when the service is quiet, then a request\'s log line still reaches stdout while it runs (the log buffer is flushed every 250 ms)', async () => {
    const service = await bed.start(databaseEnv());
    await fetch(`${service.baseUrl}/orders/1`, { headers: { user_id: '1', 'x-request-id': 'quiet-1' } });
    const requested = Date.now();

    const isLogged = () => service.logs.some((entry) => (entry.req as { id?: string } | undefined)?.id === 'quiet-1');
    while (!isLogged() && Date.now() - requested < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));

    expect(isLogged()).toBe(true);
    expect(service.process.exitCode).toBeNull();
  });

  test('when restarted on the same database, then earlier orders are still there and nothing is seeded twice', async () => {
    const env = databaseEnv();
    const first = await bed.start(env);
    await fetch(`${first.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', user_id: '2' },
      body: JSON.stringify({ products: [{ id: 3, quantity: 1 }] }),
    });
    first.process.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = await bed.start(env);
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
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', DB_HOST: 'db.internal', SQLITE_PATH: path.join(bed.dir, 'x.sqlite') },
    });

    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/PORT must be an integer[^]*DB_USER is required/) });
    expect(fs.existsSync(path.join(bed.dir, 'x.sqlite'))).toBe(false);
  });
});

