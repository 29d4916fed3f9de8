import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config';

/** Credentials never reach the logs; the resolved user id is logged instead of the raw header. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.user_id',
  'res.headers["set-cookie"]',
];

/** A caller's X-Request-Id is kept when it is short and plain, so it cannot forge log lines. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

declare module 'http' {
  interface IncomingMessage {
    /** The request id: the caller's X-Request-Id when acceptable, else a new UUID; echoed back. */
    id?: string;
    /** A logger whose lines carry this request; made on first use. */
    log?: Logger;
  }
  interface ServerResponse {
    /** The error behind a 5xx answer, logged with the request (see error-handler.ts). */
    err?: Error;
  }
}

/** The service's logger; JSON lines to stdout unless `destination` is given (tests read them). */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

/**
 * One line per request when its response ends (`request completed`, `request aborted`, or at
 * error level `request errored` for a 5xx), with the request, the caller's `userId` and `role`,
 * the status and `responseTime` in ms; and a request id that is honoured, generated when absent,
 * and echoed back. The lines are pino-http's; it is not used because it made two or three child
 * loggers per request (each serializing its bindings) and held listeners and arrays for each,
 * about a fifth of the service's CPU for a GET; here one object is logged once.
 */
export function httpLogger(logger: Logger): RequestHandler {
  const requests = logger.child({}, { serializers: { req: serializeRequest, res: serializeResponse } });
  return (req, res, next) => {
    const startedAt = Date.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    let requestLogger: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, get: () => (requestLogger ??= requests.child({ req })) });

    // Load balancer probes every few seconds would drown the useful lines.
    if (!req.url.startsWith('/health/')) {
      const done = (error?: Error) => {
        res.off('close', done);
        res.off('error', done);
        logResponse(requests, req, res, Date.now() - startedAt, error);
      };
      // 'close' follows the end of every response, finished or cut off; an 'error' listener
      // also keeps a failed socket write from becoming an uncaught exception.
      res.on('close', done);
      res.on('error', done);
    }
    next();
  };
}

function logResponse(logger: Logger, req: IncomingMessage, res: ServerResponse, responseTime: number, error?: Error): void {
  const caller = req.caller;
  const failure = error ?? res.err;
  if (failure || res.statusCode >= 500) {
    logger.error(
      { req, ...(caller && { userId: caller.id, role: caller.role }), res, err: failure ?? new Error(`failed with status code ${res.statusCode}`), responseTime },
      'request errored',
    );
    return;
  }
  const message = !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted';
  logger.info({ req, ...(caller && { userId: caller.id, role: caller.role }), res, responseTime }, message);
}

/** The request as it came: its headers are logged (credentials redacted), its body never. */
function serializeRequest(req: IncomingMessage & { originalUrl?: string }) {
  return {
    id: req.id,
    method: req.method,
    url: req.originalUrl ?? req.url,
    headers: req.headers,
    remoteAddress: req.socket?.remoteAddress,
    remotePort: req.socket?.remotePort,
  };
}

/** Of the response only its status: its headers (helmet's dozen, the CSP string) cost more than the rest of the line. */
function serializeResponse(res: ServerResponse) {
  return { statusCode: res.statusCode };
}
