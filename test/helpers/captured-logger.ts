import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../service/http/logger';

/** The service's own logger writing into `entries`, one parsed JSON line each; `stream` takes a handler's logger there too. */
export function capturedLogger(): { logger: Logger; entries: Array<Record<string, unknown>>; stream: Writable } {
  const entries: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      entries.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('info', stream), entries, stream };
}
