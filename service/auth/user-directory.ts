import type { Database, Unit } from '../db/database';
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

  /** With `forChange`, the lookup goes to the writer, as every query of a change does. */
  async userIdFor(externalId: string, options: { forChange?: boolean } = {}): Promise<number> {
    const cached = this.cache.get(externalId);
    if (cached !== undefined) {
      // Map keeps insertion order: re-inserting marks it as recently used.
      this.cache.delete(externalId);
      this.cache.set(externalId, cached);
      return cached;
    }
    const find: Unit<number | null> = (manager) => findUserIdByExternalId(manager, externalId);
    // A replica may not have a user created moments ago: a miss there is confirmed on the writer.
    const found = options.forChange
      ? await this.db.readPrimary(find)
      : await this.db.read(find, { confirmOnWriterIf: (id) => id === null });
    const id = found ?? (await this.db.write((manager) => insertUserIfAbsent(manager, externalId, new Date())));
    this.remember(externalId, id);
    return id;
  }

  private remember(externalId: string, id: number): void {
    this.cache.set(externalId, id);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}
