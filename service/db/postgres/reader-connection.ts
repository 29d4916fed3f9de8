import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { connectOnce, type ConnectTarget, FIRST_DELAY_MS, MAX_DELAY_MS, reasonOf } from './connect-with-retry';

/**
 * The reader's data source, connected in the background. A failed replica already sends reads
 * to the writer at run time, so a reader that does not answer at start must not stop the start:
 * the service starts on the writer, warns naming the reader, and keeps trying (with backoff, each
 * attempt logged) until the reader answers. A reader once connected stays: its pool replaces
 * broken connections by itself, and reads fall back to the writer while it cannot.
 */
export class ReaderConnection {
  private dataSource: DataSource | undefined;
  private readonly stop = new AbortController();
  private readonly trying: Promise<void>;
  private readonly firstAttempt: Promise<void>;

  constructor(
    private readonly create: () => DataSource,
    /** The reader's role and endpoint, as its log lines name it. */
    readonly target: ConnectTarget,
    private readonly logger: Logger,
    /** Called with each data source once it is connected, before any read uses it. */
    private readonly onConnected: (dataSource: DataSource) => void,
  ) {
    let firstDone!: () => void;
    this.firstAttempt = new Promise((resolve) => (firstDone = resolve));
    this.trying = this.keepTrying(firstDone);
  }

  /** The connected reader; undefined while it is not (reads then go to the writer). */
  get current(): DataSource | undefined {
    return this.dataSource?.isInitialized ? this.dataSource : undefined;
  }

  /** Resolves after the first attempt, whether it connected or not. */
  attempted(): Promise<void> {
    return this.firstAttempt;
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.trying;
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
  }

  private async keepTrying(firstDone: () => void): Promise<void> {
    const { role, target } = this.target;
    for (let attempt = 1, wait = FIRST_DELAY_MS; !this.stop.signal.aborted; attempt++, wait = Math.min(wait * 2, MAX_DELAY_MS)) {
      try {
        const dataSource = await connectOnce(this.create);
        if (this.stop.signal.aborted) {
          await dataSource.destroy();
          return;
        }
        this.onConnected(dataSource);
        this.dataSource = dataSource;
        if (attempt > 1) this.logger.info({ attempt, role, target }, 'read replica reachable; reads go to it again');
        return;
      } catch (error) {
        this.logger.warn(
          { attempt, role, target, retryInMs: wait, reason: reasonOf(error) },
          attempt === 1 ? 'read replica not reachable; reads go to the writer until it is' : 'read replica still not reachable; retrying',
        );
      } finally {
        firstDone();
      }
      // Not holding the process open: a service that stops need not wait for the next attempt.
      await delay(wait, undefined, { signal: this.stop.signal, ref: false }).catch(() => undefined);
    }
  }
}
