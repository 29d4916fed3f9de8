import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { README_ORDER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { bearer } from '../helpers/token-issuer';

const ROOT = path.resolve(__dirname, '..', '..');

/** `npm run token`, as docs/authentication.md tells a developer to use it: eval its settings, then mint tokens. */
describe('npm run token (development tokens for AUTH_MODE=jwt)', () => {
  let dir: string;
  let t: TestApp;
  /** Runs the script through a shell, exactly as `npm run -s token -- ...` does. */
  const run = (args: string) =>
    execFileSync('/bin/sh', ['-c', `node scripts/dev-token.mjs ${args}`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DEV_AUTH_DIR: dir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-dev-auth-'));
    // The settings docs/authentication.md evals, read back from a shell that evaluated them.
    const printed = execFileSync('/bin/sh', ['-c', `eval "$(node scripts/dev-token.mjs --env)" && env`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DEV_AUTH_DIR: dir },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const env = Object.fromEntries(
      printed
        .split('\n')
        .filter((line) => line.startsWith('AUTH_'))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    t = await createTestApp({ env });
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('when a developer mints a customer token, then the service configured by --env accepts it', async () => {
    const res = await request(t.app).post('/orders').set('Authorization', bearer(run('--sub alice'))).send(README_ORDER);

    expect(res.status).toBe(201);
    expect(await t.query('SELECT external_id FROM users WHERE id = ?', [res.body.userId])).toEqual([{ external_id: 'alice' }]);
  });

  test('when a developer mints a --staff token, then it reads other users\' orders', async () => {
    const order = await request(t.app).post('/orders').set('Authorization', bearer(run('--sub bob'))).send(README_ORDER);

    const res = await request(t.app).get(`/orders/${order.body.id}`).set('Authorization', bearer(run('--sub clerk --staff')));

    expect(res.status).toBe(200);
  });

  test('when the key pair exists, then it is reused, and the private key is readable by its owner only', () => {
    const before = fs.readFileSync(path.join(dir, 'private.pem'), 'utf8');
    run('--sub carol');

    expect(fs.readFileSync(path.join(dir, 'private.pem'), 'utf8')).toBe(before);
    expect(fs.statSync(path.join(dir, 'private.pem')).mode & 0o777).toBe(0o600);
  });
});
