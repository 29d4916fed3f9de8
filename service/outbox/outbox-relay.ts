import type { Logger } from 'pino';
import type { Database } from '../db/database';
import type { MessagingSettings } from '../messaging/messaging-settings';
import { anyClaimable, type ClaimedEvent, claimEvents, deferEvents, markPublished } from './outbox-repository';
import type { Publisher } from './publisher';

/** A failed event waits this long times 2^(attempts - 1) before it is tried again, at most MAX_RETRY_MS. */
const MAX_RETRY_MS = 60_000;

/** What one drain did: the events it sent, and whether it left some that are its to retry (failed, or out of time). */
export interface DrainResult {
  readonly sent: number;
  readonly left: boolean;
}

/**
 * Publishes the outbox: claims committed, unpublished events (a lease, so relays on other
 * instances leave them alone), publishes them, and marks them published. It wakes when an event
 * commits (Database.watch) and polls as well, so an event leaves within a second of its commit
 * while the queue is healthy; short of a full batch it first lingers a moment (lingerMs), so that
 * under load the commits of those milliseconds go out in one round. A relay that dies after
 * sending and before marking loses its lease after leaseMs; the next relay sends again, and the
 * queue's deduplication and the consumers' inboxes make that harmless. Events that fail stay in the outbox and are retried with backoff,
 * and a round in which nothing got through makes the relay itself back off the same way.
 */
export class OutboxRelay {
  private stopped = false;
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private endPause: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private unwatch: (() => Promise<void>) | undefined;

  constructor(
    private readonly db: Database,
    private readonly publisher: Publisher,
    private readonly settings: MessagingSettings['relay'],
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.unwatch = await this.db.watch('order_events', () => this.wake());
    this.running = this.run();
  }

  /** Finishes the round in hand (its events are marked or left for later), then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    this.endPause?.();
    await this.running;
    await this.unwatch?.();
    await this.publisher.close();
  }

  /**
   * For a process without a long-lived relay (a Lambda function): rounds until nothing is
   * claimable or `deadline` (epoch ms) passed, without start(). Each order's next event is
   * claimable once its previous one is marked, so a drain sends an order's events in order. Events
   * that another relay holds are that relay's, not left by this one.
   */
  async drain(deadline: number): Promise<DrainResult> {
    let sent = 0;
    while (Date.now() < deadline) {
      const { claimed, failed } = await this.round();
      sent += claimed - failed;
      if (failed > 0) return { sent, left: true };
      if (claimed === 0) return { sent, left: false };
    }
    return { sent, left: true };
  }

  private async round(): Promise<{ claimed: number; failed: number }> {
    const now = new Date();
    // A read first: on SQLite every committed write wakes the relay, its own claims included.
    if (!(await this.db.readPrimary((manager) => anyClaimable(manager, now)))) return { claimed: 0, failed: 0 };
    const leaseUntil = new Date(now.getTime() + this.settings.leaseMs);
    const claimed = await this.db.write((manager) => claimEvents(manager, this.settings.batchSize, now, leaseUntil));
    if (claimed.length === 0) return { claimed: 0, failed: 0 };

    let failed: ReadonlyMap<number, string>;
    try {
      ({ failed } = await this.publisher.publish(claimed.map(({ event }) => event)));
    } catch (error) {
      failed = new Map(claimed.map(({ event }) => [event.id, error instanceof Error ? error.message : String(error)]));
    }
    const sent = claimed.filter(({ event }) => !failed.has(event.id)).map(({ event }) => event.id);
    const retries = claimed.filter(({ event }) => failed.has(event.id));
    await this.db.write(async (manager) => {
      await markPublished(manager, sent, new Date());
      // One statement per backoff, not per event: while the queue is down every event of a round fails.
      for (const [attempts, ids] of idsByAttempts(retries)) await deferEvents(manager, ids, this.retryAt(attempts));
    });
    if (retries.length) {
      this.logger.warn(
        { failed: retries.length, sent: sent.length, firstReason: failed.get(retries[0].event.id), attempts: retries[0].attempts },
        'outbox events not published; they stay in the outbox and are retried',
      );
    }
    return { claimed: claimed.length, failed: retries.length };
  }

  private async run(): Promise<void> {
    let failedRounds = 0;
    while (!this.stopped) {
      let outcome = { claimed: 0, failed: 0 };
      try {
        outcome = await this.round();
      } catch (error) {
        this.logger.warn({ err: error }, 'outbox relay round failed; retrying');
      }
      if (this.stopped) break;
      failedRounds = outcome.claimed > 0 && outcome.failed === outcome.claimed ? failedRounds + 1 : 0;
      if (failedRounds > 0) {
        // Nothing got through (the queue is down): back off as the events do, deaf to commits, so
        // that an outage costs the API nothing; the events wait in the outbox meanwhile.
        await this.pause(this.backoffMs(failedRounds));
      } else if (outcome.claimed === 0) {
        await this.idle();
      }
      // A full batch means a backlog: go on at once. Otherwise let the next commits gather: every
      // commit wakes the relay, and a round per commit cost the API a fifth of its orders on SQLite.
      if (outcome.claimed < this.settings.batchSize && !this.stopped) await this.pause(this.settings.lingerMs);
    }
  }

  /** Waits `ms` (a linger or a backoff); only stop() cuts it short, not commits. */
  private pause(ms: number): Promise<void> {
    if (ms === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endPause = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endPause = done;
    });
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Until a commit wakes it, or pollMs passed (leases of dead relays expire; a wake can be missed). */
  private idle(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, this.settings.pollMs);
      this.wakeUp = done;
    });
  }

  private retryAt(attempts: number): Date {
    return new Date(Date.now() + this.backoffMs(attempts));
  }

  /** pollMs, doubled for each failure after the first, at most MAX_RETRY_MS. */
  private backoffMs(failures: number): number {
    return Math.min(this.settings.pollMs * 2 ** Math.max(0, failures - 1), MAX_RETRY_MS);
  }
}

function idsByAttempts(claimed: readonly ClaimedEvent[]): Map<number, number[]> {
  const byAttempts = new Map<number, number[]>();
  for (const { event, attempts } of claimed) {
    const ids = byAttempts.get(attempts);
    if (ids) ids.push(event.id);
    else byAttempts.set(attempts, [event.id]);
  }
  return byAttempts;
}
