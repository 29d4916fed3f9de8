import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, serviceTestBed } from '../helpers/built-service';
import { bearer, TestIssuer } from '../helpers/token-issuer';

const ORDER = JSON.stringify({ products: [{ id: 9, quantity: 7 }] });

/** The compiled service as the container runs it (NODE_ENV=production): how it authenticates. */
describe('authentication of the service process', () => {
  const bed = serviceTestBed('auth');
  const databaseEnv = () => bed.env();
  // Production mails through SES by default; these tests are about authentication, so files will do.
  const mailEnv = (): Record<string, string> => ({ MAIL_TRANSPORT: 'file', MAIL_DIR: path.join(bed.dir, 'mail') });

  const runToExit = (env: Record<string, string>) =>
    promisify(execFile)(process.execPath, [path.join(ROOT, 'dist', 'service', 'main.js')], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', ...databaseEnv(), ...mailEnv(), ...env },
    });

  test('when production starts without authentication settings, then it refuses and names each missing variable', async () => {
    await expect(runToExit({ NODE_ENV: 'production' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/AUTH_JWKS_URL[^]*AUTH_ISSUER is required[^]*AUTH_AUDIENCE is required/),
    });
  });

  test('when production asks for the user_id header mode, then it refuses to start', async () => {
    await expect(runToExit({ NODE_ENV: 'production', AUTH_MODE: 'header' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('set ALLOW_INSECURE_HEADER_AUTH=true to accept the risk'),
    });
  });

  test('when production allows the header mode explicitly, then it starts, warns in the log, and the header works', async () => {
    const service = await bed.start({
      ...databaseEnv(),
      ...mailEnv(),
      NODE_ENV: 'production',
      AUTH_MODE: 'header',
      ALLOW_INSECURE_HEADER_AUTH: 'true',
      SEED_DEV_DATA: 'true',
    });
    try {
      const res = await fetch(`${service.baseUrl}/orders`, { headers: { user_id: '1' } });

      expect(res.status).toBe(200);
      expect(service.logs).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringMatching(/^INSECURE: AUTH_MODE=header in production/) }));
    } finally {
      service.process.kill('SIGTERM');
      await service.exited;
    }
  });

  test('when production runs in JWT mode, then a token from the issuer orders, and the logs never hold the token', async () => {
    const issuer = await TestIssuer.start();
    const service = await bed.start({ ...databaseEnv(), ...mailEnv(), ...issuer.env(), NODE_ENV: 'production', SEED_DEV_DATA: 'true' });
    try {
      const token = await issuer.staff();

      const created = await fetch(`${service.baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: bearer(token) },
        body: ORDER,
      });
      const anonymous = await fetch(`${service.baseUrl}/orders`, { headers: { user_id: '1' } });

      // A request's log line is written once its response has finished: it may trail the answer.
      for (let waited = 0; waited < 5000 && !service.logs.some((entry) => entry.role === 'staff'); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));

      expect(created.status).toBe(201);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="order-service", error="invalid_token"');
      expect(service.logs).toContainEqual(expect.objectContaining({ msg: 'authentication: jwt', keys: issuer.jwksUrl, orderPolicy: 'default' }));
      expect(service.logs).toContainEqual(expect.objectContaining({ role: 'staff', req: expect.objectContaining({ method: 'POST' }) }));
      expect(JSON.stringify(service.logs)).not.toContain(token.split('.')[2]);
    } finally {
      service.process.kill('SIGTERM');
      await service.exited;
      await issuer.close();
    }
  });
});

