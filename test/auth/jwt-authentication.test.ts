import { createHmac, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../service/http/logger';
import { startIssuerApp } from '../helpers/issuer-app';
import { README_ORDER } from '../helpers/orders';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { AUDIENCE, bearer, ISSUER, makeSigningKey, TestIssuer } from '../helpers/token-issuer';

const INVALID_TOKEN = 'Bearer realm="order-service", error="invalid_token"';

/** The service's own logger (its redaction included), writing into `lines`. */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

function base64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

describe('AUTH_MODE=jwt: bearer tokens verified against the issuer\'s JWKS', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  let log: ReturnType<typeof capturedLogger>;
  beforeAll(async () => {
    log = capturedLogger();
    ({ issuer, t } = await startIssuerApp({ logger: log.logger }));
  });
  afterAll(() => t.close());

  const usersWith = (sub: string) => t.query<{ id: number }>('SELECT id FROM users WHERE external_id = ?', [sub]);

  test('when a customer with a valid RS256 token orders, then a user is created on first sight and owns the order', async () => {
    const sub = randomUUID();
    const token = await issuer.customer(sub);

    const created = await request(t.app).post('/orders').set('Authorization', bearer(token)).send(README_ORDER);
    const read = await request(t.app).get(`/orders/${created.body.id}`).set('Authorization', bearer(await issuer.customer(sub)));

    expect(created.status).toBe(201);
    const users = await usersWith(sub);
    expect(users).toHaveLength(1);
    expect(created.body.userId).toBe(users[0].id);
    expect(created.body.userId).toBeGreaterThan(5); // after the seeded header-mode users
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(created.body.id);
  });

  test('when the same subject comes back with a new token, then it is the same user and no row is added', async () => {
    const sub = randomUUID();
    const first = await request(t.app).post('/orders').set('Authorization', bearer(await issuer.customer(sub))).send(README_ORDER);
    const second = await request(t.app).get('/orders').set('Authorization', bearer(await issuer.customer(sub)));

    expect(second.status).toBe(200);
    expect(second.body.data.map((order: { id: number }) => order.id)).toEqual([first.body.id]);
    expect(await usersWith(sub)).toHaveLength(1);
  });

  test('when the token is signed with ES256, then it is accepted too', async () => {
    const res = await request(t.app).get('/orders').set('Authorization', bearer(await issuer.customer(undefined, { key: issuer.keys.ec })));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], nextCursor: null });
  });

  test('when the token expired less than the clock skew (30 s) ago, then it is still accepted', async () => {
    const res = await request(t.app).get('/orders').set('Authorization', bearer(await issuer.customer(undefined, { expiresIn: -10 })));

    expect(res.status).toBe(200);
  });

  test('when no Authorization header is sent, then 401 with the invalid_token challenge, as for any other failure', async () => {
    const res = await request(t.app).get('/orders');

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'A valid bearer token is required.' });
  });

  test('when another scheme is sent (Basic), then 401 with the invalid_token challenge', async () => {
    const res = await request(t.app).get('/orders').set('Authorization', 'Basic dXNlcjpwYXNz');

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN);
  });

  test('when only the development user_id header is sent, then 401: the stand-in is off in this mode', async () => {
    const res = await request(t.app).post('/orders').set('user_id', '1').send(README_ORDER);

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN);
  });

  /** [case, the reason the log gives (never the client), the token] */
  const rejected: Array<[string, string, (issuer: TestIssuer) => Promise<string>]> = [
    ['empty', 'not a bearer token', async () => ''],
    ['not a JWT', 'ERR_JWS_INVALID', async () => 'not-a-jwt'],
    ['three segments of garbage', 'ERR_JWS_INVALID', async () => 'abc.def.ghi'],
    ['expired beyond the clock skew', 'ERR_JWT_EXPIRED', (i) => i.customer(undefined, { expiresIn: -120 })],
    ['not yet valid (nbf beyond the clock skew)', 'ERR_JWT_CLAIM_VALIDATION_FAILED nbf check_failed', (i) => i.customer(undefined, { notBefore: 120 })],
    [
      'from another issuer',
      'ERR_JWT_CLAIM_VALIDATION_FAILED iss check_failed',
      (i) => i.customer(undefined, { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }),
    ],
    ['for another audience', 'ERR_JWT_CLAIM_VALIDATION_FAILED aud check_failed', (i) => i.customer(undefined, { audience: 'some-other-app' })],
    ['unsigned (alg: none)', 'ERR_JOSE_ALG_NOT_ALLOWED', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`],
    [
      'tampered (payload rewritten to staff after signing)',
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      async (i) => {
        const [header, , signature] = (await i.customer()).split('.');
        return `${header}.${base64url({ ...claims(), 'cognito:groups': ['staff'] })}.${signature}`;
      },
    ],
    [
      'signed by an unpublished key under a published kid',
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      async (i) => i.customer(undefined, { key: await makeSigningKey('RS256'), kid: i.keys.rsa.kid }),
    ],
    ['signed with a kid the JWKS does not have', 'ERR_JWKS_NO_MATCHING_KEY', async (i) => i.customer(undefined, { key: await makeSigningKey('ES256') })],
    [
      'HS256 with the issuer\'s public key as the HMAC secret (algorithm confusion)',
      'ERR_JOSE_ALG_NOT_ALLOWED',
      async (i) => {
        const signingInput = `${base64url({ alg: 'HS256', typ: 'JWT', kid: i.keys.rsa.kid })}.${base64url(claims())}`;
        return `${signingInput}.${createHmac('sha256', i.keys.rsa.publicPem).update(signingInput).digest('base64url')}`;
      },
    ],
    ['without an expiry', 'ERR_JWT_CLAIM_VALIDATION_FAILED exp missing', (i) => i.customer(undefined, { expiresIn: null })],
    ['without a subject', 'claim sub', (i) => i.token({ sub: undefined })],
    ['with a non-string subject', 'claim sub', (i) => i.token({ sub: 42 as unknown as string })],
    ['longer than 8 KB', 'too long', async (i) => i.token({ padding: 'x'.repeat(9000) })],
  ];

  test.each(rejected)('when the token is %s, then 401 invalid_token with the same generic answer, and nothing is stored', async (_case, reason, makeToken) => {
    const usersBefore = await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM users');
    log.lines.length = 0;

    const res = await request(t.app).post('/orders').set('Authorization', bearer(await makeToken(issuer))).send(README_ORDER);

    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN);
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Unauthorized', detail: 'A valid bearer token is required.' });
    expect(Object.keys(res.body).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
    expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM users')).toEqual(usersBefore);
    expect(log.lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'bearer token rejected')).toEqual([
      expect.objectContaining({ reason }),
    ]);
  });

  test('when a token is rejected, then the log says why in a standard code but never contains the token', async () => {
    const token = await issuer.customer(undefined, { expiresIn: -120 });
    log.lines.length = 0;

    await request(t.app).get('/orders').set('Authorization', bearer(token)).expect(401);

    const text = log.lines.join('');
    expect(text).toContain('bearer token rejected');
    expect(text).toContain('ERR_JWT_EXPIRED');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[1]);
  });

  test('when a token is accepted, then the request log names the user and role, never the token', async () => {
    const token = await issuer.staff();
    log.lines.length = 0;

    await request(t.app).get('/orders').set('Authorization', bearer(token)).expect(200);

    const entry = JSON.parse(log.lines.find((line) => line.includes('"responseTime"'))!);
    expect(entry).toMatchObject({ role: 'staff', userId: expect.any(Number), req: { headers: { authorization: '[redacted]' } } });
    expect(log.lines.join('')).not.toContain(token.split('.')[2]);
  });

  test('when the roles claim is not an array of strings, then the caller is only a customer', async () => {
    const owner = await request(t.app).post('/orders').set('Authorization', bearer(await issuer.customer())).send(README_ORDER);
    const pretender = await issuer.token({ 'cognito:groups': 'staff' });

    const res = await request(t.app).get(`/orders/${owner.body.id}`).set('Authorization', bearer(pretender));

    expect(res.status).toBe(404);
  });
});

/** Claims any test token carries. */
function claims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: randomUUID(), iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300 };
}

describe('AUTH_MODE=jwt with other claims and keys', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.close());

  test('when AUTH_USER_CLAIM, AUTH_ROLES_CLAIM and AUTH_STAFF_ROLE name other claims, then those make the user and the role', async () => {
    const t = await createTestApp({
      env: issuer.env({ AUTH_USER_CLAIM: 'username', AUTH_ROLES_CLAIM: 'roles', AUTH_STAFF_ROLE: 'shop-admin' }),
    });
    try {
      const customer = await issuer.token({ username: 'ada', sub: 'ignored' });
      const created = await request(t.app).post('/orders').set('Authorization', bearer(customer)).send(README_ORDER);
      const asStaff = await request(t.app)
        .get(`/orders/${created.body.id}`)
        .set('Authorization', bearer(await issuer.token({ username: 'grace', roles: ['shop-admin'] })));
      const staffByCognitoGroup = await request(t.app)
        .get(`/orders/${created.body.id}`)
        .set('Authorization', bearer(await issuer.token({ username: 'alan', 'cognito:groups': ['staff'] })));

      expect(created.status).toBe(201);
      expect(await t.query("SELECT external_id FROM users WHERE external_id IS NOT NULL ORDER BY id")).toEqual([
        { external_id: 'ada' },
        { external_id: 'grace' },
        { external_id: 'alan' },
      ]);
      expect(asStaff.status).toBe(200);
      expect(staffByCognitoGroup.status).toBe(404);
    } finally {
      await t.close();
    }
  });

  test('when AUTH_AUDIENCE_CLAIM=client_id (Cognito access tokens have no aud), then client_id is what must match', async () => {
    const t = await createTestApp({ env: issuer.env({ AUTH_AUDIENCE_CLAIM: 'client_id' }) });
    try {
      const accessToken = (clientId: string) => issuer.token({ client_id: clientId }, { audience: 'ignored' });

      const right = await request(t.app).get('/orders').set('Authorization', bearer(await accessToken(AUDIENCE)));
      const wrong = await request(t.app).get('/orders').set('Authorization', bearer(await accessToken('another-client')));

      expect(right.status).toBe(200);
      expect(wrong.status).toBe(401);
      expect(wrong.headers['www-authenticate']).toBe(INVALID_TOKEN);
    } finally {
      await t.close();
    }
  });

  test.each([
    ['as PEM', (pem: string) => pem],
    ['as one line with \\n escapes, as env files carry it', (pem: string) => pem.trim().replace(/\n/g, '\\n')],
  ])('when AUTH_PUBLIC_KEY is configured %s, then tokens signed with its private key pass and others do not', async (_case, format) => {
    const env = { AUTH_MODE: 'jwt', AUTH_PUBLIC_KEY: format(issuer.keys.ec.publicPem), AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE };
    const t = await createTestApp({ env });
    const fetchesBefore = issuer.fetches;
    try {
      const good = await request(t.app).get('/orders').set('Authorization', bearer(await issuer.customer(undefined, { key: issuer.keys.ec })));
      const otherKey = await request(t.app).get('/orders').set('Authorization', bearer(await issuer.customer(undefined, { key: issuer.keys.rsa })));

      expect(good.status).toBe(200);
      expect(otherKey.status).toBe(401);
      expect(issuer.fetches).toBe(fetchesBefore);
    } finally {
      await t.close();
    }
  });
});
