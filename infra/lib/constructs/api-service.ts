import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeTaskDefinitionFindings, type ContainerSettings } from './container-settings';

export { RDS_CA_BUNDLE_PATH } from './container-settings';

/** The port the container listens on (the image's EXPOSE and PORT). */
export const CONTAINER_PORT = 3000;

export interface ApiServiceProps {
  readonly vpc: ec2.IVpc;
  /** The folder holding the repository's Dockerfile: the image is built from it as an asset. */
  readonly imageDirectory: string;
  /** Fargate CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** Fargate memory in MiB. */
  readonly memoryMiB: number;
  /** Fewest running tasks; at least two, so that losing a zone leaves one serving. */
  readonly minTasks: number;
  /** Most tasks autoscaling may run. */
  readonly maxTasks: number;
  /** ALB requests per target per minute that scaling aims for. */
  readonly requestsPerTarget: number;
  /** The HTTPS listener that forwards to the service. */
  readonly listener: elbv2.ApplicationListener;
  /** What every process of the image gets (database, queue, mail); the API adds its own. */
  readonly settings: ContainerSettings;
  /** How long the application log is kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * After SIGTERM, how long the service keeps answering (readiness 503) before it closes its listener.
   * @default Duration.seconds(5)
   */
  readonly shutdownDrain?: Duration;
  /**
   * Then how long in-flight requests may run before they are cut off.
   * @default Duration.seconds(15)
   */
  readonly shutdownTimeout?: Duration;
  /**
   * How long the load balancer lets in-flight requests finish on a deregistered task.
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;
}

/**
 * The order service on Fargate: an image built from the repo's Dockerfile (linux/amd64), secrets
 * from the database secret, a stop timeout that covers the graceful shutdown, rolling deploys that
 * never drop capacity and roll back on failure, and autoscaling on CPU, memory and requests.
 */
export class ApiService extends Construct {
  readonly cluster: ecs.Cluster;
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The image built from the repository, for other services that run the same code (the worker). */
  readonly image: ecs.ContainerImage;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    const drain = props.shutdownDrain ?? Duration.seconds(5);
    const timeout = props.shutdownTimeout ?? Duration.seconds(15);
    // ECS sends SIGTERM, then SIGKILL after stopTimeout: the drain, the request timeout and closing
    // the pool must all fit, with a margin.
    const stopTimeout = Duration.seconds(drain.toSeconds() + timeout.toSeconds() + 10);
    if (stopTimeout.toSeconds() > 120) {
      throw new Error(`ApiService needs a stop timeout of ${stopTimeout.toSeconds()} s for its shutdown, but Fargate allows at most 120 s.`);
    }
    if (props.minTasks < 2 || props.maxTasks < props.minTasks) {
      throw new Error(`ApiService needs at least two tasks and a maximum no lower than the minimum, not ${props.minTasks} to ${props.maxTasks}.`);
    }

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      volumes: [{ name: 'tmp' }, { name: 'data' }],
    });
    this.image = ecs.ContainerImage.fromDockerImageAsset(
      new DockerImageAsset(this, 'Image', { directory: props.imageDirectory, file: 'Dockerfile', platform: Platform.LINUX_AMD64 }),
    );
    const container = this.taskDefinition.addContainer('Api', {
      image: this.image,
      portMappings: [{ containerPort: CONTAINER_PORT }],
      user: 'node',
      readonlyRootFilesystem: true,
      stopTimeout,
      // ECS's init (tini) is PID 1 and forwards SIGTERM; the image's own tini then runs as a subreaper.
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true }),
      environment: {
        ...props.settings.environment,
        PORT: String(CONTAINER_PORT),
        SHUTDOWN_DRAIN_MS: String(drain.toMilliseconds()),
        SHUTDOWN_TIMEOUT_MS: String(timeout.toMilliseconds()),
      },
      secrets: props.settings.secrets,
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'api',
        logGroup: new logs.LogGroup(this, 'Logs', { retention: props.logRetention }),
      }),
      healthCheck: {
        command: [
          'CMD',
          'node',
          '-e',
          `fetch('http://127.0.0.1:${CONTAINER_PORT}/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
        ],
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
    });
    // The root filesystem is read-only; these are the only writable paths (SQLite's /data stays unused on PostgreSQL).
    container.addMountPoints(
      { sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false },
      { sourceVolume: 'data', containerPath: '/data', readOnly: false },
    );
    acknowledgeTaskDefinitionFindings(this.taskDefinition);

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      // No desiredCount: a deploy then keeps the count autoscaling chose; the scalable target's
      // minimum raises a new service to minTasks.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.vpc,
      port: CONTAINER_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service],
      deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(30),
      healthCheck: {
        path: '/health/ready',
        interval: Duration.seconds(10),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
        healthyHttpCodes: '200',
      },
    });
    props.listener.addTargetGroups('Api', { targetGroups: [this.targetGroup] });

    const scaling = this.service.autoScaleTaskCount({ minCapacity: props.minTasks, maxCapacity: props.maxTasks });
    const cooldowns = { scaleOutCooldown: Duration.seconds(60), scaleInCooldown: Duration.seconds(300) };
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60, ...cooldowns });
    scaling.scaleOnMemoryUtilization('Memory', { targetUtilizationPercent: 70, ...cooldowns });
    scaling.scaleOnRequestCount('Requests', { targetGroup: this.targetGroup, requestsPerTarget: props.requestsPerTarget, ...cooldowns });
  }
}
