import type { Database, Unit } from '../db/database';
import { type ExternalUser, findUserByExternalId, insertUserIfAbsent, updateUserEmail } from './user-repository';

/** Enough for every active user of a shop; the oldest mappings are dropped first beyond it. */
const DEFAULT_CACHE_SIZE = 10_000;

export interface UserLookup {
  /** The lookup goes to the writer, as every query of a change does. */
  readonly forChange?: boolean;
  /** The address the caller's token carries now: stored when it differs from the one last seen. */
  readonly email?: string;
}

/**
 * Maps an identity provider's subject to the users row whose integer id orders carry, creating
 * the row on first sight. A mapping never changes once made (rows are never re-keyed or deleted),
 * so it is cached in memory without expiry, bounded, to save a query per request. The address
 * last stored for each subject is cached beside it, so a token's address costs a write only when
 * it changed, not on every request.
 */
export class UserDirectory {
  private readonly cache = new Map<string, ExternalUser>();

  constructor(
    private readonly db: Database,
    private readonly cacheSize = DEFAULT_CACHE_SIZE,
  ) {}

  async userIdFor(externalId: string, lookup: UserLookup = {}): Promise<number> {
    let user = this.cache.get(externalId) ?? (await this.findOrCreate(externalId, lookup));
    if (lookup.email !== undefined && lookup.email !== user.email) {
      const { id } = user;
      await this.db.write((manager) => updateUserEmail(manager, id, lookup.email!));
      user = { id, email: lookup.email };
    }
    this.remember(externalId, user);
    return user.id;
  }

  private async findOrCreate(externalId: string, lookup: UserLookup): Promise<ExternalUser> {
    const find: Unit<ExternalUser | null> = (manager) => findUserByExternalId(manager, externalId);
    // A replica may not have a user created moments ago: a miss there is confirmed on the writer.
    // Its address may lag too; that costs at most one needless write of the same address.
    const found = lookup.forChange
      ? await this.db.readPrimary(find)
      : await this.db.read(find, { confirmOnWriterIf: (user) => user === null });
    return found ?? (await this.db.write((manager) => insertUserIfAbsent(manager, externalId, new Date(), lookup.email ?? null)));
  }

  /** Map keeps insertion order: re-inserting marks the subject as the most recently used. */
  private remember(externalId: string, user: ExternalUser): void {
    this.cache.delete(externalId);
    this.cache.set(externalId, user);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}
