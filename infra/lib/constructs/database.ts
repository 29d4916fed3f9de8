import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';

const POSTGRES_PORT = 5432;

/** Provisioned instances of one class: a writer, and readers that are failover targets and serve DB_READER_HOST. */
export interface ProvisionedCapacity {
  readonly kind: 'provisioned';
  /** The instance class of the writer and the readers, for example db.r6g.large. */
  readonly instanceType: string;
  /** How many reader instances; at least one, so that a failover has somewhere to go. */
  readonly readers: number;
}

/** One Aurora Serverless v2 writer that scales between 0 ACU (paused, not billed) and maxCapacity. */
export interface ServerlessCapacity {
  readonly kind: 'serverless';
  /** The most ACUs (about 2 GiB of memory each, with CPU in proportion) it may scale to. */
  readonly maxCapacity: number;
  /** How long without a connection before it pauses (5 minutes to a day). */
  readonly pauseAfter: Duration;
}

export interface DatabaseProps {
  readonly vpc: ec2.IVpc;
  /** The zones to place instances in: the writer in the first, each reader in the next one round. */
  readonly availabilityZones: readonly string[];
  /** The cluster's name, which also names its log group. */
  readonly clusterIdentifier: string;
  /** Provisioned writer and readers (the fargate tier), or one Serverless v2 writer that pauses (the serverless tier). */
  readonly capacity: ProvisionedCapacity | ServerlessCapacity;
  /** Days of automated backups (point-in-time recovery); at least 7. */
  readonly backupRetentionDays: number;
  /** Deletion protection on, and a final snapshot when the stack removes the cluster. */
  readonly protect: boolean;
  /** How long the exported postgresql log is kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * The database the service uses.
   * @default 'orders'
   */
  readonly databaseName?: string;
}

/**
 * Aurora PostgreSQL 16, in isolated subnets, encrypted, with credentials generated into Secrets
 * Manager and every connection forced onto TLS: provisioned with a writer and readers in other
 * zones, or one Serverless v2 writer with a floor of 0 ACU that pauses when idle.
 */
export class Database extends Construct {
  readonly cluster: rds.DatabaseCluster;
  /** Holds username, password, dbname, host and port (the writer endpoint). */
  readonly secret: rds.DatabaseSecret;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { capacity } = props;
    if (capacity.kind === 'provisioned' && capacity.readers < 1) {
      throw new Error('Database needs at least one reader, so that a failover has somewhere to go.');
    }
    if (capacity.kind === 'serverless' && (capacity.pauseAfter.toSeconds() < 300 || capacity.pauseAfter.toSeconds() > 86_400)) {
      throw new Error(`Database can pause after 5 minutes to a day without connections, and ${capacity.pauseAfter.toHumanString()} is outside that.`);
    }
    if (props.backupRetentionDays < 7 || props.backupRetentionDays > 35) {
      throw new Error(`Database backups must be kept from 7 to 35 days, and ${props.backupRetentionDays} is outside that.`);
    }
    const azs = props.availabilityZones;

    this.secret = new rds.DatabaseSecret(this, 'Secret', {
      username: 'orders_app',
      dbname: props.databaseName ?? 'orders',
    });

    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_13 });
    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: 'Order service: TLS only, slow statements logged',
      parameters: {
        'rds.force_ssl': '1',
        log_min_duration_statement: '1000',
        // A frozen Lambda container cannot close its idle connection, and Aurora pauses only when
        // no connection is left: the server closes sessions idle for a minute (the pool reconnects).
        ...(capacity.kind === 'serverless' && { idle_session_timeout: '60000' }),
      },
    });

    // Created before the cluster so that it, not RDS, owns the exported log and its retention.
    const postgresLog = new logs.LogGroup(this, 'PostgresLog', {
      logGroupName: `/aws/rds/cluster/${props.clusterIdentifier}/postgresql`,
      retention: props.logRetention,
    });

    const provisioned = (instanceId: string, instanceType: string, zone: string, promotionTier: number) =>
      rds.ClusterInstance.provisioned(instanceId, {
        instanceType: new ec2.InstanceType(instanceType.replace(/^db\./, '')),
        availabilityZone: zone,
        promotionTier,
        publiclyAccessible: false,
        enablePerformanceInsights: true,
      });
    const instances =
      capacity.kind === 'provisioned'
        ? {
            writer: provisioned('Writer', capacity.instanceType, azs[0], 0),
            readers: Array.from({ length: capacity.readers }, (_, i) =>
              provisioned(`Reader${i + 1}`, capacity.instanceType, azs[(i + 1) % azs.length], i + 1),
            ),
          }
        : {
            // No Performance Insights: it would bill while paused for nothing to show.
            writer: rds.ClusterInstance.serverlessV2('Writer', { availabilityZone: azs[0], publiclyAccessible: false }),
            serverlessV2MinCapacity: 0,
            serverlessV2MaxCapacity: capacity.maxCapacity,
            serverlessV2AutoPauseDuration: capacity.pauseAfter,
          };

    // No rule lets anything in until allowConnectionsFrom names the service; the database calls nothing out.
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Aurora PostgreSQL of the order service',
      allowAllOutbound: false,
    });

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine,
      clusterIdentifier: props.clusterIdentifier,
      credentials: rds.Credentials.fromSecret(this.secret),
      defaultDatabaseName: props.databaseName ?? 'orders',
      port: POSTGRES_PORT,
      parameterGroup,
      ...instances,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroup],
      storageEncrypted: true,
      backup: { retention: Duration.days(props.backupRetentionDays), preferredWindow: '03:00-04:00' },
      preferredMaintenanceWindow: 'sun:04:30-sun:05:30',
      deletionProtection: props.protect,
      removalPolicy: props.protect ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      instanceUpdateBehaviour: rds.InstanceUpdateBehaviour.ROLLING,
      cloudwatchLogsExports: ['postgresql'],
      copyTagsToSnapshot: true,
    });
    this.cluster.node.addDependency(postgresLog);
    // instanceUpdateBehaviour ROLLING only chains legacy instanceProps instances: with writer and
    // readers, CDK orders the readers after the writer but not after each other, so chain them here
    // and an update touches one instance at a time.
    for (let i = 2; capacity.kind === 'provisioned' && i <= capacity.readers; i++) {
      this.cluster.node.findChild(`Reader${i}`).node.addDependency(this.cluster.node.findChild(`Reader${i - 1}`));
    }
    // A prod snapshot outlives the stack; so does the secret that holds its password.
    this.secret.applyRemovalPolicy(props.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);

    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'ECS injects the password when a task starts; rotating it would break new connections of running tasks until they are replaced, so rotation waits for the service to re-read the secret.',
    });
    Validations.of(this.cluster).acknowledge(
      {
        id: 'AwsSolutions-RDS6',
        reason: 'The service authenticates with the generated Secrets Manager password over TLS; IAM tokens would need token refresh in its connection pool, which it does not have yet.',
      },
      {
        id: 'CloudFormation-Validate::W3010',
        reason: 'Instances are pinned to named zones on purpose, so that the writer and each reader sit in different zones.',
      },
    );
    if (!props.protect) {
      Validations.of(this.cluster).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: 'Only staging runs without deletion protection, so that it can be torn down; prod always protects its cluster.',
      });
    }
  }

  /** Lets one client (the service) reach the database port; nothing else can. */
  allowConnectionsFrom(client: ec2.IConnectable): void {
    this.cluster.connections.allowFrom(client, ec2.Port.tcp(POSTGRES_PORT), 'The order service reaches PostgreSQL');
  }
}
