import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (apt-get install -y chromium): browser downloads are not possible here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** A name this browser resolves to 127.0.0.1: a plain-HTTP host that is not localhost. */
export const NON_LOCALHOST_NAME = 'order-service.test';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', NON_LOCALHOST_NAME]);

/**
 * `describe` when Chromium is installed. Without it the block is skipped with a printed reason,
 * except in CI (CI is set), where it runs and fails: .ci/run installs Chromium first.
 */
export function describeInChromium(name: string, body: () => void): void {
  if (fs.existsSync(CHROMIUM_PATH) || isCi()) {
    describe(name, body);
    return;
  }
  console.warn(`skipped "${name}": ${CHROMIUM_PATH} is missing (apt-get install -y chromium; CI installs it)`);
  describe.skip(name, body);
}

/** Headless Chromium; --disable-background-networking keeps the browser's own traffic away too. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      `--host-resolver-rules=MAP ${NON_LOCALHOST_NAME} 127.0.0.1`,
    ],
  });
}

/**
 * Aborts every request of the context that would leave this machine, and lists them in the
 * returned array: a page that works with the list empty works offline.
 */
export async function blockOffsiteRequests(context: BrowserContext): Promise<string[]> {
  const offsite: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (LOCAL_HOSTS.has(new URL(url).hostname)) return route.continue();
    offsite.push(url);
    return route.abort('blockedbyclient');
  });
  return offsite;
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}
