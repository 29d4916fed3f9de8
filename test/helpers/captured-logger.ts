import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../service/http/logger';

/** The service's own logger writing into `entries`, one parsed JSON line each. */
export function capturedLogger(): { logger: Logger; entries: Array<Record<string, unknown>> } {
  const entries: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      entries.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('info', stream), entries };
}
