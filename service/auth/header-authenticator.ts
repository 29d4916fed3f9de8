import type { RequestHandler } from 'express';
import type { Database } from '../db/database';
import { UnauthorizedError } from '../http/errors';
import './caller';
import { userExists } from './user-repository';

const USER_ID = /^[1-9][0-9]{0,9}$/;
const MAX_USER_ID = 2_147_483_647;
const CHALLENGE = 'UserId realm="order-service"';

/**
 * Development authentication: the `user_id` header names an existing user, who acts as a
 * customer. Every failure gets the same answer, so a caller cannot probe which user ids exist.
 */
export function headerAuthenticator(db: Database): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('user_id');
    const id = header !== undefined && USER_ID.test(header) ? Number(header) : NaN;
    if (!(id <= MAX_USER_ID) || !(await db.read((manager) => userExists(manager, id)))) {
      throw new UnauthorizedError('A valid user_id header is required.', CHALLENGE);
    }
    req.caller = { id, role: 'customer' };
    next();
  };
}
