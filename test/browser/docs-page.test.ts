import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureBuilt, ROOT, startService, type RunningService } from '../helpers/built-service';
import { operations } from '../helpers/contract';
import { blockOffsiteRequests, describeInChromium, launchChromium, NON_LOCALHOST_NAME } from '../helpers/headless-chromium';

const SCREENSHOT = path.join(ROOT, 'test-artifacts', 'docs-page.png');

/** The compiled service as `npm start` runs it, and /docs in headless Chromium as a person uses it. */
describeInChromium('GET /docs in a real browser', () => {
  let dir: string;
  let service: RunningService;
  let browser: Browser;
  let context: BrowserContext;
  let offsite: string[];
  let problems: string[];
  beforeAll(async () => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-docs-'));
    service = await startService({ SQLITE_PATH: path.join(dir, 'orders.sqlite') });
    browser = await launchChromium();
  }, 120_000);
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    offsite = await blockOffsiteRequests(context);
    problems = [];
  });
  afterEach(() => context?.close());
  afterAll(async () => {
    await browser?.close();
    service?.process.kill('SIGTERM');
    await service?.exited;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('when a user opens /docs, authorizes as user 1 and tries GET /orders, then every operation is listed and the 200 shows, with nothing loaded from elsewhere', async () => {
    const order = await placeOrderAsUser1();
    const page = await openDocs(`${service.baseUrl}/docs`);

    expect(await listedOperations(page)).toEqual(operations.map((op) => `${op.method} ${op.path}`).sort());

    await page.getByRole('button', { name: 'Authorize', exact: true }).click();
    const dialog = page.locator('.dialog-ux');
    expect(await dialog.textContent()).toMatch(/bearerAuth\s*\(http, Bearer\).*userIdHeader\s*\(apiKey\).*Name:\s*user_id.*In:\s*header/s);
    const userIdHeader = dialog.locator('.auth-container').filter({ hasText: 'userIdHeader' });
    await userIdHeader.locator('input').fill('1');
    await userIdHeader.getByRole('button', { name: 'Apply credentials' }).click();
    await userIdHeader.getByRole('button', { name: 'Close' }).click();

    const listOrders = page.locator('#operations-orders-listOrders');
    await listOrders.locator('.opblock-summary').click();
    await listOrders.getByRole('button', { name: 'Try it out' }).click();
    const [sent] = await Promise.all([
      page.waitForResponse((res) => new URL(res.url()).pathname === '/orders'),
      listOrders.getByRole('button', { name: 'Execute' }).click(),
    ]);
    const shown = listOrders.locator('.live-responses-table');
    await shown.locator('.response-col_status').filter({ hasText: '200' }).waitFor();

    expect([sent.request().method(), sent.request().headers().user_id, sent.status()]).toEqual(['GET', '1', 200]);
    expect(await shown.locator('.response-col_description pre').first().textContent()).toContain(`"id": ${order.id}`);
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`screenshot of /docs after "Try it out": ${SCREENSHOT}`);
    expect(offsite).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('when served over plain HTTP under a name other than localhost, then the page still loads (no upgrade to https)', async () => {
    const page = await openDocs(`http://${NON_LOCALHOST_NAME}:${new URL(service.baseUrl).port}/docs`);

    expect(await listedOperations(page)).toHaveLength(operations.length);
    expect(offsite).toEqual([]);
    expect(problems).toEqual([]);
  });

  /**
   * Opens the page and waits for Swagger UI to render. Page errors and CSP reports go to
   * `problems`: the policy stops most offsite loads before they reach the network, and reports them
   * on the console; `offsite` catches the rest (helmet's style-src and font-src allow https:).
   */
  async function openDocs(url: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
    });
    await page.goto(url);
    await page.locator('.opblock').first().waitFor({ timeout: 10_000 });
    return page;
  }

  async function placeOrderAsUser1(): Promise<{ id: number }> {
    const res = await fetch(`${service.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', user_id: '1' },
      body: JSON.stringify({ products: [{ id: 9, quantity: 7 }] }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: number };
  }
});

/** "METHOD /path" of every operation the page lists, sorted. */
async function listedOperations(page: Page): Promise<string[]> {
  const listed: string[] = [];
  for (const block of await page.locator('.opblock').all()) {
    const method = await block.locator('.opblock-summary-method').textContent();
    const urlPath = await block.locator('.opblock-summary-path').getAttribute('data-path');
    listed.push(`${method} ${urlPath}`);
  }
  return listed.sort();
}
