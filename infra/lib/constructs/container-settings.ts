import { Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** Where the image keeps the Amazon RDS CA certificates (the Dockerfile writes them there). */
export const RDS_CA_BUNDLE_PATH = '/app/certs/aws-rds-ca.pem';

export interface ContainerSettingsProps {
  /** The RDS-generated secret: username, password and dbname are injected from it. */
  readonly databaseSecret: secretsmanager.ISecret;
  /** The Aurora cluster (writer) endpoint, for writes and the reads they depend on. */
  readonly databaseWriterHost: string;
  /** The Aurora reader endpoint, for read-only queries. */
  readonly databaseReaderHost: string;
  /** The port both endpoints listen on. */
  readonly databasePort: string;
  /** The order events FIFO queue: the API's relay publishes to it, the worker consumes it. */
  readonly queueUrl: string;
  /** The region of the queue and of SES. */
  readonly region: string;
  /** The sender of notification emails, an address or `Name <address>`. */
  readonly mailFrom: string;
  /**
   * JWT verification (AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE). Only the API verifies tokens, but
   * every process validates the whole configuration, and production refuses to start without them.
   */
  readonly auth: { readonly jwksUrl: string; readonly issuer: string; readonly audience: string };
  /**
   * The marketplaces this deployment takes orders for (MARKETPLACES), the first being the one a
   * request naming none belongs to (DEFAULT_MARKETPLACE); the app refuses orders for any other.
   * @default - neither variable: the app's own default (every marketplace, one region)
   */
  readonly marketplaces?: readonly string[];
  /**
   * The service's LOG_LEVEL.
   * @default 'info'
   */
  readonly logLevel?: string;
}

/** What every process of the image is told, in the shape a container definition takes. */
export interface ContainerSettings {
  /** Plain settings: nothing secret. */
  readonly environment: Readonly<Record<string, string>>;
  /** Settings read from Secrets Manager when a task starts. */
  readonly secrets: Readonly<Record<string, ecs.Secret>>;
}

/**
 * The settings the API and the worker share. Both load the same configuration (service/config.ts),
 * so they get the same database, auth, queue and mail settings; each adds only its own.
 */
export function containerSettings(props: ContainerSettingsProps): ContainerSettings {
  if (props.marketplaces !== undefined && props.marketplaces.length === 0) {
    throw new Error('containerSettings needs at least one marketplace when marketplaces is given: the first is DEFAULT_MARKETPLACE.');
  }
  return {
    environment: {
      NODE_ENV: 'production',
      LOG_LEVEL: props.logLevel ?? 'info',
      DB_HOST: props.databaseWriterHost,
      DB_READER_HOST: props.databaseReaderHost,
      DB_PORT: props.databasePort,
      // Aurora's certificate and host name checked against the RDS CAs the image carries
      // (Dockerfile, scripts/write-rds-ca-bundle.mjs); the parameter group refuses plain connections.
      DB_SSL: 'verify-full',
      DB_SSL_CA_PATH: RDS_CA_BUNDLE_PATH,
      AUTH_MODE: 'jwt',
      AUTH_JWKS_URL: props.auth.jwksUrl,
      AUTH_ISSUER: props.auth.issuer,
      AUTH_AUDIENCE: props.auth.audience,
      QUEUE_URL: props.queueUrl,
      AWS_REGION: props.region,
      // Every process validates the mail settings, and production defaults to SES, which needs a
      // sender; only the worker's role may actually send.
      MAIL_TRANSPORT: 'ses',
      MAIL_FROM: props.mailFrom,
      // ECS's init (tini) is PID 1 and forwards SIGTERM; the image's own tini then runs as a subreaper.
      TINI_SUBREAPER: '1',
      ...marketplaceEnvironment(props.marketplaces),
    },
    secrets: {
      DB_USER: ecs.Secret.fromSecretsManager(props.databaseSecret, 'username'),
      DB_PASSWORD: ecs.Secret.fromSecretsManager(props.databaseSecret, 'password'),
      DB_NAME: ecs.Secret.fromSecretsManager(props.databaseSecret, 'dbname'),
    },
  };
}

/** DEFAULT_MARKETPLACE and MARKETPLACES for a regional deployment's marketplaces; nothing when undefined. */
export function marketplaceEnvironment(marketplaces: readonly string[] | undefined): Record<string, string> {
  if (marketplaces === undefined) return {};
  return { DEFAULT_MARKETPLACE: marketplaces[0], MARKETPLACES: marketplaces.join(',') };
}

/**
 * The cdk-nag findings every task definition of the image has, acknowledged with their reasons:
 * plain environment variables (ECS2) and the execution role's one unscoped action (IAM5).
 */
export function acknowledgeTaskDefinitionFindings(taskDefinition: ecs.TaskDefinition): void {
  Validations.of(taskDefinition).acknowledge({
    id: 'AwsSolutions-ECS2',
    reason: 'The environment holds only non-secret settings (NODE_ENV, auth issuer and JWKS URL, database hosts, queue URL, mail sender, timeouts); every credential comes through Secrets.',
  });
  Validations.of(taskDefinition.obtainExecutionRole()).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'ecr:GetAuthorizationToken, which every image pull needs, cannot be scoped to a resource; the image and secret reads are scoped to their ARNs.',
  });
}
