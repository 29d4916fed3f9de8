import express, { type RequestHandler } from 'express';
import { NotUtf8JsonError } from './http-errors';

/** The methods whose operations take a body; on the others a body is ignored, never parsed. */
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/**
 * express.json for the methods that carry a body. A GET with a stray body is answered as a GET
 * (not refused as too large or malformed, which its operation does not document), and a body
 * declared in another charset than UTF-8 is refused with 415 (body-parser would decode UTF-16).
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes });
  return (req, res, next) => {
    if (!METHODS_WITH_BODY.has(req.method)) return next();
    const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return next(new NotUtf8JsonError());
    }
    parse(req, res, next);
  };
}
