import { readRegions, type RegionSettings } from './regions';

/** The two environments the app can build; each is its own stack with its own sizes. */
export const ENVIRONMENT_NAMES = ['staging', 'prod'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/**
 * The two shapes of the deployment (docs/serverless.md): `fargate`, highly available (ALB, ECS
 * Fargate, Aurora with readers), and `serverless`, low cost (API Gateway, Lambda, Aurora
 * Serverless v2 that pauses when idle).
 */
export const TIERS = ['fargate', 'serverless'] as const;
export type Tier = (typeof TIERS)[number];

/** Everything that differs between environments, already validated. Plain values: the stack maps them to CDK types. */
export interface OrderServiceConfig {
  readonly envName: EnvironmentName;
  readonly tier: Tier;
  readonly account: string;
  readonly region: string;
  /** Two or three zones of the region, in order: the writer goes to the first. */
  readonly availabilityZones: readonly string[];
  /** The service's public name, for example orders.example.com. */
  readonly domainName: string;
  /** The Route 53 hosted zone that holds domainName (its id and its apex name). */
  readonly hostedZoneId: string;
  readonly zoneName: string;
  readonly natGateways: number;
  readonly database: {
    readonly instanceType: string;
    readonly readers: number;
    readonly backupRetentionDays: number;
    /** Deletion protection and a final snapshot when the cluster is removed. */
    readonly protect: boolean;
    /** Alarm when an instance has less freeable memory than this (MiB); about 1/16 of the default class. */
    readonly freeableMemoryAlarmMiB: number;
  };
  readonly service: {
    /** Fargate CPU units (1024 = 1 vCPU) and memory in MiB; they must be a combination Fargate sells. */
    readonly cpu: number;
    readonly memoryMiB: number;
    readonly minTasks: number;
    readonly maxTasks: number;
    /** ALB requests per target per minute that the request-count scaling policy aims for. */
    readonly requestsPerTarget: number;
  };
  /** The queue worker: the same image with another command, scaled on the queue's backlog. */
  readonly worker: {
    /** Fargate CPU units and memory in MiB of one worker task. */
    readonly cpu: number;
    readonly memoryMiB: number;
    readonly minTasks: number;
    readonly maxTasks: number;
    /** Visible queue messages per running worker task that the backlog scaling policy aims for. */
    readonly messagesPerTask: number;
  };
  /** Who notification emails come from (MAIL_FROM), and the domain SES verifies for it. */
  readonly mail: {
    /** An address, or `Name <address>`. */
    readonly from: string;
    /** The address's domain: the SES identity, with its DKIM records in the hosted zone. */
    readonly domain: string;
  };
  readonly auth: { readonly jwksUrl: string; readonly issuer: string; readonly audience: string };
  /** The serverless tier's sizes (used only when tier is serverless). */
  readonly serverless: {
    /** Memory of the API function in MiB (Lambda gives CPU in proportion). */
    readonly memoryMiB: number;
    /** Reserved concurrency of the API function: at most this many containers, so database connections. */
    readonly reservedConcurrency: number;
    /** Steady requests per second API Gateway lets through; the burst is twice this. */
    readonly apiRateLimit: number;
    /** Aurora Serverless v2 capacity ceiling in ACUs (the floor is 0: paused). */
    readonly databaseMaxCapacity: number;
    /** Minutes without a connection before Aurora pauses. */
    readonly autoPauseMinutes: number;
  };
  /** The Fargate tier's private entrance: an NLB and a PrivateLink endpoint service. */
  readonly privateLink: {
    readonly enabled: boolean;
    /** IAM principals (account roots, roles) allowed to request connections; each is still accepted by hand. */
    readonly allowedPrincipals: readonly string[];
  };
  /**
   * The regional deployment (`-c regions=...`, docs/regions.md): one stack per region, each with the
   * orders of its own marketplaces, and a global stack with the Route 53 records in the first region.
   * Undefined: today's one stack in `region`.
   */
  readonly regions: readonly RegionSettings[] | undefined;
  /** Who receives alarm notifications by email; none subscribes when undefined. */
  readonly alarmEmail: string | undefined;
  readonly logRetentionDays: number;
}

/**
 * Every setting that can come from `-c key=value` or, failing that, from an environment variable.
 * The context table in docs/deployment.md lists the same keys.
 */
export const SETTINGS = {
  env: 'ORDER_SERVICE_ENV',
  account: 'CDK_DEFAULT_ACCOUNT',
  region: 'CDK_DEFAULT_REGION',
  availabilityZones: 'ORDER_SERVICE_AZS',
  domainName: 'ORDER_SERVICE_DOMAIN_NAME',
  hostedZoneId: 'ORDER_SERVICE_HOSTED_ZONE_ID',
  zoneName: 'ORDER_SERVICE_ZONE_NAME',
  authIssuer: 'ORDER_SERVICE_AUTH_ISSUER',
  authJwksUrl: 'ORDER_SERVICE_AUTH_JWKS_URL',
  authAudience: 'ORDER_SERVICE_AUTH_AUDIENCE',
  dbInstanceType: 'ORDER_SERVICE_DB_INSTANCE_TYPE',
  taskCpu: 'ORDER_SERVICE_TASK_CPU',
  taskMemoryMiB: 'ORDER_SERVICE_TASK_MEMORY_MIB',
  maxTasks: 'ORDER_SERVICE_MAX_TASKS',
  requestsPerTarget: 'ORDER_SERVICE_REQUESTS_PER_TARGET',
  alarmEmail: 'ORDER_SERVICE_ALARM_EMAIL',
  workerMaxTasks: 'ORDER_SERVICE_WORKER_MAX_TASKS',
  workerMessagesPerTask: 'ORDER_SERVICE_WORKER_MESSAGES_PER_TASK',
  mailFrom: 'ORDER_SERVICE_MAIL_FROM',
  tier: 'ORDER_SERVICE_TIER',
  reservedConcurrency: 'ORDER_SERVICE_RESERVED_CONCURRENCY',
  apiRateLimit: 'ORDER_SERVICE_API_RATE_LIMIT',
  databaseMaxCapacity: 'ORDER_SERVICE_DB_MAX_ACU',
  autoPauseMinutes: 'ORDER_SERVICE_AUTO_PAUSE_MINUTES',
  privateLink: 'ORDER_SERVICE_PRIVATE_LINK',
  privateLinkPrincipals: 'ORDER_SERVICE_PRIVATE_LINK_PRINCIPALS',
  regions: 'ORDER_SERVICE_REGIONS',
} as const;
export type SettingKey = keyof typeof SETTINGS;

/** Reads one setting (context first, then the environment); undefined when unset. */
export type SettingReader = (key: SettingKey) => string | undefined;

const EXAMPLE_ACCOUNT = '123456789012';
const EXAMPLE_REGION = 'us-east-1';
const EXAMPLE_HOSTED_ZONE_ID = 'Z0123456789EXAMPLE';
const EXAMPLE_USER_POOL = 'us-east-1_EXAMPLE';

/** What each environment is when nothing overrides it. */
const DEFAULTS: Record<
  EnvironmentName,
  Omit<
    OrderServiceConfig,
    'tier' | 'account' | 'region' | 'availabilityZones' | 'domainName' | 'hostedZoneId' | 'zoneName' | 'auth' | 'alarmEmail' | 'mail' | 'privateLink' | 'regions'
  >
> = {
  staging: {
    envName: 'staging',
    natGateways: 1,
    database: { instanceType: 'db.t4g.medium', readers: 1, backupRetentionDays: 7, protect: false, freeableMemoryAlarmMiB: 256 },
    service: { cpu: 512, memoryMiB: 1024, minTasks: 2, maxTasks: 4, requestsPerTarget: 6000 },
    worker: { cpu: 256, memoryMiB: 512, minTasks: 1, maxTasks: 2, messagesPerTask: 100 },
    serverless: { memoryMiB: 1024, reservedConcurrency: 10, apiRateLimit: 100, databaseMaxCapacity: 2, autoPauseMinutes: 5 },
    logRetentionDays: 30,
  },
  prod: {
    envName: 'prod',
    natGateways: 2,
    database: { instanceType: 'db.r6g.large', readers: 2, backupRetentionDays: 30, protect: true, freeableMemoryAlarmMiB: 1024 },
    service: { cpu: 1024, memoryMiB: 2048, minTasks: 2, maxTasks: 10, requestsPerTarget: 12000 },
    worker: { cpu: 512, memoryMiB: 1024, minTasks: 2, maxTasks: 6, messagesPerTask: 100 },
    serverless: { memoryMiB: 1024, reservedConcurrency: 50, apiRateLimit: 500, databaseMaxCapacity: 8, autoPauseMinutes: 30 },
    logRetentionDays: 365,
  },
};

/** Memory (MiB) that Fargate accepts for each CPU size. */
const FARGATE_MEMORY: Record<number, (memory: number) => boolean> = {
  256: (m) => [512, 1024, 2048].includes(m),
  512: (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  1024: (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  2048: (m) => m >= 4096 && m <= 16384 && m % 1024 === 0,
  4096: (m) => m >= 8192 && m <= 30720 && m % 1024 === 0,
};

export class InfraConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid deployment settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InfraConfigError';
  }
}

/** Builds and validates one environment's settings; throws an InfraConfigError naming every bad value. */
export function loadInfraConfig(read: SettingReader): OrderServiceConfig {
  const problems: string[] = [];
  const envName = (read('env') ?? 'staging') as EnvironmentName;
  if (!ENVIRONMENT_NAMES.includes(envName)) {
    throw new InfraConfigError([`env must be one of ${ENVIRONMENT_NAMES.join(', ')}, not "${envName}".`]);
  }
  const defaults = DEFAULTS[envName];
  const tier = (read('tier') ?? 'fargate') as Tier;
  if (!TIERS.includes(tier)) problems.push(`tier must be one of ${TIERS.join(', ')}, not "${tier}".`);
  const integer = (key: SettingKey, fallback: number, min: number, max: number): number => {
    const raw = read(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max}, not "${raw}".`);
      return fallback;
    }
    return value;
  };

  const account = read('account') ?? EXAMPLE_ACCOUNT;
  if (!/^\d{12}$/.test(account)) problems.push(`account must be a 12-digit AWS account id, not "${account}".`);
  const region = read('region') ?? EXAMPLE_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) problems.push(`region must be an AWS region such as us-east-1, not "${region}".`);

  const availabilityZones = (read('availabilityZones') ?? `${region}a,${region}b,${region}c`).split(',').map((az) => az.trim());
  if (availabilityZones.length < 2 || availabilityZones.length > 3) {
    problems.push(`availabilityZones must list two or three zones, not ${availabilityZones.length}.`);
  }
  for (const az of availabilityZones.filter((zone) => !zone.startsWith(region))) {
    problems.push(`availabilityZones must be zones of ${region}, and "${az}" is not.`);
  }

  const domainName = (read('domainName') ?? (envName === 'prod' ? 'orders.example.com' : 'orders.staging.example.com')).toLowerCase();
  const zoneName = (read('zoneName') ?? parentDomain(domainName)).toLowerCase();
  if (domainName !== zoneName && !domainName.endsWith(`.${zoneName}`)) {
    problems.push(`domainName "${domainName}" must be inside the hosted zone "${zoneName}".`);
  }

  const issuer = read('authIssuer') ?? `https://cognito-idp.${region}.amazonaws.com/${EXAMPLE_USER_POOL}`;
  const jwksUrl = read('authJwksUrl') ?? `${issuer}/.well-known/jwks.json`;
  for (const [key, url] of [['authIssuer', issuer], ['authJwksUrl', jwksUrl]] as const) {
    if (!url.startsWith('https://')) problems.push(`${key} must be an https URL, not "${url}".`);
  }

  const cpu = integer('taskCpu', defaults.service.cpu, 256, 4096);
  const memoryMiB = integer('taskMemoryMiB', defaults.service.memoryMiB, 512, 30720);
  if (!FARGATE_MEMORY[cpu]?.(memoryMiB)) problems.push(`taskCpu ${cpu} with taskMemoryMiB ${memoryMiB} is not a size Fargate offers.`);
  const maxTasks = integer('maxTasks', defaults.service.maxTasks, defaults.service.minTasks, 100);

  // By default the service's own domain, already checked above.
  const mailFrom = read('mailFrom') ?? `orders@${domainName}`;
  const mailDomain = /^(?:[^<>]*<[^<>@\s]+@([^<>@\s]+)>|[^<>@\s]+@([^<>@\s]+))$/.exec(mailFrom.trim())?.slice(1).find(Boolean)?.toLowerCase();
  if (mailDomain === undefined) {
    problems.push(`mailFrom must be an address or "Name <address>", not "${mailFrom}".`);
  } else if (read('mailFrom') !== undefined && mailDomain !== zoneName && !mailDomain.endsWith(`.${zoneName}`)) {
    problems.push(`mailFrom's domain "${mailDomain}" must be inside the hosted zone "${zoneName}", which receives its DKIM records.`);
  }

  const alarmEmail = read('alarmEmail');
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    problems.push(`alarmEmail must be an email address, not "${alarmEmail}".`);
  }

  const serverless = {
    ...defaults.serverless,
    reservedConcurrency: integer('reservedConcurrency', defaults.serverless.reservedConcurrency, 1, 1000),
    apiRateLimit: integer('apiRateLimit', defaults.serverless.apiRateLimit, 1, 10_000),
    databaseMaxCapacity: integer('databaseMaxCapacity', defaults.serverless.databaseMaxCapacity, 1, 256),
    autoPauseMinutes: integer('autoPauseMinutes', defaults.serverless.autoPauseMinutes, 5, 1440),
  };
  const connections = approximateMaxConnections(serverless.databaseMaxCapacity);
  if (serverless.reservedConcurrency + CONNECTIONS_KEPT_FREE > connections) {
    problems.push(
      `reservedConcurrency ${serverless.reservedConcurrency} could open more connections than Aurora allows at ` +
        `databaseMaxCapacity ${serverless.databaseMaxCapacity} (about ${connections}, ${CONNECTIONS_KEPT_FREE} kept for migrations ` +
        'and people): lower reservedConcurrency or raise databaseMaxCapacity.',
    );
  }

  const privateLink = readPrivateLink(read, tier, problems);
  const regions = readRegionalDeployment(read, tier, problems);

  const config: OrderServiceConfig = {
    ...defaults,
    tier,
    account,
    region,
    availabilityZones,
    domainName,
    hostedZoneId: read('hostedZoneId') ?? EXAMPLE_HOSTED_ZONE_ID,
    zoneName,
    database: { ...defaults.database, instanceType: read('dbInstanceType') ?? defaults.database.instanceType },
    service: {
      ...defaults.service,
      cpu,
      memoryMiB,
      maxTasks,
      requestsPerTarget: integer('requestsPerTarget', defaults.service.requestsPerTarget, 10, 1_000_000),
    },
    worker: {
      ...defaults.worker,
      maxTasks: integer('workerMaxTasks', defaults.worker.maxTasks, defaults.worker.minTasks, 50),
      messagesPerTask: integer('workerMessagesPerTask', defaults.worker.messagesPerTask, 1, 100_000),
    },
    mail: { from: mailFrom.trim(), domain: mailDomain ?? '' },
    serverless,
    privateLink,
    regions,
    auth: { issuer, jwksUrl, audience: read('authAudience') ?? 'order-service' },
    alarmEmail,
  };
  if (!config.database.instanceType.startsWith('db.')) {
    problems.push(`dbInstanceType must be an RDS instance class such as db.r6g.large, not "${config.database.instanceType}".`);
  }
  if (problems.length > 0) throw new InfraConfigError(problems);
  return config;
}

/** Connections the serverless tier leaves free beside the API function's: the migration function's two, the worker's two, the sweep's one (two if runs overlap), and people's. */
const CONNECTIONS_KEPT_FREE = 10;

/**
 * Aurora PostgreSQL's default max_connections, LEAST(DBInstanceClassMemory / 9531392, 5000), for a
 * Serverless v2 instance sized at its maximum capacity (an ACU is about 2 GiB).
 */
export function approximateMaxConnections(maxCapacityAcu: number): number {
  return Math.min(5000, Math.floor((maxCapacityAcu * 2 * 1024 ** 3) / 9_531_392));
}

/** An IAM principal an endpoint service can allow: an account root, a role or a user. */
const IAM_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/[\w+=,.@/-]+|user\/[\w+=,.@/-]+)$/;

