import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { nagResourceName } from './nag-findings';
import { PRIVATE_BUCKET } from './private-bucket';

/** A region's catalogue bucket, named (it lives in another stack, often another region). */
export interface CatalogueDestination {
  readonly region: string;
  readonly bucketName: string;
}

export interface CatalogueSourceProps {
  /** The source bucket's name. */
  readonly bucketName: string;
  /** Only objects under this prefix are replicated (the regions import the same prefix). */
  readonly prefix: string;
  /** Every region's catalogue bucket: each gets every document. */
  readonly destinations: readonly CatalogueDestination[];
  /**
   * How long a replaced or deleted document stays as a noncurrent version, to go back to.
   * @default Duration.days(365)
   */
  readonly noncurrentVersionRetention?: Duration;
  /**
   * How long the source bucket's server access logs are kept.
   * @default Duration.days(90)
   */
  readonly accessLogRetention?: Duration;
}

/**
 * The catalogue's source of truth (docs/regions.md): a versioned, SSE-S3, TLS-only bucket in the
 * primary region where the catalogue document is written, replicated by S3 Cross-Region
 * Replication to every region's bucket with Replication Time Control (99.99% of objects within
 * 15 minutes, and a ReplicationLatency metric to alarm on). Its access logs go to a bucket of its own.
 */
export class CatalogueSource extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: CatalogueSourceProps) {
    super(scope, id);
    if (props.destinations.length === 0) throw new Error('CatalogueSource needs at least one destination: a region that imports the catalogue.');
    const regions = props.destinations.map((d) => d.region);
    if (new Set(regions).size !== regions.length) throw new Error(`CatalogueSource needs one destination per region, not ${regions.join(', ')}.`);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...PRIVATE_BUCKET,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(90) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is itself the destination of the catalogue bucket access logs; logging its own access to another bucket adds cost without a reader.',
    });

    const stack = Stack.of(this);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      versioned: true,
      ...PRIVATE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 's3/catalogue-source/',
      lifecycleRules: [{ noncurrentVersionExpiration: props.noncurrentVersionRetention ?? Duration.days(365) }],
      replicationRules: props.destinations.map((destination, index) => ({
        id: `catalogue-to-${destination.region}`,
        priority: index,
        filter: { prefix: props.prefix },
        destination: s3.Bucket.fromBucketAttributes(this, `Destination${index}`, {
          bucketName: destination.bucketName,
          bucketArn: stack.formatArn({ service: 's3', region: '', account: '', resource: destination.bucketName }),
          region: destination.region,
        }),
        replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
        metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
        // A deleted document stays current in the regions: they keep selling the catalogue they have.
        deleteMarkerReplication: false,
      })),
    });
    // CDK's replication role reads every object version of the source and writes replicas into each destination.
    const replicationRole = this.bucket.node.findChild('ReplicationRole');
    const buckets = [this.bucket.bucketArn, ...props.destinations.map((d) => stack.formatArn({ service: 's3', region: '', account: '', resource: d.bucketName }))];
    for (const arn of buckets) {
      Validations.of(replicationRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, `${arn}/*`)}]`,
        reason: 'S3 replication reads and writes object versions whose keys are only known when a document is written; the role is scoped to the catalogue buckets and is assumable by S3 only.',
      });
    }
  }
}
