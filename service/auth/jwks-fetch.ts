import type { JSONWebKeySet } from 'jose';

/** The issuer's key set could not be had: its endpoint failed, timed out or answered something else. */
export class JwksFetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`JWKS fetch failed: ${message}`, options);
    this.name = 'JwksFetchError';
  }
}

/**
 * Fetches an issuer's JWKS: a 200 answer whose body is JSON with a `keys` array, within
 * `timeoutMs`. The keys themselves are checked by jose when the set is loaded.
 */
export async function fetchKeySet(url: string, timeoutMs: number): Promise<JSONWebKeySet> {
  const signal = AbortSignal.timeout(timeoutMs);
  // No redirects: one could lead away from the HTTPS URL that config.ts checked.
  const response = await fetch(url, {
    headers: { accept: 'application/json, application/jwk-set+json' },
    redirect: 'manual',
    signal,
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new JwksFetchError(`expected 200, got ${response.status}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new JwksFetchError(signal.aborted ? 'timed out' : 'the answer is not JSON', { cause });
  }
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { keys?: unknown }).keys)) {
    throw new JwksFetchError('the answer has no "keys" array');
  }
  return body as JSONWebKeySet;
}
