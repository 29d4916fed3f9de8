import request from 'supertest';
import { parse } from 'yaml';
import { loadContract } from '../../service/contract';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('health and the contract', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  test('when the process runs, then /health/live answers 200 without credentials', async () => {
    const res = await request(t.app).get('/health/live');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  test('when the database answers, then /health/ready answers 200', async () => {
    const res = await request(t.app).get('/health/ready');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready', checks: { database: 'up' } });
  });

  test('when the service is draining for shutdown, then /health/ready answers 503 at once', async () => {
    t.lifecycle.startDraining();

    const res = await request(t.app).get('/health/ready');

    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers.connection).toBe('close');
    expect(res.body).toMatchObject({ status: 503, checks: { database: 'up', shutdown: 'draining' } });
  });

  test('when the database is gone, then /health/ready answers 503 and /health/live still 200', async () => {
    await t.db.close();

    const ready = await request(t.app).get('/health/ready');
    const live = await request(t.app).get('/health/live');

    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ database: 'down' });
    expect(live.status).toBe(200);
  });

  test('when the contract is requested, then GET /openapi.yaml serves openapi.yaml as YAML', async () => {
    const res = await request(t.app).get('/openapi.yaml');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    expect(res.text).toBe(loadContract().text);
    expect(parse(res.text).openapi).toMatch(/^3\./);
  });
});
