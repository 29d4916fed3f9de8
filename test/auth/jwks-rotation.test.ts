import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { bearer, makeSigningKey, TestIssuer } from '../helpers/token-issuer';

const COOLDOWN_MS = 300;

describe('JWKS caching and key rotation', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  beforeEach(async () => {
    issuer = await TestIssuer.start();
    t = await createTestApp({ env: issuer.env({ AUTH_JWKS_COOLDOWN_MS: String(COOLDOWN_MS) }) });
  });
  afterEach(async () => {
    await t.close();
    await issuer.close();
  });

  const listWith = async (token: string) => (await request(t.app).get('/orders').set('Authorization', bearer(token))).status;

  test('when tokens of known keys keep coming, then the JWKS is fetched once and served from the cache', async () => {
    for (let i = 0; i < 5; i += 1) expect(await listWith(await issuer.customer())).toBe(200);
    expect(await listWith(await issuer.customer(undefined, { key: issuer.keys.ec }))).toBe(200);

    expect(issuer.fetches).toBe(1);
  });

  test('when the issuer rotates to a new key, then its first token makes the service refetch once and is accepted', async () => {
    expect(await listWith(await issuer.customer())).toBe(200);
    const rotated = await makeSigningKey('RS256');
    issuer.publish(rotated, issuer.keys.rsa);
    await delay(COOLDOWN_MS + 50);

    expect(await listWith(await issuer.customer(undefined, { key: rotated }))).toBe(200);
    expect(await listWith(await issuer.customer(undefined, { key: rotated }))).toBe(200);
    expect(issuer.fetches).toBe(2);
  });

  test('when a kid is unknown even after the refetch, then 401 invalid_token', async () => {
    expect(await listWith(await issuer.customer())).toBe(200);
    await delay(COOLDOWN_MS + 50);

    const res = await request(t.app).get('/orders').set('Authorization', bearer(await issuer.customer(undefined, { key: await makeSigningKey('RS256') })));

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="order-service", error="invalid_token"');
    expect(issuer.fetches).toBe(2);
  });

  test('when a retired key is gone from the JWKS, then its tokens are refused after the next refetch', async () => {
    const retiring = issuer.keys.ec;
    expect(await listWith(await issuer.customer(undefined, { key: retiring }))).toBe(200);
    const rotated = await makeSigningKey('ES256');
    issuer.publish(issuer.keys.rsa, rotated);
    await delay(COOLDOWN_MS + 50);

    expect(await listWith(await issuer.customer(undefined, { key: rotated }))).toBe(200);
    expect(await listWith(await issuer.customer(undefined, { key: retiring }))).toBe(401);
  });

  test('when many tokens with unknown kids arrive, then the JWKS is refetched at most once per cooldown', async () => {
    expect(await listWith(await issuer.customer())).toBe(200);
    await delay(COOLDOWN_MS + 50);
    const strangers = await Promise.all(Array.from({ length: 20 }, async () => issuer.customer(undefined, { key: await makeSigningKey('ES256') })));

    const statuses = await Promise.all(strangers.map(listWith));
    const burst = await Promise.all(strangers.map(listWith));

    expect(new Set([...statuses, ...burst])).toEqual(new Set([401]));
    expect(issuer.fetches).toBe(2);
  });
});

describe('JWKS unavailable', () => {
  test('when the issuer\'s JWKS endpoint fails, then 503 with Retry-After (the token cannot be judged), and the service recovers once it answers', async () => {
    const issuer = await TestIssuer.start();
    const t = await createTestApp({ env: issuer.env() });
    try {
      issuer.failWith = 500;

      const res = await request(t.app).get('/orders').set('Authorization', bearer(await issuer.customer()));

      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.body).toMatchObject({ type: 'urn:order-service:problem:identity-provider-unavailable', status: 503 });
      issuer.failWith = undefined;
      expect((await request(t.app).get('/orders').set('Authorization', bearer(await issuer.customer()))).status).toBe(200);
    } finally {
      await t.close();
      await issuer.close();
    }
  });

  test('when nothing listens at the JWKS URL, then 503 as well', async () => {
    const issuer = await TestIssuer.start();
    const env = issuer.env();
    await issuer.close();
    const t = await createTestApp({ env });
    try {
      const res = await request(t.app).get('/orders').set('Authorization', bearer(await issuer.customer()));

      expect(res.status).toBe(503);
    } finally {
      await t.close();
    }
  });
});
