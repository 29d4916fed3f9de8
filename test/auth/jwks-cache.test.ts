import { errors } from 'jose';
import { JwksCache } from '../../service/auth/jwks-cache';
import { makeSigningKey, TestIssuer } from '../helpers/token-issuer';

/** A clock the test moves by hand, so that ages and refills need no waiting. */
function manualClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('JwksCache', () => {
  let issuer: TestIssuer;
  let clock: ReturnType<typeof manualClock>;
  let cache: JwksCache;
  beforeEach(async () => {
    issuer = await TestIssuer.start();
    clock = manualClock();
    cache = new JwksCache({ url: issuer.jwksUrl, timeoutMs: 2000, refetchRefillMs: 30_000, refetchBurst: 2, maxAgeMs: 600_000, now: clock.now });
  });
  afterEach(() => issuer.close());

  const rsa = () => ({ alg: 'RS256', kid: issuer.keys.rsa.kid });
  const unknown = () => ({ alg: 'RS256', kid: 'never-published' });

  test('when the cached set reaches its max age, then the next lookup fetches it again, budget or not', async () => {
    await cache.keyFor(rsa());
    for (let i = 0; i < 2; i += 1) await expect(cache.keyFor(unknown())).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(issuer.fetches).toBe(3);

    clock.advance(599_999);
    await cache.keyFor(rsa());
    expect(issuer.fetches).toBe(3);
    clock.advance(1);
    await cache.keyFor(rsa());
    expect(issuer.fetches).toBe(4);
  });

  test('when a key retires, then it stops working at the latest when the set reaches its max age, even with no refetch left', async () => {
    cache = new JwksCache({ url: issuer.jwksUrl, timeoutMs: 2000, refetchRefillMs: 3_600_000, refetchBurst: 2, maxAgeMs: 600_000, now: clock.now });
    await cache.keyFor(rsa());
    for (let i = 0; i < 2; i += 1) await expect(cache.keyFor(unknown())).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    issuer.publish(issuer.keys.ec);

    await expect(cache.keyFor(rsa())).resolves.toBeDefined();
    clock.advance(600_000);
    await expect(cache.keyFor(rsa())).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  test('when the refetch budget is spent, then unknown kids cost no fetch until one refetch is earned back per refill period', async () => {
    await cache.keyFor(rsa());
    for (let i = 0; i < 5; i += 1) await expect(cache.keyFor(unknown())).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(issuer.fetches).toBe(1 + 2);

    clock.advance(15_000);
    await expect(cache.keyFor(unknown())).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(issuer.fetches).toBe(3);
    clock.advance(15_000);
    const rotated = await makeSigningKey('RS256');
    issuer.publish(rotated);
    await expect(cache.keyFor({ alg: 'RS256', kid: rotated.kid })).resolves.toBeDefined();
    expect(issuer.fetches).toBe(4);
  });

  test('when idle for long, then no more than the burst is saved up', async () => {
    await cache.keyFor(rsa());
    clock.advance(590_000);

    for (let i = 0; i < 5; i += 1) await expect(cache.keyFor(unknown())).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);

    expect(issuer.fetches).toBe(1 + 2);
  });
});
