import type { RequestHandler } from 'express';
import type { Database, Unit } from '../db/database';
import { UnauthorizedError } from '../errors';
import { isReadOnlyRequest } from '../http/read-only-request';
import './caller';
import { userExists } from './user-repository';

const USER_ID = /^[1-9][0-9]{0,9}$/;
const MAX_USER_ID = 2_147_483_647;
const CHALLENGE = 'UserId realm="order-service"';

/** Enough for every active user; beyond it the oldest known ids are looked up again. */
const KNOWN_USERS_CACHE_SIZE = 10_000;

/**
 * Development authentication: the `user_id` header names an existing user, who acts as a
 * customer. Every failure gets the same answer, so a caller cannot probe which user ids exist.
 * Users are never deleted, so an id once found stays valid: found ids are remembered (bounded)
 * and cost no query afterwards; unknown ids are asked every time, since they may appear later.
 * A read request asks wherever reads go; a change asks the writer, as every query of a change does.
 */
export function headerAuthenticator(db: Database): RequestHandler {
  const known = new Set<number>();
  return async (req, _res, next) => {
    const header = req.get('user_id');
    const id = header !== undefined && USER_ID.test(header) ? Number(header) : NaN;
    if (!(id <= MAX_USER_ID)) throw new UnauthorizedError('A valid user_id header is required.', CHALLENGE);
    if (!known.has(id)) {
      const lookUp: Unit<boolean> = (manager) => userExists(manager, id);
      if (!(await (isReadOnlyRequest(req) ? db.read(lookUp) : db.readPrimary(lookUp)))) {
        throw new UnauthorizedError('A valid user_id header is required.', CHALLENGE);
      }
      known.add(id);
      // A Set iterates in insertion order: the first is the oldest.
      if (known.size > KNOWN_USERS_CACHE_SIZE) known.delete(known.values().next().value!);
    }
    req.caller = { id, role: 'customer' };
    next();
  };
}
