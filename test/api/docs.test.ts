import request from 'supertest';
import { operations } from '../helpers/contract';
import { createTestApp, type TestApp } from '../helpers/test-app';

/** The interactive API reference as HTTP sees it; test/browser/docs-page.test.ts drives it in Chromium. */
describe('GET /docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  test('when /docs is asked for without its slash, then it redirects to /docs/, where relative asset URLs work', async () => {
    const res = await request(t.app).get('/docs');

    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/docs/');
  });

  test("when the page is served, then every script and stylesheet it loads is the service's own", async () => {
    const res = await request(t.app).get('/docs/');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...res.text.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(['./swagger-ui.css', './swagger-ui-bundle.js', './swagger-ui-init.js']));
    expect(assets.filter((asset) => !asset.startsWith('./'))).toEqual([]);
    expect(res.text).not.toMatch(/<script>|<script [^>]*>[^<\s]/);
    expect(res.text).not.toContain('undefined');
    for (const asset of assets) {
      const file = await request(t.app).get(`/docs/${asset.slice(2)}`);
      expect([asset, file.status]).toEqual([asset, 200]);
    }
  });

  test('when the page starts, then it renders every operation of the contract and sends "Try it out" to this service', async () => {
    const res = await request(t.app).get('/docs/swagger-ui-init.js');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/javascript/);
    for (const op of operations) expect(res.text).toContain(`"operationId": "${op.operationId}"`);
    expect(res.text).toMatch(/"servers": \[\s*\{\s*"url": "\/"/);
    expect(res.text).toContain('"validatorUrl": null');
  });

  test("when /docs answers, then its CSP is helmet's default without upgrade-insecure-requests, which the API keeps", async () => {
    const [docs, api] = await Promise.all([request(t.app).get('/docs/'), request(t.app).get('/health/live')]);

    const apiPolicy = api.headers['content-security-policy'];
    expect(apiPolicy).toContain(';upgrade-insecure-requests');
    expect(docs.headers['content-security-policy']).toBe(apiPolicy.replace(';upgrade-insecure-requests', ''));
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
  });

  test.each(['/docs/index.html', '/docs/package.json', '/docs/swagger-initializer.js', '/docs/nothing.js'])(
    'when %s (not one of the page\'s files) is asked for, then answers 404 problem+json',
    async (url) => {
      const res = await request(t.app).get(url);

      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    },
  );
});
