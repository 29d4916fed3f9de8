import type { ErrorRequestHandler, RequestHandler } from 'express';
import { NotFoundError } from '../errors';
import { sendProblem, toAppError } from './problem-response';

/** Requests no route answered. */
export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No resource at ${req.method} ${req.path}.`));
};

/** The one place every error becomes a response. Unexpected ones are logged with the request id. */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const appError = toAppError(error);
  if (appError.status >= 500) {
    // The request log line (http/logger.ts) is then written at error level with this attached.
    res.err = error instanceof Error ? error : new Error(String(error));
  }
  sendProblem(req, res, appError);
};
