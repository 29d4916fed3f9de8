import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { startIssuerApp } from '../helpers/issuer-app';
import type { TestApp } from '../helpers/test-app';
import { bearer, makeSigningKey, type SigningKey, type TestIssuer } from '../helpers/token-issuer';

const INVALID_TOKEN = 'Bearer realm="order-service", error="invalid_token"';
/** Refetches for unknown keys that may happen back to back (service/auth/jwks-cache.ts). */
const REFETCH_BURST = 5;

/** Tokens signed by keys the issuer never published, each under its own kid. */
const strangerTokens = (issuer: TestIssuer, count: number) =>
  Promise.all(Array.from({ length: count }, async () => issuer.customer(undefined, { key: await makeSigningKey('ES256') })));

describe('JWKS caching and key rotation, with the default settings', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  beforeEach(async () => ({ issuer, t } = await startIssuerApp()));
  afterEach(() => t.close());

  const listWith = async (token: string) => (await request(t.app).get('/orders').set('Authorization', bearer(token))).status;
  const signedBy = (key: SigningKey) => issuer.customer(undefined, { key });

  test('when tokens of known keys keep coming, then the JWKS is fetched once and served from the cache', async () => {
    for (let i = 0; i < 5; i += 1) expect(await listWith(await issuer.customer())).toBe(200);
    expect(await listWith(await signedBy(issuer.keys.ec))).toBe(200);

    expect(issuer.fetches).toBe(1);
  });

  test('when the issuer rotates to a new key, then its first token, right away, makes the service refetch once and is accepted', async () => {
    expect(await listWith(await issuer.customer())).toBe(200);
    const rotated = await makeSigningKey('RS256');
    issuer.publish(rotated, issuer.keys.rsa);

    expect(await listWith(await signedBy(rotated))).toBe(200);
    expect(await listWith(await signedBy(rotated))).toBe(200);
    expect(issuer.fetches).toBe(2);
  });

  test('when a kid is unknown even after the refetch, then 401 invalid_token', async () => {
    expect(await listWith(await issuer.customer())).toBe(200);

    const res = await request(t.app).get('/orders').set('Authorization', bearer(await signedBy(await makeSigningKey('RS256'))));

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN);
    expect(issuer.fetches).toBe(2);
  });

  test('when a retired key is gone from the JWKS, then its tokens are refused after the next refetch', async () => {
    const retiring = issuer.keys.ec;
    expect(await listWith(await signedBy(retiring))).toBe(200);
    const rotated = await makeSigningKey('ES256');
    issuer.publish(issuer.keys.rsa, rotated);

    expect(await listWith(await signedBy(rotated))).toBe(200);
    expect(await listWith(await signedBy(retiring))).toBe(401);
  });

  test(`when tokens with ever new unknown kids keep coming, then the JWKS is refetched only ${REFETCH_BURST} times, and known keys keep working`, async () => {
    expect(await listWith(await issuer.customer())).toBe(200);
    const strangers = await strangerTokens(issuer, 20);

    const statuses = [];
    for (const token of strangers) statuses.push(await listWith(token));

    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(issuer.fetches).toBe(1 + REFETCH_BURST);
    expect(await listWith(await issuer.customer())).toBe(200);
    expect(issuer.fetches).toBe(1 + REFETCH_BURST);
  });

  test('when tokens name a published kid with another algorithm, then they spend the same refetch budget', async () => {
    expect(await listWith(await issuer.customer())).toBe(200);
    // ES256 under the RSA key's kid: the set has the kid, but no key for the algorithm.
    const mismatched = await Promise.all(
      Array.from({ length: 20 }, async () => issuer.customer(undefined, { key: await makeSigningKey('ES256'), kid: issuer.keys.rsa.kid })),
    );

    const statuses = [];
    for (const token of mismatched) statuses.push(await listWith(token));

    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(issuer.fetches).toBe(1 + REFETCH_BURST);
  });

  test('when many requests with unknown kids arrive together, then they share one refetch', async () => {
    expect(await listWith(await issuer.customer())).toBe(200);
    const strangers = await strangerTokens(issuer, 20);
    // Long enough for all of them to miss while the one refetch is under way.
    issuer.delayMs = 1000;

    const statuses = await Promise.all(strangers.map(listWith));

    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(issuer.fetches).toBe(2);
  });

  test('when many requests signed by a newly rotated key arrive together, then one refetch lets them all in', async () => {
    expect(await listWith(await issuer.customer())).toBe(200);
    const rotated = await makeSigningKey('ES256');
    issuer.publish(issuer.keys.rsa, rotated);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => signedBy(rotated)));
    issuer.delayMs = 300;

    const statuses = await Promise.all(tokens.map(listWith));

    expect(statuses).toEqual(Array(10).fill(200));
    expect(issuer.fetches).toBe(2);
  });

  test('when the first requests arrive together, then they share the first fetch', async () => {
    const tokens = await Promise.all(Array.from({ length: 10 }, () => issuer.customer()));
    issuer.delayMs = 300;

    const statuses = await Promise.all(tokens.map(listWith));

    expect(statuses).toEqual(Array(10).fill(200));
    expect(issuer.fetches).toBe(1);
  });
});

