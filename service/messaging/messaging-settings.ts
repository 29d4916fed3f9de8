import type { EnvReader } from '../env-reader';

export interface QueueSettings {
  /** The SQS FIFO queue's URL. */
  readonly url: string;
  /** Another SQS endpoint than AWS's (an emulator such as fauxqs). */
  readonly endpoint: string | undefined;
  readonly region: string;
}

export interface MessagingSettings {
  /** Where events are published; undefined: no queue, the API process hands them to the consumers. */
  readonly queue: QueueSettings | undefined;
  /** Without a queue, whether the API process runs the consumers itself (the embedded default). */
  readonly workerEmbedded: boolean;
  readonly relay: {
    /** Whether this process relays the outbox at all. */
    readonly enabled: boolean;
    /** How often it looks for events when nothing woke it. */
    readonly pollMs: number;
    /** Events claimed at a time (sent in batches of 10 to SQS). */
    readonly batchSize: number;
    /**
     * How long a relay that has less than a full batch waits for more commits before its next
     * round: under load, rounds of many events instead of one round (a claim, a send, a mark) per
     * commit or two.
     */
    readonly lingerMs: number;
    /** How long a claim lasts: a relay that dies holding it is replaced after this. */
    readonly leaseMs: number;
    /**
     * Serverless tier: the API function whose signals (EventsLeft, errors) wake the scheduled
     * sweep; undefined: the sweep looks at the outbox every time it runs.
     */
    readonly sweepApiFunction: string | undefined;
  };
  readonly worker: {
    /** SQS long polling: how long one receive waits for messages. */
    readonly waitTimeSeconds: number;
    /**
     * How long a received message stays hidden from other workers; extended while its batch is
     * in hand, so a slow batch (a slow mail server) is never delivered twice at once.
     */
    readonly visibilityTimeoutSeconds: number;
  };
}

const AWS_QUEUE_HOST = /^sqs\.([a-z0-9-]+)\.amazonaws\.com$/;

/** QUEUE_URL, SQS_ENDPOINT, AWS_REGION, WORKER_EMBEDDED, RELAY_* (RELAY_SWEEP_API_FUNCTION too), WORKER_*. */
export function readMessagingSettings(read: EnvReader): MessagingSettings {
  return {
    queue: readQueue(read),
    workerEmbedded: read.boolean('WORKER_EMBEDDED', true),
    relay: {
      enabled: read.boolean('RELAY_ENABLED', true),
      pollMs: read.integer('RELAY_POLL_MS', 1000, { min: 10, max: 60_000 }),
      batchSize: read.integer('RELAY_BATCH_SIZE', 50, { min: 1, max: 500 }),
      lingerMs: read.integer('RELAY_LINGER_MS', 20, { min: 0, max: 1000 }),
      leaseMs: read.integer('RELAY_LEASE_MS', 30_000, { min: 1000, max: 600_000 }),
      sweepApiFunction: read.string('RELAY_SWEEP_API_FUNCTION'),
    },
    worker: {
      waitTimeSeconds: read.integer('WORKER_WAIT_SECONDS', 20, { min: 0, max: 20 }),
      visibilityTimeoutSeconds: read.integer('WORKER_VISIBILITY_TIMEOUT_SECONDS', 60, { min: 1, max: 43_200 }),
    },
  };
}

function readQueue(read: EnvReader): QueueSettings | undefined {
  const raw = read.string('QUEUE_URL');
  const endpoint = read.string('SQS_ENDPOINT');
  if (!raw) {
    if (endpoint) read.problem('SQS_ENDPOINT is set but QUEUE_URL is not: set the queue, or remove the endpoint');
    return undefined;
  }
  const url = parseUrl(read, 'QUEUE_URL', raw);
  if (url && !url.pathname.endsWith('.fifo')) {
    read.problem(`QUEUE_URL must name a FIFO queue (its name ends in .fifo): events of one order must stay in order (got "${raw}")`);
  }
  if (endpoint) parseUrl(read, 'SQS_ENDPOINT', endpoint);
  const region = read.string('AWS_REGION') ?? (url && AWS_QUEUE_HOST.exec(url.hostname)?.[1]) ?? (endpoint ? 'us-east-1' : undefined);
  if (!region) read.problem('AWS_REGION is required with QUEUE_URL (it could not be read from the queue URL)');
  return { url: raw, endpoint, region: region ?? '' };
}

function parseUrl(read: EnvReader, name: string, raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url;
  } catch {
    // Reported below.
  }
  read.problem(`${name} must be an http(s) URL (got "${raw}")`);
  return undefined;
}
