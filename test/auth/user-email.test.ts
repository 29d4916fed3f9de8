import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { bearer, TestIssuer } from '../helpers/token-issuer';

describe('JWT mode: the token\'s email claim becomes the user\'s address for notifications', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    t = await createTestApp({ env: issuer.env() });
  });
  afterAll(async () => {
    await t.close();
    await issuer.close();
  });

  const call = async (claims: Record<string, unknown>) => {
    const res = await request(t.app).get('/orders').set('Authorization', bearer(await issuer.token(claims)));
    expect(res.status).toBe(200);
  };
  const emailOf = async (sub: string) => (await t.query<{ email: string | null }>('SELECT email FROM users WHERE external_id = ?', [sub]))[0]?.email;

  test('when a new subject calls with an email claim, then their user is created with that address', async () => {
    const sub = randomUUID();

    await call({ sub, email: 'new.user@example.com', email_verified: true });

    expect(await emailOf(sub)).toBe('new.user@example.com');
  });

  test('when a later token carries another address, then it replaces the stored one', async () => {
    const sub = randomUUID();
    await call({ sub, email: 'old@example.com' });

    await call({ sub, email: 'moved@example.org' });

    expect(await emailOf(sub)).toBe('moved@example.org');
  });

  test('when the address is unchanged, then later requests write nothing (the last address seen is cached)', async () => {
    const sub = randomUUID();
    await call({ sub, email: 'same@example.com' });
    // Changed behind the service's back: a write by the service would put the token's address back.
    await t.query("UPDATE users SET email = 'behind-its-back@example.com' WHERE external_id = ?", [sub]);

    await call({ sub, email: 'same@example.com' });

    expect(await emailOf(sub)).toBe('behind-its-back@example.com');
  });

  test.each([
    ['email_verified is false', { email: 'unverified@example.com', email_verified: false }],
    ['email_verified is the string "false" (as Cognito has sent it)', { email: 'unverified@example.com', email_verified: 'false' }],
    ['the claim is absent', {}],
    ['the claim holds two addresses', { email: 'a@example.com, b@example.com' }],
    ['the claim holds a display name', { email: 'Someone <a@example.com>' }],
    ['the claim is not a string', { email: ['a@example.com'] }],
    ['the address is longer than 254 characters', { email: `${'a'.repeat(250)}@example.com` }],
  ])('when %s, then the stored address is kept', async (_case, claims) => {
    const sub = randomUUID();
    await call({ sub, email: 'kept@example.com' });

    await call({ sub, ...claims });

    expect(await emailOf(sub)).toBe('kept@example.com');
  });

  test('when a new subject\'s only address is unverified, then their user has none', async () => {
    const sub = randomUUID();

    await call({ sub, email: 'unverified@example.com', email_verified: false });

    expect(await emailOf(sub)).toBeNull();
  });
});

describe('JWT mode with AUTH_EMAIL_CLAIM', () => {
  test('when the address is in a custom claim, then that claim is read and `email` is not', async () => {
    const issuer = await TestIssuer.start();
    const t = await createTestApp({ env: issuer.env({ AUTH_EMAIL_CLAIM: 'https://shop.example.com/email' }) });
    try {
      const sub = randomUUID();
      const token = await issuer.token({ sub, email: 'ignored@example.com', 'https://shop.example.com/email': 'custom@example.com' });

      expect((await request(t.app).get('/orders').set('Authorization', bearer(token))).status).toBe(200);

      expect(await t.query('SELECT email FROM users WHERE external_id = ?', [sub])).toEqual([{ email: 'custom@example.com' }]);
    } finally {
      await t.close();
      await issuer.close();
    }
  });
});