describe('JWKS refetch budget', () => {
  const REFILL_MS = 3000;

  test('when the budget is spent, then a new key waits for a refetch to be earned back (AUTH_JWKS_COOLDOWN_MS), and is accepted then', async () => {
    const { issuer, t } = await startIssuerApp({ env: { AUTH_JWKS_COOLDOWN_MS: String(REFILL_MS) } });
    const listWith = async (token: string) => (await request(t.app).get('/orders').set('Authorization', bearer(token))).status;
    try {
      const strangers = await strangerTokens(issuer, REFETCH_BURST);
      const rotated = await makeSigningKey('RS256');
      const rotatedToken = await issuer.customer(undefined, { key: rotated });
      expect(await listWith(await issuer.customer())).toBe(200);
      for (const token of strangers) expect(await listWith(token)).toBe(401);
      issuer.publish(rotated);

      const whileSpent = await listWith(rotatedToken);
      const fetchesWhileSpent = issuer.fetches;
      await delay(REFILL_MS + 100);
      const afterRefill = await listWith(rotatedToken);

      expect(whileSpent).toBe(401);
      expect(fetchesWhileSpent).toBe(1 + REFETCH_BURST);
      expect(afterRefill).toBe(200);
      expect(issuer.fetches).toBe(2 + REFETCH_BURST);
    } finally {
      await t.close();
    }
  });
});

describe('JWKS unavailable', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  beforeEach(async () => ({ issuer, t } = await startIssuerApp()));
  afterEach(() => t.close());

  const list = async (token: string) => request(t.app).get('/orders').set('Authorization', bearer(token));

  test('when the issuer\'s JWKS endpoint fails, then 503 with Retry-After (the token cannot be judged), and the service recovers once it answers', async () => {
    issuer.failWith = 500;

    const res = await list(await issuer.customer());

    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body).toMatchObject({ type: 'urn:order-service:problem:identity-provider-unavailable', status: 503 });
    issuer.failWith = undefined;
    expect((await list(await issuer.customer())).status).toBe(200);
  });

  test.each([
    ['not JSON', '<html>maintenance</html>'],
    ['JSON without keys', '{}'],
    ['keys that are no array', '{"keys":"none"}'],
    ['keys that are no JWKs', '{"keys":[42]}'],
  ])('when the JWKS endpoint answers 200 with %s, then 503', async (_case, body) => {
    issuer.answerWith = body;

    const res = await list(await issuer.customer());

    expect(res.status).toBe(503);
  });

  test('when the refetch for a new kid fails, then that token gets 503, and tokens of cached keys still pass', async () => {
    expect((await list(await issuer.customer())).status).toBe(200);
    issuer.failWith = 503;

    const unjudged = await list(await issuer.customer(undefined, { key: await makeSigningKey('RS256') }));
    const cached = await list(await issuer.customer());

    expect(unjudged.status).toBe(503);
    expect(cached.status).toBe(200);
  });

  test('when nothing listens at the JWKS URL, then 503 as well', async () => {
    const token = await issuer.customer();
    await issuer.close();

    const res = await list(token);

    expect(res.status).toBe(503);
  });
});
