import type { RequestHandler } from 'express';

/**
 * HEAD is GET without the body (RFC 9110 §9.3.2). Express routes HEAD to GET handlers, but the
 * contract validator knows only the documented methods and would answer 405; so a HEAD request
 * goes through as the GET it mirrors. Node already knows the response is to a HEAD (it decided
 * when the request arrived) and sends the headers only.
 */
export const headAsGet: RequestHandler = (req, _res, next) => {
  if (req.method === 'HEAD') req.method = 'GET';
  next();
};
