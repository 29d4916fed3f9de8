import { setTimeout as delay } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { FIRST_DELAY_MS, MAX_DELAY_MS, reasonOf } from './connect-with-retry';
import { quoteIdentifier, sslOptions } from './postgres-data-source';
import { describeEndpoint } from './postgres-endpoint';
import type { PostgresSettings } from './postgres-settings';

/** How pg_stat_activity names the listening connection. */
export const LISTENER_APPLICATION_NAME = 'order-service-listener';

/**
 * LISTEN on one channel over a connection of its own (a pooled one would be returned and lose
 * it), for as long as the process runs. A broken connection (a failover, a restart) is replaced
 * with backoff; `listener` is then called once, since notifications sent meanwhile were lost.
 */
export class ChangeListener {
  private client: Client | undefined;
  private readonly stop = new AbortController();
  private readonly running: Promise<void>;

  constructor(
    private readonly settings: PostgresSettings,
    private readonly channel: string,
    private readonly listener: () => void,
    private readonly logger: Logger,
    /** Called once the first attempt to listen is over, whether it worked or not. */
    firstAttempt: () => void,
  ) {
    this.running = this.keepListening(firstAttempt);
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.client?.end().catch(() => undefined);
    await this.running;
  }

  private async keepListening(firstAttempt: () => void): Promise<void> {
    let wait = FIRST_DELAY_MS;
    let listenedBefore = false;
    while (!this.stop.signal.aborted) {
      try {
        const { ended } = await this.listenOnce();
        firstAttempt();
        // Notifications sent while nobody listened are lost: catch up once.
        if (listenedBefore) this.listener();
        listenedBefore = true;
        wait = FIRST_DELAY_MS;
        await ended;
      } catch (error) {
        firstAttempt();
        if (this.stop.signal.aborted) return;
        this.logger.warn({ channel: this.channel, retryInMs: wait, reason: reasonOf(error) }, 'change listener has no connection; reconnecting');
      }
      await delay(wait, undefined, { signal: this.stop.signal, ref: false }).catch(() => undefined);
      wait = Math.min(wait * 2, MAX_DELAY_MS);
    }
  }

  /** Connects and listens; resolves with a promise that settles when the connection ends. */
  private async listenOnce(): Promise<{ ended: Promise<void> }> {
    const { writer, ssl, connectTimeoutMs } = this.settings;
    const client = new Client({
      host: writer.host,
      port: writer.port,
      user: writer.user,
      password: writer.password,
      database: writer.database,
      ssl: sslOptions(ssl),
      application_name: LISTENER_APPLICATION_NAME,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
    });
    const ended = new Promise<void>((resolve, reject) => {
      client.on('error', reject);
      client.on('end', () => (this.stop.signal.aborted ? resolve() : reject(new Error(`connection to ${describeEndpoint(writer)} ended`))));
    });
    ended.catch(() => undefined);
    this.client = client;
    try {
      await client.connect();
      client.on('notification', () => this.listener());
      await client.query(`LISTEN ${quoteIdentifier(this.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    // Wrapped: an async function returning the promise itself would wait for it to settle.
    return { ended };
  }
}
