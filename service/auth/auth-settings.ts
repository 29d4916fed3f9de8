import { createPublicKey } from 'node:crypto';
import type { Logger } from 'pino';
import type { EnvReader } from '../env-reader';
import { ORDER_POLICY_NAMES, type OrderPolicyName } from './order-policy';

/** Signature algorithms a token may use: asymmetric only, so a public key can never act as an HMAC secret. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
] as const;
export type TokenAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

export interface HeaderAuthSettings {
  readonly mode: 'header';
}

/** Where verification keys come from: an identity provider's JWKS, or one configured public key. */
export type KeySource =
  | {
      readonly kind: 'jwks';
      readonly url: string;
      /**
       * Refetches for tokens whose key the cached set lacks come from a budget of 5, with one
       * earned back per this long (AUTH_JWKS_COOLDOWN_MS); 0 means no limit.
       */
      readonly refetchRefillMs: number;
      readonly timeoutMs: number;
    }
  | { readonly kind: 'public-key'; readonly pem: string };

export interface JwtAuthSettings {
  readonly mode: 'jwt';
  readonly keys: KeySource;
  readonly issuer: string;
  readonly audience: string;
  /** `aud` (ID tokens, most issuers) or `client_id` (Cognito access tokens, which carry no `aud`). */
  readonly audienceClaim: 'aud' | 'client_id';
  readonly algorithms: readonly TokenAlgorithm[];
  readonly clockSkewSeconds: number;
  /** The claim holding the caller's stable external id. */
  readonly userClaim: string;
  /** The claim holding the caller's roles, an array of strings. */
  readonly rolesClaim: string;
  /** The claim holding the caller's email address, stored on their user for notifications. */
  readonly emailClaim: string;
  readonly staffRole: string;
}

export type AuthSettings = HeaderAuthSettings | JwtAuthSettings;

/**
 * AUTH_MODE=jwt verifies bearer tokens; AUTH_MODE=header is the development stand-in, the default
 * outside production and refused in production unless ALLOW_INSECURE_HEADER_AUTH=true.
 */
export function readAuthSettings(read: EnvReader, nodeEnv: string): AuthSettings {
  const production = nodeEnv === 'production';
  const mode = read.oneOf('AUTH_MODE', ['header', 'jwt'] as const, production ? 'jwt' : 'header');
  if (mode === 'header') {
    if (production && !read.boolean('ALLOW_INSECURE_HEADER_AUTH', false)) {
      read.problem(
        'AUTH_MODE=header trusts any caller to name a user and is refused with NODE_ENV=production: ' +
          'configure AUTH_MODE=jwt, or set ALLOW_INSECURE_HEADER_AUTH=true to accept the risk',
      );
    }
    return { mode };
  }
  return {
    mode,
    keys: readKeySource(read),
    issuer: required(read, 'AUTH_ISSUER'),
    audience: required(read, 'AUTH_AUDIENCE'),
    audienceClaim: read.oneOf('AUTH_AUDIENCE_CLAIM', ['aud', 'client_id'] as const, 'aud'),
    algorithms: readAlgorithms(read),
    clockSkewSeconds: read.integer('AUTH_CLOCK_SKEW_SECONDS', 30, { min: 0, max: 300 }),
    userClaim: read.string('AUTH_USER_CLAIM') ?? 'sub',
    rolesClaim: read.string('AUTH_ROLES_CLAIM') ?? 'cognito:groups',
    emailClaim: read.string('AUTH_EMAIL_CLAIM') ?? 'email',
    staffRole: read.string('AUTH_STAFF_ROLE') ?? 'staff',
  };
}

export function readOrderPolicyName(read: EnvReader): OrderPolicyName {
  return read.oneOf('ORDER_POLICY', ORDER_POLICY_NAMES, 'default');
}

/** Says at start how callers authenticate; warns when production knowingly runs the header stand-in. */
export function logAuthentication(config: { auth: AuthSettings; nodeEnv: string; orderPolicy: string }, logger: Logger): void {
  const { auth, orderPolicy } = config;
  const keys = auth.mode === 'jwt' ? (auth.keys.kind === 'jwks' ? auth.keys.url : 'AUTH_PUBLIC_KEY') : undefined;
  logger.info({ authMode: auth.mode, keys, orderPolicy }, `authentication: ${auth.mode}`);
  if (auth.mode === 'header' && config.nodeEnv === 'production') {
    logger.warn(
      { authMode: auth.mode },
      'INSECURE: AUTH_MODE=header in production (ALLOW_INSECURE_HEADER_AUTH=true): any caller can act as any user',
    );
  }
}

function readKeySource(read: EnvReader): KeySource {
  const url = read.string('AUTH_JWKS_URL');
  const pem = read.string('AUTH_PUBLIC_KEY');
  if (url && pem) read.problem('Set only one of AUTH_JWKS_URL and AUTH_PUBLIC_KEY');
  if (url) {
    return {
      kind: 'jwks',
      url: checkJwksUrl(read, url),
      refetchRefillMs: read.integer('AUTH_JWKS_COOLDOWN_MS', 30_000, { min: 0, max: 3_600_000 }),
      timeoutMs: read.integer('AUTH_JWKS_TIMEOUT_MS', 5000, { min: 100, max: 60_000 }),
    };
  }
  if (pem) return { kind: 'public-key', pem: checkPublicKey(read, pem) };
  read.problem('AUTH_MODE=jwt needs AUTH_JWKS_URL (the issuer\'s JWKS) or AUTH_PUBLIC_KEY (a PEM public key)');
  return { kind: 'public-key', pem: '' };
}

/** Keys fetched over plain HTTP could be replaced on the way: HTTPS, except on this machine. */
function checkJwksUrl(read: EnvReader, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    read.problem(`AUTH_JWKS_URL must be a URL (got "${raw}")`);
    return raw;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    read.problem(`AUTH_JWKS_URL must use https (plain http only for localhost) (got "${raw}")`);
  }
  return url.href;
}

/** A public key in PEM (SPKI or PKCS#1); `\n` escapes are accepted, as env files often carry them. */
function checkPublicKey(read: EnvReader, raw: string): string {
  const pem = raw.replace(/\\n/g, '\n');
  if (/PRIVATE KEY/.test(pem)) {
    read.problem('AUTH_PUBLIC_KEY holds a private key: configure only the public key');
    return '';
  }
  try {
    const type = createPublicKey(pem).asymmetricKeyType;
    if (!['rsa', 'rsa-pss', 'ec', 'ed25519'].includes(type ?? '')) read.problem(`AUTH_PUBLIC_KEY must be an RSA, EC or Ed25519 key (got ${type})`);
  } catch {
    read.problem('AUTH_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
  }
  return pem;
}

function readAlgorithms(read: EnvReader): TokenAlgorithm[] {
  const raw = read.string('AUTH_ALGORITHMS') ?? 'RS256,ES256';
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(name));
  if (unknown.length || names.length === 0) {
    read.problem(`AUTH_ALGORITHMS must list asymmetric algorithms among ${ASYMMETRIC_ALGORITHMS.join(', ')} (got "${raw}")`);
  }
  return names.filter((name): name is TokenAlgorithm => (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(name));
}

function required(read: EnvReader, name: string): string {
  const value = read.string(name);
  if (value === undefined) read.problem(`${name} is required when AUTH_MODE=jwt`);
  return value ?? '';
}
