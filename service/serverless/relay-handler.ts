import type { Context } from 'aws-lambda';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { openDatabase } from '../db/open-database';
import type { Env } from '../env-reader';
import { createPublisher } from '../outbox/create-publisher';
import { OutboxRelay } from '../outbox/outbox-relay';
import { type FunctionOptions, lazily, readFunctionSettings } from './function-container';
import { cloudWatchSignals, type SweepSignals } from './sweep-signals';
import { resumeAfterIdle } from './wait-for-database';

/** What the schedule sends: the minute's rule an EventBridge event, the daily rule `{ "force": true }`. */
export interface SweepEvent {
  /** Look at the outbox whatever the signals say. */
  readonly force?: boolean;
}

export interface SweepResult {
  /** Whether it looked at the outbox (there was a signal, or it was forced). */
  readonly swept: boolean;
  readonly sent: number;
}

/** Kept back from the function's timeout: the drain starts no round after that. */
const RESERVE_MS = 5000;

export interface RelayHandlerOptions extends FunctionOptions {
  /** What tells it that events may have been left (default: CloudWatch, when RELAY_SWEEP_API_FUNCTION is set). */
  readonly signals?: SweepSignals;
}

export type RelayHandler = ((event: SweepEvent | undefined, context: Context) => Promise<SweepResult>) & { close(): Promise<void> };

interface Relaying {
  readonly db: Database;
  readonly relay: OutboxRelay;
  readonly resumed: () => Promise<boolean>;
}

/**
 * The scheduled sweep of the serverless tier, beside the relay each API request runs
 * (request-relay.ts): it sends what those left, a crashed request's events or those the queue
 * refused. It drains with the same OutboxRelay and its claims, so sweeps and requests relaying at
 * once never send one event twice in parallel, and each order's events go one at a time, in order.
 * Without a signal it does not touch the database, so that it never keeps Aurora from pausing.
 * Events it could not send make it fail: the failure is the next run's signal, and alarms.
 */
export function createRelayHandler(env: Env, options: RelayHandlerOptions = {}): RelayHandler {
  const settings = lazily(() => readFunctionSettings(env, options));
  const relaying = lazily(async () => {
    const { config, logger } = await settings.get();
    return open(config, logger);
  });

  const handler = async (event: SweepEvent | undefined, context: Context): Promise<SweepResult> => {
    const { config, logger } = await settings.get();
    const signals = options.signals ?? defaultSignals(config, env);
    if (!event?.force && signals && !(await signals())) return { swept: false, sent: 0 };

    const { relay, resumed } = await relaying.get();
    if (!(await resumed())) {
      throw new Error('the database did not answer: the outbox is swept again on the next run');
    }
    const { sent, left } = await relay.drain(Date.now() + context.getRemainingTimeInMillis() - RESERVE_MS);
    if (sent > 0) logger.info({ sent }, 'the sweep published outbox events');
    if (left) throw new Error(`the sweep left outbox events (the queue refused some, or time ran out; ${sent} sent): the next run tries again`);
    return { swept: true, sent };
  };
  const close = async () => {
    const current = await relaying.forget();
    await current?.relay.stop();
    await current?.db.close();
  };
  return Object.assign(handler, { close });
}

async function open(config: Config, logger: Logger): Promise<Relaying> {
  const db = await openDatabase(config.database, logger);
  const publisher = createPublisher(config, db, logger);
  if (!publisher) {
    await db.close();
    throw new Error('The relay sweep has nowhere to publish: set QUEUE_URL (or leave WORKER_EMBEDDED on).');
  }
  return { db, relay: new OutboxRelay(db, publisher, config.messaging.relay, logger), resumed: resumeAfterIdle(config.database, db, logger) };
}

/** CloudWatch's signals when the function knows which API function to watch; none (always look) otherwise. */
function defaultSignals(config: Config, env: Env): SweepSignals | undefined {
  const api = config.messaging.relay.sweepApiFunction;
  const self = env.AWS_LAMBDA_FUNCTION_NAME;
  return api && self ? cloudWatchSignals(api, self) : undefined;
}
