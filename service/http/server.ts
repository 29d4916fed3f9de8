import http from 'node:http';
import type { Express } from 'express';
import { answerClientErrors } from './client-errors';

/** Above the ALB's 60 s idle timeout, or the ALB reuses a socket Node just closed and answers 502. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** Must exceed keepAliveTimeout, or Node can drop a request that arrives as the socket idles out. */
export const HEADERS_TIMEOUT_MS = 66_000;

export function createHttpServer(app: Express): http.Server {
  const server = http.createServer(app);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  answerClientErrors(server);
  return server;
}

/** Starts listening; resolves with the bound port (useful when `port` is 0). */
export function listen(server: http.Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
