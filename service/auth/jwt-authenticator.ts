import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../errors';
import { isReadOnlyRequest } from '../http/read-only-request';
import type { JwtAuthSettings } from './auth-settings';
import { roleOfRoles } from './staff-roles';
import './caller';
import { InvalidTokenError, type JwtVerifier } from './jwt-verifier';
import type { UserDirectory } from './user-directory';

/**
 * Every 401 of this mode, a missing token included, carries the same challenge (issue 6): one
 * answer whatever went wrong, naming only RFC 6750's error code.
 */
const CHALLENGE = 'Bearer realm="order-service", error="invalid_token"';
const DETAIL = 'A valid bearer token is required.';

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Production authentication: `Authorization: Bearer <JWT>`, verified, its subject mapped to a
 * users row (created on first sight, its address kept current) and its roles to the caller's
 * role. Every rejected token gets the same answer, whatever the reason; the reason is logged,
 * never the token.
 */
export function jwtAuthenticator(settings: JwtAuthSettings, verify: JwtVerifier, users: UserDirectory): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (header === undefined || !/^Bearer(\s|$)/i.test(header)) {
      throw new UnauthorizedError(DETAIL, CHALLENGE);
    }
    const token = BEARER.exec(header)?.[1];
    let identity;
    try {
      if (token === undefined) throw new InvalidTokenError('not a bearer token');
      identity = await verify(token);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      req.log?.info({ reason: error.reason }, 'bearer token rejected');
      throw new UnauthorizedError(DETAIL, CHALLENGE);
    }
    req.caller = {
      id: await users.userIdFor(identity.subject, { forChange: !isReadOnlyRequest(req), email: identity.email }),
      ...roleOfRoles(identity.roles, settings.staffRole),
    };
    next();
  };
}
