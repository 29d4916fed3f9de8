import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { Alarms } from './constructs/alarms';
import { ApiService } from './constructs/api-service';
import { containerSettings } from './constructs/container-settings';
import { Database } from './constructs/database';
import { EmailIdentity } from './constructs/email-identity';
import { EventQueue } from './constructs/event-queue';
import { Ingress } from './constructs/ingress';
import { Network } from './constructs/network';
import { QueueAlarms } from './constructs/queue-alarms';
import { WorkerService } from './constructs/worker-service';
import { PrivateLink } from './constructs/private-link';
import { CatalogueReplica } from './constructs/catalogue-replica';
import type { OrderServiceConfig } from './config';
import { CATALOGUE_PREFIX, catalogueReplicaBucketName, marketplaceDomainName, regionalDomainName, type RegionSettings } from './regions';

export interface OrderServiceStackProps extends Omit<StackProps, 'env'> {
  /** One environment's validated settings; they also fix the stack's account and region. */
  readonly config: OrderServiceConfig;
  /** The folder with the repository's Dockerfile. */
  readonly imageDirectory: string;
  /**
   * One region of a regional deployment (docs/regions.md): the stack goes to that region and its
   * zones, takes the orders of its marketplaces only, answers on `<region>.<domainName>` (its
   * certificate also covers the shared and the marketplace names, which the global stack points
   * here), and imports the catalogue from its own replica bucket.
   * @default - the single-region deployment in config.region
   */
  readonly region?: RegionSettings;
}

/**
 * One environment of the order service: Route 53 → ALB → Fargate → Aurora, the event queue with
 * its worker and the SES sender, and alarms. Composes only.
 */
export class OrderServiceStack extends Stack {
  readonly network: Network;
  readonly database: Database;
  readonly ingress: Ingress;
  readonly api: ApiService;
  readonly alarms: Alarms;
  readonly events: EventQueue;
  readonly email: EmailIdentity;
  readonly worker: WorkerService;
  readonly queueAlarms: QueueAlarms;
  /** The NLB and endpoint service for private callers, when privateLink is on. */
  readonly privateLink: PrivateLink | undefined;
  /** The region's copy of the catalogue and its import, in a regional deployment. */
  readonly catalogue: CatalogueReplica | undefined;
  private readonly zones: readonly string[];

