import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, ROOT } from '../helpers/built-service';

interface BenchServer {
  url: string;
  stop(): Promise<void>;
}
const { startServer } = require(path.join(ROOT, 'bench', 'lib', 'processes')) as {
  startServer(options: { name: string; args: string[]; env: Record<string, string>; logFile: string }): Promise<BenchServer>;
};

/**
 * `npm run bench:floor` measures the service's own layers with a constant answer and no database.
 * No timing here: only that each stage serves the order, and that the later stages really run the
 * layers they are named after (the validator refuses what the contract refuses, helmet sets its
 * headers, the log gets a line), so the figures describe the stack the service runs.
 */
describe('the stack floor servers (bench/floor)', () => {
  let logDir: string;
  beforeAll(() => {
    ensureBuilt();
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-bench-floor-test-'));
  }, 120_000);
  afterAll(() => fs.rmSync(logDir, { recursive: true, force: true }));

  async function withStage<T>(stage: string, use: (url: string, logFile: string) => Promise<T>): Promise<T> {
    const logFile = path.join(logDir, `${stage}.log`);
    const server = await startServer({ name: stage, args: [path.join(ROOT, 'bench', 'floor', 'stack-server.js')], env: { FLOOR_STAGE: stage }, logFile });
    try {
      return await use(server.url, logFile);
    } finally {
      await server.stop();
    }
  }

  test.each(['raw', 'express', 'logging', 'helmet', 'validator'])('when the %s stage is asked for an order, then it answers it as JSON', async (stage) => {
    await withStage(stage, async (url) => {
      const response = await fetch(`${url}/orders/42`, { headers: { user_id: '1' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({ id: 42, status: 'shipped', lines: expect.any(Array) });
    });
  }, 60_000);

  test('when the validator stage gets an id the contract refuses, then it answers 400 with helmet headers and logs the request', async () => {
    await withStage('validator', async (url, logFile) => {
      const response = await fetch(`${url}/orders/not-a-number`, { headers: { user_id: '1' } });
      expect(response.status).toBe(400);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-request-id')).toBeTruthy();
      // The line is written when the response has finished, so it may trail the answer a little.
      let log = '';
      for (let tries = 0; tries < 50 && !log.includes('/orders/not-a-number'); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        log = fs.readFileSync(logFile, 'utf8');
      }
      expect(log).toContain('/orders/not-a-number');
    });
  }, 60_000);
});
