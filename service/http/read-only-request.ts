import type { Request } from 'express';

/**
 * GET and HEAD only read. Every other request may change something, so every query it makes,
 * down to looking up its caller, goes to the writer and never to a lagging replica.
 */
export function isReadOnlyRequest(req: Request): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}