function readPrivateLink(read: SettingReader, tier: Tier, problems: string[]): OrderServiceConfig['privateLink'] {
  const raw = read('privateLink');
  if (raw !== undefined && raw !== 'true' && raw !== 'false') problems.push(`privateLink must be true or false, not "${raw}".`);
  const enabled = raw === 'true';
  const allowedPrincipals = (read('privateLinkPrincipals') ?? '').split(',').map((arn) => arn.trim()).filter(Boolean);
  if (enabled && tier !== 'fargate') {
    problems.push('privateLink needs the fargate tier: the serverless tier has no load balancer to put behind an endpoint service.');
  }
  if (enabled && allowedPrincipals.length === 0) {
    problems.push('privateLink needs privateLinkPrincipals: the IAM principals (arn:aws:iam::111122223333:root, a role) allowed to connect.');
  }
  if (!enabled && allowedPrincipals.length > 0) problems.push('privateLinkPrincipals is set, but privateLink is not true.');
  for (const arn of allowedPrincipals.filter((principal) => !IAM_PRINCIPAL.test(principal))) {
    problems.push(`privateLinkPrincipals must be IAM principal ARNs such as arn:aws:iam::111122223333:root, and "${arn}" is not.`);
  }
  return { enabled, allowedPrincipals };
}

function readRegionalDeployment(read: SettingReader, tier: Tier, problems: string[]): OrderServiceConfig['regions'] {
  const raw = read('regions');
  if (raw === undefined) return undefined;
  if (tier !== 'fargate') problems.push('regions needs the fargate tier: the serverless tier is deployed to one region only.');
  if (read('availabilityZones') !== undefined) {
    problems.push('availabilityZones applies to a single region: with regions, each region spreads over its own three zones.');
  }
  return readRegions(raw, problems);
}

/** orders.example.com → example.com; a two-label name is its own zone. */
function parentDomain(domainName: string): string {
  const labels = domainName.split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : domainName;
}
