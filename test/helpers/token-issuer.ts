import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool';
export const AUDIENCE = 'order-service-tests';

/** A key pair of the test's own, as an identity provider holds them. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  /** The public key as PEM (SPKI), for AUTH_PUBLIC_KEY. */
  readonly publicPem: string;
}

export async function makeSigningKey(alg: 'RS256' | 'ES256', kid = `${alg.toLowerCase()}-${randomUUID()}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export interface TokenOptions {
  /** Signs with this key (default: the issuer's first RS256 key). */
  readonly key?: SigningKey;
  /** The `kid` header; default the key's own. */
  readonly kid?: string;
  /** Seconds from now; negative for an expired token; null for none. Default 300. */
  readonly expiresIn?: number | null;
  /** Seconds from now the token becomes valid (`nbf`), when given. */
  readonly notBefore?: number;
  readonly issuer?: string;
  readonly audience?: string;
}

/**
 * An identity provider for tests: key pairs made here, their JWKS served by a real HTTP server on
 * a free local port (counting its fetches), and tokens minted like Cognito's.
 */
export class TestIssuer {
  /** How many times the JWKS was fetched. */
  fetches = 0;
  /** When set, the JWKS endpoint answers this status instead (an identity provider outage). */
  failWith: number | undefined;
  /** When set, the JWKS endpoint answers 200 with this body instead of the key set (a broken provider). */
  answerWith: string | undefined;
  /** How long the JWKS endpoint takes to answer, so that requests can overlap a fetch. */
  delayMs = 0;
  private published: SigningKey[];

  private constructor(
    private readonly server: http.Server,
    readonly keys: { rsa: SigningKey; ec: SigningKey },
  ) {
    this.published = [keys.rsa, keys.ec];
  }

  static async start(): Promise<TestIssuer> {
    const keys = { rsa: await makeSigningKey('RS256'), ec: await makeSigningKey('ES256') };
    let issuer: TestIssuer | undefined;
    const server = http.createServer((req, res) => issuer!.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = new TestIssuer(server, keys);
    return issuer;
  }

  get jwksUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  /** The service's variables for this issuer (JWT mode), plus `extra`. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return { AUTH_MODE: 'jwt', AUTH_JWKS_URL: this.jwksUrl, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, ...extra };
  }

  /** Replaces the published key set (a key rotation). */
  publish(...keys: SigningKey[]): void {
    this.published = keys;
  }

  /** A signed token with Cognito-like claims; `claims` adds to or overrides them. */
  async token(claims: JWTPayload = {}, options: TokenOptions = {}): Promise<string> {
    const key = options.key ?? this.keys.rsa;
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ sub: randomUUID(), token_use: 'access', ...claims })
      .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt(now);
    if (options.expiresIn !== null) jwt.setExpirationTime(now + (options.expiresIn ?? 300));
    if (options.notBefore !== undefined) jwt.setNotBefore(now + options.notBefore);
    return jwt.sign(key.privateKey);
  }

  /** A customer's token: no groups. */
  customer(sub: string = randomUUID(), options: TokenOptions = {}): Promise<string> {
    return this.token({ sub }, options);
  }

  /** A staff member's token: in the `staff` group. */
  staff(sub: string = randomUUID(), options: TokenOptions = {}): Promise<string> {
    return this.token({ sub, 'cognito:groups': ['staff'] }, options);
  }

  /** Staff of some marketplaces only: in their `staff:<code>` groups. */
  marketplaceStaff(marketplaces: readonly string[], sub: string = randomUUID(), options: TokenOptions = {}): Promise<string> {
    return this.token({ sub, 'cognito:groups': marketplaces.map((code) => `staff:${code}`) }, options);
  }

  close(): Promise<void> {
    // The service's fetch keeps its connection alive; cut it, or close() would wait for it.
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    this.fetches += 1;
    // What is published when the request arrives, as a real endpoint would have read it.
    const failWith = this.failWith;
    const body = this.answerWith ?? JSON.stringify({ keys: this.published.map((key) => key.publicJwk) });
    setTimeout(() => {
      if (failWith !== undefined) {
        res.writeHead(failWith, { 'content-type': 'text/plain' }).end('unavailable');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }, this.delayMs);
  }
}

/** `Authorization: Bearer <token>` */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}
