/**
 * A token bucket for JWKS refetches that a token, not the clock, asks for: up to `capacity` at
 * once, then one more per `refillMs`. A rotation needs one refetch; a stream of made-up `kid`s
 * would need one per request, and must not turn the service against its identity provider.
 */
export class RefetchBudget {
  private tokens: number;
  private refilledAt: number;

  /**
   * @param capacity refetches that may happen back to back
   * @param refillMs one refetch is earned back per this long; 0 means no limit
   * @param now the clock, in milliseconds
   */
  constructor(
    private readonly capacity: number,
    private readonly refillMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.refilledAt = now();
  }

  /** Takes one refetch from the budget; false when none is left. */
  trySpend(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.now();
    const earned = this.refillMs === 0 ? this.capacity : (now - this.refilledAt) / this.refillMs;
    this.tokens = Math.min(this.capacity, this.tokens + earned);
    this.refilledAt = now;
  }
}
