import { createPublicKey, type KeyObject } from 'node:crypto';
import {
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';
import { problemType, ServiceUnavailableError } from '../errors';
import type { JwtAuthSettings } from './auth-settings';
import { plainEmailAddress } from './email-address';
import { JwksCache } from './jwks-cache';

/** Longer than any real access token; anything bigger is refused before it is parsed. */
const MAX_TOKEN_LENGTH = 8192;
const MAX_SUBJECT_LENGTH = 255;

/** What a verified token says about its bearer. */
export interface VerifiedIdentity {
  /** The identity provider's stable id of the caller (a Cognito `sub`). */
  readonly subject: string;
  readonly roles: readonly string[];
  /** Where to mail them, when the token carries an address not marked unverified (see emailOf). */
  readonly email: string | undefined;
}

/** The token is not acceptable. Deliberately without a reason: the client gets one generic answer. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`invalid token: ${reason}`);
    this.name = 'InvalidTokenError';
  }
}

/** The issuer's key set cannot be fetched: no token can be judged, so it is our failure, not theirs. */
export class IdentityProviderUnavailableError extends ServiceUnavailableError {
  constructor(cause?: unknown) {
    super('The identity provider\'s signing keys cannot be fetched right now. Retry shortly.', {
      title: 'Service temporarily unavailable',
      type: problemType('identity-provider-unavailable'),
      retryAfterSeconds: 5,
      cause,
    });
  }
}

export type JwtVerifier = (token: string) => Promise<VerifiedIdentity>;

/**
 * Verifies a JWT's signature (asymmetric algorithms only), issuer, audience, expiry and not-before
 * (with the configured clock skew), then reads the subject and roles claims.
 */
export function createJwtVerifier(settings: JwtAuthSettings): JwtVerifier {
  const key = verificationKey(settings);
  const options: JWTVerifyOptions = {
    issuer: settings.issuer,
    audience: settings.audienceClaim === 'aud' ? settings.audience : undefined,
    algorithms: [...settings.algorithms],
    clockTolerance: settings.clockSkewSeconds,
    requiredClaims: ['exp'],
  };

  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('too long');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key, options));
    } catch (error) {
      if (error instanceof errors.JWTClaimValidationFailed) throw new InvalidTokenError(`${error.code} ${error.claim} ${error.reason}`);
      if (error instanceof errors.JOSEError) throw new InvalidTokenError(error.code);
      throw error;
    }
    if (settings.audienceClaim === 'client_id' && payload.client_id !== settings.audience) {
      throw new InvalidTokenError('client_id');
    }
    return {
      subject: subjectOf(payload, settings.userClaim),
      roles: rolesOf(payload, settings.rolesClaim),
      email: emailOf(payload, settings.emailClaim),
    };
  };
}

function verificationKey(settings: JwtAuthSettings): KeyObject | JWTVerifyGetKey {
  if (settings.keys.kind === 'public-key') return createPublicKey(settings.keys.pem);
  const { url, timeoutMs, refetchRefillMs } = settings.keys;
  const jwks = new JwksCache({ url, timeoutMs, refetchRefillMs });
  // A key the issuer does not publish, even after a refetch, is the token's fault (401); failing
  // to fetch the set at all is ours (503).
  return async (header, token) => {
    try {
      return await jwks.keyFor(header, token);
    } catch (error) {
      if (isTokenFault(error)) throw error;
      throw new IdentityProviderUnavailableError(error);
    }
  };
}

function isTokenFault(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JOSEAlgNotAllowed
  );
}

function subjectOf(payload: JWTPayload, claim: string): string {
  const subject = payload[claim];
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) {
    throw new InvalidTokenError(`claim ${claim}`);
  }
  return subject;
}

/** Anything but an array of strings grants no role: a malformed claim must never make staff. */
function rolesOf(payload: JWTPayload, claim: string): string[] {
  const roles = payload[claim];
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
}

/**
 * The address in `claim`, unless the issuer says it is not verified: an address anyone can type
 * into their profile may be a stranger's, and order mails would tell that stranger what was bought
 * and where it goes. `email_verified` (OIDC) absent counts as verified, since access tokens and
 * custom claims rarely carry it; Cognito has sent it as the string "false", so that counts too.
 * Anything but one plain address is no address (a list of them would mail several people).
 */
function emailOf(payload: JWTPayload, claim: string): string | undefined {
  const verified = payload.email_verified;
  if (verified === false || verified === 'false') return undefined;
  return plainEmailAddress(payload[claim]);
}
