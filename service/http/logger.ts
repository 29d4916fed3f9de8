import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { LogLevel } from '../config';

/** Credentials never reach the logs; the resolved user id is logged instead of the raw header. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.user_id',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

const REDACTED = '[redacted]';

/** A caller's X-Request-Id is kept when it is short and plain, so it cannot forge log lines. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

/**
 * The service's logger; JSON lines to stdout unless `destination` is given (tests read them).
 * pino's default stdout destination writes asynchronously (SonicBoom, sync: false), and pino
 * flushes it synchronously on exit, so a SIGTERM's process.exit loses no line; fatal() flushes
 * by itself before the uncaught-exception handler exits.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: REDACTED } }, destination);
}

/** The longest a line waits in a long-running process's log buffer before it is written. */
const LOG_FLUSH_INTERVAL_MS = 250;

/**
 * stdout for a long-running process (the server, the worker): lines gather into writes of about
 * 4 KB instead of a write each, which took about 5% of a list request's CPU under load. A quiet
 * process writes what it has every LOG_FLUSH_INTERVAL_MS; pino flushes the rest synchronously on
 * exit, so a SIGTERM's or a fatal error's process.exit loses no line (a SIGKILL may lose the last
 * 250 ms). Not for Lambda: a frozen container would hold its lines until the next invocation.
 */
export function bufferedStdout(): pino.DestinationStream {
  const destination = pino.destination({ dest: 1, minLength: 4096, sync: false });
  setInterval(() => destination.flush(), LOG_FLUSH_INTERVAL_MS).unref();
  return destination;
}

/**
 * pino-http: one line per request when its response ends (at error level for a 5xx, with `err`),
 * with the request, the caller's `userId` and `role`, the status and `responseTime`; and a request
 * id that is honoured, generated when absent, and echoed back.
 */
export function httpLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // The caller goes into the line itself: as customProps it would cost a child logger per request.
    customSuccessObject: (req, _res, line) => withCaller(req, line),
    customErrorObject: (req, _res, _error, line) => withCaller(req, line),
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    // Load balancer probes every few seconds would drown the useful lines.
    autoLogging: { ignore: (req) => req.url?.startsWith('/health/') ?? false },
    // Ours, called directly: the standard ones copy every response header first (helmet's dozen,
    // the CSP string), which cost more than the rest of the line (see docs/performance.md).
    wrapSerializers: false,
    serializers: { req: serializeRequest, res: serializeResponse, err: pino.stdSerializers.err },
  });
}

function withCaller(req: IncomingMessage, line: Record<string, unknown>): Record<string, unknown> {
  const { caller } = req as IncomingMessage & { caller?: { id: number; role: string } };
  return caller ? { ...line, userId: caller.id, role: caller.role } : line;
}

/** The request headers a line names: who the client is, and through which proxy. */
const LOGGED_HEADERS = ['user-agent', 'x-forwarded-for', 'x-amzn-trace-id'] as const;

/** Credentials: a line says which were presented, never their value. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'user_id', 'proxy-authorization', 'x-api-key'] as const;

/**
 * The request as it came, its body never. Of its headers only LOGGED_HEADERS, and which
 * credentials it carried: the whole set (serialized, then redacted, into every request's child
 * logger) was about a tenth of the request log's cost and said nothing the line needs.
 */
function serializeRequest(req: IncomingMessage & { id?: unknown; originalUrl?: string }) {
  const headers: Record<string, string | string[]> = {};
  for (const name of LOGGED_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  for (const name of CREDENTIAL_HEADERS) {
    if (req.headers[name] !== undefined) headers[name] = REDACTED;
  }
  return {
    id: req.id,
    method: req.method,
    url: req.originalUrl ?? req.url,
    headers,
    remoteAddress: req.socket?.remoteAddress,
    remotePort: req.socket?.remotePort,
  };
}

/** Of the response only its status. */
function serializeResponse(res: ServerResponse) {
  return { statusCode: res.statusCode };
}
