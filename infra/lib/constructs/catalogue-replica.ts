import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { addAlarm } from './alarm-topic';
import { marketplaceEnvironment } from './container-settings';
import { nagResourceName } from './nag-findings';
import { PRIVATE_BUCKET } from './private-bucket';
import { ServiceFunction } from './service-function';

export interface CatalogueReplicaProps {
  readonly vpc: ec2.IVpc;
  /** The repository root (see ServiceFunction). */
  readonly repositoryRoot: string;
  /** The bucket's fixed name: the global stack's replication rule names it from another region. */
  readonly bucketName: string;
  /** Only objects under this prefix are imported (the replication rule copies the same prefix). */
  readonly prefix: string;
  /** Where the bucket's server access logs go (under s3/catalogue/). */
  readonly accessLogs: s3.IBucket;
  /** The RDS-generated secret with the credentials. */
  readonly databaseSecret: secretsmanager.ISecret;
  /** The writer endpoint and its port: the import writes. */
  readonly databaseHost: string;
  readonly databasePort: string;
  /** The region's marketplaces (DEFAULT_MARKETPLACE, MARKETPLACES), as the containers get them. */
  readonly marketplaces: readonly string[];
  /** How long the function's log is kept. */
  readonly logRetention: logs.RetentionDays;
  /** The stack's alarm topic: told when an import fails, since nothing else would notice. */
  readonly alarmTopic: sns.ITopic;
  /**
   * How long one import may run.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * How long a replaced or deleted document stays as a noncurrent version, to go back to.
   * @default Duration.days(90)
   */
  readonly noncurrentVersionRetention?: Duration;
}

/** The id CDK gives the one function per stack that configures S3 bucket notifications. */
const BUCKET_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/**
 * A region's copy of the global catalogue (docs/regions.md): a versioned, SSE-S3, TLS-only bucket
 * that the global stack's source bucket replicates into, and the catalogue-import function
 * (service/catalogue-import-lambda.ts), in the VPC with the database secret, that S3 invokes for
 * every document written under the prefix and that upserts it into the region's Aurora in one
 * transaction. One import at a time: a second waits in Lambda's asynchronous queue.
 */
export class CatalogueReplica extends Construct {
  readonly bucket: s3.Bucket;
  readonly importFunction: ServiceFunction;

  constructor(scope: Construct, id: string, props: CatalogueReplicaProps) {
    super(scope, id);
    if (!props.prefix.endsWith('/')) throw new Error(`CatalogueReplica needs a prefix that ends with a slash, not "${props.prefix}".`);
    if (props.marketplaces.length === 0) throw new Error('CatalogueReplica needs the region\'s marketplaces: the import keeps their listings.');

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      // A replication destination must be versioned; the versions are also the catalogue's history.
      versioned: true,
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 's3/catalogue/',
      lifecycleRules: [{ noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(90) }],
    });

    this.importFunction = new ServiceFunction(this, 'Import', {
      vpc: props.vpc,
      repositoryRoot: props.repositoryRoot,
      entry: 'catalogue-import-lambda.ts',
      databaseSecret: props.databaseSecret,
      environment: {
        DB_HOST: props.databaseHost,
        DB_PORT: props.databasePort,
        DB_POOL_SIZE: '1',
        ...marketplaceEnvironment(props.marketplaces),
      },
      memoryMiB: 1024,
      timeout: props.timeout ?? Duration.minutes(5),
      // Imports one after another, so two documents written close together never interleave.
      reservedConcurrency: 1,
      logRetention: props.logRetention,
    });
    // The version the notification names (so a newer upload cannot slip in between), under the prefix only.
    const documents = this.bucket.arnForObjects(`${props.prefix}*`);
    const role = this.importFunction.function.role!;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [documents] }));
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, documents)}]`,
      reason: 'The import reads catalogue documents whose keys are chosen when they are written, so it may read any object under the catalogue prefix of this one bucket, and only read.',
    });

    this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(this.importFunction.function), {
      prefix: props.prefix,
      suffix: '.json',
    });
    // S3 invokes asynchronously: Lambda retries a failed import twice, then drops the event.
    addAlarm(this, 'ImportFailed', props.alarmTopic, {
      metric: this.importFunction.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 0,
      evaluationPeriods: 1,
      alarmDescription: 'A catalogue import failed: this region still sells from its previous catalogue (see the import function log, then copy the document onto itself in the source bucket to import it again).',
    });

    // The stack-wide handler CDK adds to configure bucket notifications (a deploy-time custom resource).
    const notificationsHandler = Stack.of(this).node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
    if (!notificationsHandler) throw new Error(`CatalogueReplica expected CDK's ${BUCKET_NOTIFICATIONS_HANDLER_ID} in its stack.`);
    Validations.of(notificationsHandler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'This is the CDK-provided handler that sets bucket notifications while CloudFormation deploys; the managed policy lets it write its own log only, and CDK offers no way to replace it.',
    });
  }
}
