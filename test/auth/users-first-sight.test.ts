import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { UserDirectory } from '../../service/auth/user-directory';
import { insertUserIfAbsent } from '../../service/auth/user-repository';
import { startIssuerApp } from '../helpers/issuer-app';
import { README_ORDER } from '../helpers/orders';
import type { TestApp } from '../helpers/test-app';
import { bearer, type TestIssuer } from '../helpers/token-issuer';

describe('users created on first sight of a token subject', () => {
  let issuer: TestIssuer;
  let t: TestApp;
  beforeAll(async () => ({ issuer, t } = await startIssuerApp()));
  afterAll(() => t.close());

  const rowsOf = (sub: string) => t.query<{ id: number }>('SELECT id FROM users WHERE external_id = ?', [sub]);

  test('when a new subject sends many first requests at once, then exactly one user is created and every order is theirs', async () => {
    const sub = randomUUID();
    const tokens = await Promise.all(Array.from({ length: 12 }, () => issuer.customer(sub)));

    const responses = await Promise.all(tokens.map((token) => request(t.app).post('/orders').set('Authorization', bearer(token)).send(README_ORDER)));

    expect(responses.map((res) => res.status)).toEqual(Array(12).fill(201));
    const rows = await rowsOf(sub);
    expect(rows).toHaveLength(1);
    expect(new Set(responses.map((res) => res.body.userId))).toEqual(new Set([rows[0].id]));
  });

  test('when several service instances (each with its own cache) see a new subject at once, then they agree on one user', async () => {
    const sub = randomUUID();
    const instances = Array.from({ length: 8 }, () => new UserDirectory(t.db));

    const ids = await Promise.all(instances.map((directory) => directory.userIdFor(sub)));

    expect(new Set(ids).size).toBe(1);
    expect(await rowsOf(sub)).toEqual([{ id: ids[0] }]);
  });

  test('when concurrent transactions insert the same subject, then ON CONFLICT DO NOTHING leaves one row and all get its id', async () => {
    const sub = randomUUID();

    const users = await Promise.all(Array.from({ length: 8 }, () => t.db.write((manager) => insertUserIfAbsent(manager, sub, new Date()))));
    const ids = users.map((user) => user.id);

    expect(new Set(ids).size).toBe(1);
    expect(await rowsOf(sub)).toHaveLength(1);
  });

  test('when the database itself gets a second row for one subject, then the unique index refuses it', async () => {
    const sub = randomUUID();
    await t.query("INSERT INTO users (name, created_at, external_id) VALUES ('', '2026-01-01', ?)", [sub]);

    await expect(t.query("INSERT INTO users (name, created_at, external_id) VALUES ('', '2026-01-01', ?)", [sub])).rejects.toThrow(/unique/i);
  });

  test('when a user is known, then later requests find them in the cache without a query', async () => {
    const sub = randomUUID();
    const directory = new UserDirectory(t.db);
    const id = await directory.userIdFor(sub);
    await t.query('UPDATE users SET external_id = NULL WHERE id = ?', [id]);

    expect(await directory.userIdFor(sub)).toBe(id);
  });

  test('when the cache is full, then the least recently used subject is dropped first', async () => {
    const directory = new UserDirectory(t.db, 2);
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const idA = await directory.userIdFor(a);
    await directory.userIdFor(b);
    await directory.userIdFor(a); // a is now the most recent
    await directory.userIdFor(c); // evicts b
    await t.query('UPDATE users SET external_id = NULL WHERE external_id IN (?, ?)', [a, b]);

    expect(await directory.userIdFor(a)).toBe(idA);
    expect(await directory.userIdFor(b)).not.toBe(idA); // b was dropped: a fresh row is made for it
  });

  test('when header-mode users exist alongside, then they keep no external id and keep working', async () => {
    expect(await t.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM users WHERE id <= 5 AND external_id IS NULL')).toEqual([{ n: 5 }]);
  });
});
