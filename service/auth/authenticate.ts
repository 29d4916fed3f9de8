import type { RequestHandler } from 'express';
import type { Database } from '../db/database';
import type { AuthSettings } from './auth-settings';
import { headerAuthenticator } from './header-authenticator';
import { jwtAuthenticator } from './jwt-authenticator';
import { createJwtVerifier } from './jwt-verifier';
import { UserDirectory } from './user-directory';

/**
 * The authentication middleware: sets `req.caller` ({ id, role }) or answers 401. The mode is
 * chosen once, from the configuration; route handlers and guards never know which one ran.
 */
export function authenticate(db: Database, settings: AuthSettings): RequestHandler {
  if (settings.mode === 'header') return headerAuthenticator(db);
  return jwtAuthenticator(settings, createJwtVerifier(settings), new UserDirectory(db));
}
