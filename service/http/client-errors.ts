import type http from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Node's parser codes that get more than a plain 400. */
const ANSWER_TO_PARSER_ERROR: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'The request line and headers together exceed 16 KB.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request did not arrive in time.'],
};
const MALFORMED = [400, 'The request is not valid HTTP/1.1.'] as const;

/**
 * Requests Node's HTTP parser refuses before the app sees them (headers or URL over 16 KB, an
 * unknown method, a malformed Content-Length, both Content-Length and Transfer-Encoding) and
 * `Expect` values other than 100-continue: answered as problem+json with the security headers
 * too, instead of Node's bare status line.
 */
export function answerClientErrors(server: http.Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The client went away, or an answer has already started on this socket: nothing to tell.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const [status, detail] = ANSWER_TO_PARSER_ERROR[error.code ?? ''] ?? MALFORMED;
    socket.end(rawProblem(status, detail));
  });
  server.on('checkExpectation', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    const body = problemBody(417, 'Only "Expect: 100-continue" is supported.');
    res.writeHead(417, { ...SECURITY_HEADERS, 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
}

/** What helmet would have set on an answer the app itself gives. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'SAMEORIGIN',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function problemBody(status: number, detail: string): string {
  return JSON.stringify({ type: 'about:blank', title: STATUS_CODES[status], status, detail });
}

function rawProblem(status: number, detail: string): string {
  const body = problemBody(status, detail);
  const headers = Object.entries({ ...SECURITY_HEADERS, 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers}\r\n${body}`;
}
