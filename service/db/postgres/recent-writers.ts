const MAX_TRACKED = 100_000;

/**
 * Users who changed something in the last `windowMs`. Their reads go to the writer, so a client
 * sees its own change even while a replica lags (read-your-writes). In memory, per task.
 */
export class RecentWriters {
  private readonly until = new Map<number, number>();

  constructor(private readonly windowMs: number) {}

  note(userId: number): void {
    if (this.windowMs <= 0) return;
    this.until.delete(userId);
    this.until.set(userId, Date.now() + this.windowMs);
    if (this.until.size > MAX_TRACKED) this.forgetExpired();
  }

  has(userId: number | undefined): boolean {
    if (userId === undefined) return false;
    const until = this.until.get(userId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.until.delete(userId);
    return false;
  }

  /** Entries are in insertion order, which is expiry order, so the expired ones lead. */
  private forgetExpired(): void {
    const now = Date.now();
    for (const [userId, until] of this.until) {
      if (until > now && this.until.size <= MAX_TRACKED) break;
      this.until.delete(userId);
    }
  }
}
