import cors from 'cors';
import type { RequestHandler } from 'express';
import type { EnvReader } from '../env-reader';

/** Headers a browser client may send, and read back, across origins. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id', 'user_id'];
const EXPOSED_HEADERS = ['ETag', 'Location', 'X-Request-Id', 'Idempotent-Replayed', 'Retry-After', 'WWW-Authenticate'];

/**
 * CORS is off unless CORS_ALLOWED_ORIGINS lists origins: a browser page elsewhere may then call
 * the API, and only from those exact origins. Everyone else gets no CORS headers at all.
 */
export function corsPolicy(allowedOrigins: readonly string[]): RequestHandler {
  if (allowedOrigins.length === 0) return (_req, _res, next) => next();
  return cors({
    origin: [...allowedOrigins],
    methods: ['GET', 'POST', 'PATCH'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}

/** CORS_ALLOWED_ORIGINS: comma-separated origins such as https://shop.example.com; `*` is refused. */
export function readCorsAllowedOrigins(read: EnvReader): string[] {
  const raw = read.string('CORS_ALLOWED_ORIGINS');
  if (!raw) return [];
  const origins = raw.split(',').map((origin) => origin.trim()).filter(Boolean);
  const invalid = origins.filter((origin) => !isOrigin(origin));
  if (invalid.length) {
    read.problem(`CORS_ALLOWED_ORIGINS must list origins like https://shop.example.com (scheme, host, optional port; no path, no *): ${invalid.join(', ')}`);
  }
  return origins;
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
