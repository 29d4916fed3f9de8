import request from 'supertest';
import { createLogger } from '../../service/http/logger';
import { startIssuerApp } from '../helpers/issuer-app';
import { README_ORDER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { bearer } from '../helpers/token-issuer';

const SHOP = 'https://shop.example.com';

describe('CORS', () => {
  test('when no origins are configured, then no response grants cross-origin access, preflight included', async () => {
    const t = await createTestApp();
    try {
      const simple = await request(t.app).get('/orders').set('Origin', SHOP).set('user_id', '1');
      const preflight = await request(t.app).options('/orders').set('Origin', SHOP).set('Access-Control-Request-Method', 'POST');

      expect(simple.status).toBe(200);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  describe('with CORS_ALLOWED_ORIGINS', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { CORS_ALLOWED_ORIGINS: `${SHOP}, https://admin.example.com:8443` } });
    });
    afterAll(() => t.close());

    test('when an allowed origin sends a preflight, then it may POST with the API headers and read ETag back', async () => {
      const res = await request(t.app)
        .options('/orders')
        .set('Origin', SHOP)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,idempotency-key');

      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(SHOP);
      expect(res.headers['access-control-allow-methods']).toBe('GET,POST,PATCH');
      expect(res.headers['access-control-allow-headers']).toContain('Idempotency-Key');
      expect(res.headers.vary).toMatch(/Origin/);
    });

    test('when an allowed origin calls, then the answer names it and exposes the API headers', async () => {
      const res = await request(t.app).post('/orders').set('Origin', 'https://admin.example.com:8443').set('user_id', '1').send(README_ORDER);

      expect(res.status).toBe(201);
      expect(res.headers['access-control-allow-origin']).toBe('https://admin.example.com:8443');
      expect(res.headers['access-control-expose-headers']).toContain('ETag');
    });

    test('when another origin calls, then it gets no CORS headers (the browser blocks it)', async () => {
      const res = await request(t.app).get('/orders').set('Origin', 'https://evil.example.net').set('user_id', '1');

      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('what the logs never contain', () => {
  test('when callers send tokens and user_id headers, then the log has the user id but never the token or the raw header', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const { issuer, t: jwtApp } = await startIssuerApp({ logger });
    const headerApp = await createTestApp({ logger: logger });
    try {
      const token = await issuer.customer();
      const forged = `${token.slice(0, -4)}AAAA`;
      await request(jwtApp.app).post('/orders').set('Authorization', bearer(token)).send(README_ORDER);
      await request(jwtApp.app).get('/orders').set('Authorization', bearer(forged)).set('Cookie', 'session=s3cr3t-cookie');
      await request(headerApp.app).get('/orders').set('user_id', '4');
      await request(headerApp.app).get('/orders').set('user_id', "4'; DROP TABLE orders; --");
      await request(headerApp.app).get('/orders').set('user_id', '4').set('Proxy-Authorization', 'Basic cHJveHktc2VjcmV0').set('X-Api-Key', 'api-key-s3cr3t');

      const log = lines.join('');
      expect(log).not.toContain(token);
      expect(log).not.toContain(forged.slice(-40));
      expect(log).not.toContain('s3cr3t-cookie');
      expect(log).not.toContain('DROP TABLE');
      expect(log).not.toContain('cHJveHktc2VjcmV0');
      expect(log).not.toContain('api-key-s3cr3t');
      expect(log).toContain('"user_id":"[redacted]"');
      expect(log).toMatch(/"userId":4/);
      expect(lines.length).toBeGreaterThanOrEqual(4);
    } finally {
      await jwtApp.close();
      await headerApp.close();
    }
  });
});

describe('the request log line', () => {
  test('when a request is answered, then its line has the request id, method, URL, status, time and caller, and of the headers only the client, the proxy chain and which credentials came', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const t = await createTestApp({ logger });
    try {
      await request(t.app)
        .get('/orders')
        .set('user_id', '4')
        .set('X-Request-Id', 'trace-42')
        .set('User-Agent', 'shop-app/1.2')
        .set('X-Forwarded-For', '203.0.113.7')
        .set('Accept-Language', 'de-DE')
        .set('X-Custom-Secretish', 'not-for-the-log')
        .expect(200);

      const line = lines.map((text) => JSON.parse(text)).find((entry) => entry.req?.id === 'trace-42');
      expect(line).toMatchObject({
        level: 30,
        userId: 4,
        role: 'customer',
        responseTime: expect.any(Number),
        req: { id: 'trace-42', method: 'GET', url: '/orders' },
        res: { statusCode: 200 },
      });
      expect(line.req.headers).toEqual({ 'user-agent': 'shop-app/1.2', 'x-forwarded-for': '203.0.113.7', user_id: '[redacted]' });
      expect(lines.join('')).not.toContain('not-for-the-log');
    } finally {
      await t.close();
    }
  });
});
