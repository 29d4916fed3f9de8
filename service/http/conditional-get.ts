import type { Express, Request } from 'express';

/**
 * Conditional GET as the origin server answers it (RFC 9110 §13.1.2, §13.2.1): a GET or HEAD whose
 * If-None-Match matches the answer's ETag (weakly) gets 304. Express's own check (the `fresh`
 * module) gives up when the request carries `Cache-Control: no-cache`, which many HTTP clients
 * add by themselves; that directive tells caches on the way to revalidate, and this is the
 * revalidation, so the condition is evaluated all the same.
 */
export function answerConditionalGets(app: Express): void {
  Object.defineProperty(app.request, 'fresh', {
    configurable: true,
    enumerable: true,
    get(this: Request): boolean {
      if (this.method !== 'GET' && this.method !== 'HEAD') return false;
      const status = this.res!.statusCode;
      if (!((status >= 200 && status < 300) || status === 304)) return false;
      const noneMatch = this.headers['if-none-match'];
      if (noneMatch !== undefined) return matchesAny(noneMatch, this.res!.get('ETag'));
      return notModifiedSince(this.headers['if-modified-since'], this.res!.get('Last-Modified'));
    },
  });
}

/** If-None-Match: `*`, or a list of entity tags compared weakly (W/"3" matches "3"). */
function matchesAny(header: string, etag: string | undefined): boolean {
  if (header.trim() === '*') return true;
  if (etag === undefined) return false;
  const current = opaqueTag(etag);
  return header.split(',').some((tag) => opaqueTag(tag) === current);
}

function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/** If-Modified-Since counts only without If-None-Match, and only against a Last-Modified. */
function notModifiedSince(since: string | undefined, lastModified: string | undefined): boolean {
  if (since === undefined || lastModified === undefined) return false;
  const [sinceMs, modifiedMs] = [Date.parse(since), Date.parse(lastModified)];
  return !Number.isNaN(sinceMs) && !Number.isNaN(modifiedMs) && modifiedMs <= sinceMs;
}
