import type { Database } from '../db/database';
import { findUserIdByExternalId, insertUserIfAbsent } from './user-repository';

/** Enough for every active user of a shop; the oldest mappings are dropped first beyond it. */
const DEFAULT_CACHE_SIZE = 10_000;

/**
 * Maps an identity provider's subject to the users row whose integer id orders carry, creating
 * the row on first sight. A mapping never changes once made (rows are never re-keyed or deleted),
 * so it is cached in memory without expiry, bounded, to save a query per request.
 */
export class UserDirectory {
  private readonly cache = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly cacheSize = DEFAULT_CACHE_SIZE,
  ) {}

  async userIdFor(externalId: string): Promise<number> {
    const cached = this.cache.get(externalId);
    if (cached !== undefined) {
      // Map keeps insertion order: re-inserting marks it as recently used.
      this.cache.delete(externalId);
      this.cache.set(externalId, cached);
      return cached;
    }
    // A replica may not have a user created moments ago: a miss is confirmed on the writer.
    const found = await this.db.read((manager) => findUserIdByExternalId(manager, externalId), {
      confirmOnWriterIf: (id) => id === null,
    });
    const id = found ?? (await this.db.write((manager) => insertUserIfAbsent(manager, externalId, new Date())));
    this.remember(externalId, id);
    return id;
  }

  private remember(externalId: string, id: number): void {
    this.cache.set(externalId, id);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}
