import { createLocalJWKSet, errors, type CryptoKey, type FlattenedJWSInput, type JWSHeaderParameters } from 'jose';
import { fetchKeySet } from './jwks-fetch';
import { RefetchBudget } from './refetch-budget';

/** jose's default for its remote key sets: keys an issuer retires stop working within this. */
const DEFAULT_MAX_AGE_MS = 10 * 60_000;
/** Refetches for unknown keys that may happen back to back: a rotation takes one. */
const DEFAULT_REFETCH_BURST = 5;

export interface JwksCacheOptions {
  /** The issuer's JWKS URL. */
  readonly url: string;
  /** Giving up on one fetch after this long. */
  readonly timeoutMs: number;
  /** One more refetch for an unknown key is earned per this long (0: no limit). */
  readonly refetchRefillMs: number;
  /** @default 5 */
  readonly refetchBurst?: number;
  /** A set older than this is fetched again before use. @default 600000 (10 minutes) */
  readonly maxAgeMs?: number;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
}

interface CachedSet {
  readonly keyFor: ReturnType<typeof createLocalJWKSet>;
  readonly fetchedAt: number;
}

/**
 * An issuer's JWKS, fetched on first use and kept for `maxAgeMs`. A token whose key the set lacks
 * makes it refetch at once (key rotation), if the refetch budget allows; concurrent callers share
 * one fetch. jose picks and imports the keys; a fetch failure rejects with the fetch's error.
 */
export class JwksCache {
  private current: CachedSet | undefined;
  private pending: Promise<CachedSet> | undefined;
  private readonly budget: RefetchBudget;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(private readonly options: JwksCacheOptions) {
    this.now = options.now ?? Date.now;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.budget = new RefetchBudget(options.refetchBurst ?? DEFAULT_REFETCH_BURST, options.refetchRefillMs, this.now);
  }

  /** The key a token's header names; rejects with jose's JWKSNoMatchingKey when the issuer has none. */
  async keyFor(header: JWSHeaderParameters, token?: FlattenedJWSInput): Promise<CryptoKey> {
    const set = await this.freshSet();
    try {
      return await set.keyFor(header, token);
    } catch (error) {
      // Any miss, an unknown kid or a known one with another alg or kty, may spend a refetch.
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      const newer = await this.setNewerThan(set);
      if (newer === undefined) throw error;
      return newer.keyFor(header, token);
    }
  }

  private async freshSet(): Promise<CachedSet> {
    const set = this.current;
    if (set !== undefined && this.now() - set.fetchedAt < this.maxAgeMs) return set;
    return this.refetch();
  }

  /** A set fetched after `seen`: one already in, the fetch under way, or a new one if the budget allows. */
  private async setNewerThan(seen: CachedSet): Promise<CachedSet | undefined> {
    if (this.current !== seen) return this.current;
    if (this.pending !== undefined) return this.pending;
    if (!this.budget.trySpend()) return undefined;
    return this.refetch();
  }

  /** One fetch at a time: callers arriving while it runs wait for the same one. */
  private refetch(): Promise<CachedSet> {
    this.pending ??= fetchKeySet(this.options.url, this.options.timeoutMs)
      .then((jwks) => {
        this.current = { keyFor: createLocalJWKSet(jwks), fetchedAt: this.now() };
        return this.current;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