  constructor(scope: Construct, id: string, props: OrderServiceStackProps) {
    const { config, region: regional } = props;
    super(scope, id, { ...props, env: { account: config.account, region: regional?.region ?? config.region } });
    this.zones = regional?.availabilityZones ?? config.availabilityZones;
    const logRetention = retentionDays(config.logRetentionDays);

    this.network = new Network(this, 'Network', { natGateways: config.natGateways, flowLogRetention: logRetention });
    const vpc = this.network.vpc;

    this.database = new Database(this, 'Database', {
      vpc,
      availabilityZones: this.zones,
      clusterIdentifier: `order-service-${config.envName}`,
      capacity: { kind: 'provisioned', instanceType: config.database.instanceType, readers: config.database.readers },
      backupRetentionDays: config.database.backupRetentionDays,
      protect: config.database.protect,
      logRetention,
    });

    const hostedZone = route53.PublicHostedZone.fromPublicHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: config.hostedZoneId,
      zoneName: config.zoneName,
    });
    const publicName = regional ? regionalDomainName(config.domainName, regional.region) : config.domainName;
    this.ingress = new Ingress(this, 'Ingress', {
      vpc,
      domainName: publicName,
      alternativeNames: regional && [config.domainName, ...regional.marketplaces.map((code) => marketplaceDomainName(config.domainName, code))],
      hostedZone,
      deletionProtection: config.database.protect,
    });

    this.events = new EventQueue(this, 'Events', { queueName: `order-events-${config.envName}` });
    this.email = new EmailIdentity(this, 'Email', {
      domain: config.mail.domain,
      hostedZone,
      // Each region verifies the domain in its own SES, and the MAIL FROM subdomain's MX names the region's SES.
      mailFromLabel: regional && `bounce-${regional.region}`,
    });
    const settings = containerSettings({
      databaseSecret: this.database.secret,
      databaseWriterHost: this.database.cluster.clusterEndpoint.hostname,
      databaseReaderHost: this.database.cluster.clusterReadEndpoint.hostname,
      databasePort: this.database.cluster.clusterEndpoint.port.toString(),
      queueUrl: this.events.queue.queueUrl,
      region: this.region,
      mailFrom: config.mail.from,
      auth: config.auth,
      marketplaces: regional?.marketplaces,
    });

    this.api = new ApiService(this, 'Api', {
      vpc,
      imageDirectory: props.imageDirectory,
      cpu: config.service.cpu,
      memoryMiB: config.service.memoryMiB,
      minTasks: config.service.minTasks,
      maxTasks: config.service.maxTasks,
      requestsPerTarget: config.service.requestsPerTarget,
      listener: this.ingress.httpsListener,
      settings,
      logRetention,
    });
    this.database.allowConnectionsFrom(this.api.service);
    this.network.allowEndpointsFrom(this.api.service);
    // The API's outbox relay publishes; it never receives.
    this.events.grantPublish(this.api.taskDefinition.taskRole);

    this.worker = new WorkerService(this, 'Worker', {
      cluster: this.api.cluster,
      image: this.api.image,
      settings,
      cpu: config.worker.cpu,
      memoryMiB: config.worker.memoryMiB,
      minTasks: config.worker.minTasks,
      maxTasks: config.worker.maxTasks,
      queue: this.events.queue,
      messagesPerTask: config.worker.messagesPerTask,
      batchTimeout: this.events.visibilityTimeout,
      logRetention,
    });
    this.database.allowConnectionsFrom(this.worker.service);
    this.network.allowEndpointsFrom(this.worker.service);
    this.events.grantConsume(this.worker.taskDefinition.taskRole);
    this.email.grantSend(this.worker.taskDefinition.taskRole);

    this.alarms = new Alarms(this, 'Alarms', {
      loadBalancer: this.ingress.loadBalancer,
      targetGroup: this.api.targetGroup,
      service: this.api.service,
      cluster: this.database.cluster,
      freeableMemoryThresholdMiB: config.database.freeableMemoryAlarmMiB,
      email: config.alarmEmail,
    });
    this.queueAlarms = new QueueAlarms(this, 'QueueAlarms', {
      topic: this.alarms.topic,
      queue: this.events.queue,
      deadLetterQueue: this.events.deadLetterQueue,
      worker: this.worker,
    });

    this.privateLink = config.privateLink.enabled
      ? new PrivateLink(this, 'PrivateLink', {
          vpc,
          httpsListener: this.ingress.httpsListener,
          allowedPrincipals: config.privateLink.allowedPrincipals,
          accessLogs: this.ingress.accessLogs,
          deletionProtection: config.database.protect,
          alarmTopic: this.alarms.topic,
        })
      : undefined;
    this.catalogue = regional
      ? new CatalogueReplica(this, 'Catalogue', {
          vpc,
          repositoryRoot: props.imageDirectory,
          bucketName: catalogueReplicaBucketName(config.envName, config.account, regional.region),
          prefix: CATALOGUE_PREFIX,
          accessLogs: this.ingress.accessLogs,
          databaseSecret: this.database.secret,
          databaseHost: this.database.cluster.clusterEndpoint.hostname,
          databasePort: this.database.cluster.clusterEndpoint.port.toString(),
          marketplaces: regional.marketplaces,
          logRetention,
          alarmTopic: this.alarms.topic,
        })
      : undefined;
    if (this.catalogue) {
      this.database.allowConnectionsFrom(this.catalogue.importFunction);
      this.network.allowEndpointsFrom(this.catalogue.importFunction);
      new CfnOutput(this, 'CatalogueBucketName', { value: this.catalogue.bucket.bucketName });
    }

    if (this.privateLink) {
      new CfnOutput(this, 'EndpointServiceName', { value: this.privateLink.endpointService.vpcEndpointServiceName });
    }

    // What the run-task command in docs/deployment.md (migrations, one-off jobs) needs.
    new CfnOutput(this, 'Url', { value: `https://${publicName}` });
    new CfnOutput(this, 'ClusterName', { value: this.api.cluster.clusterName });
    new CfnOutput(this, 'ServiceName', { value: this.api.service.serviceName });
    new CfnOutput(this, 'TaskDefinitionArn', { value: this.api.taskDefinition.taskDefinitionArn });
    new CfnOutput(this, 'TaskSubnets', {
      value: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds.join(','),
    });
    new CfnOutput(this, 'TaskSecurityGroup', { value: this.api.service.connections.securityGroups[0].securityGroupId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'QueueUrl', { value: this.events.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.events.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'WorkerServiceName', { value: this.worker.service.serviceName });
  }

  /** Explicit zones, so that nothing is looked up at synth time. */
  override get availabilityZones(): string[] {
    return [...this.zones];
  }
}

/** The CloudWatch Logs retention for a number of days; fails for a number CloudWatch does not offer. */
export function retentionDays(days: number): logs.RetentionDays {
  if (!Object.values(logs.RetentionDays).includes(days)) {
    throw new Error(`Log retention of ${days} days is not one CloudWatch Logs offers.`);
  }
  return days as logs.RetentionDays;
}
