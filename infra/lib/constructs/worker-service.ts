import { Duration, Names } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeTaskDefinitionFindings, type ContainerSettings } from './container-settings';

/** The worker's command: the image's CMD (the same node flags) with the worker's entry point. */
export const WORKER_COMMAND = ['node', '--max-semi-space-size=4', 'dist/service/worker.js'];

export interface WorkerServiceProps {
  /** The cluster the API runs in. */
  readonly cluster: ecs.ICluster;
  /** The API's image: the worker is the same build with another command. */
  readonly image: ecs.ContainerImage;
  /** What every process of the image gets (database, queue, mail). */
  readonly settings: ContainerSettings;
  /** Fargate CPU units (1024 = 1 vCPU). */
  readonly cpu: number;
  /** Fargate memory in MiB. */
  readonly memoryMiB: number;
  /** Fewest running tasks; at least one, so that events are always consumed. */
  readonly minTasks: number;
  /** Most tasks autoscaling may run. */
  readonly maxTasks: number;
  /** The queue the worker consumes: its backlog drives scaling. */
  readonly queue: sqs.IQueue;
  /** Visible messages per running task that scaling aims for. */
  readonly messagesPerTask: number;
  /** The queue's visibility timeout: past it a batch in hand is delivered again, so it bounds the stop. */
  readonly batchTimeout: Duration;
  /** How long the worker's log is kept. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * The queue worker on Fargate: the API's image running `dist/service/worker.js`, no load
 * balancer and no port, the same hardening as the API task, a stop timeout that lets it finish
 * the batch in hand, and autoscaling on the queue's backlog per task.
 */
export class WorkerService extends Construct {
  readonly service: ecs.FargateService;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  private readonly cluster: ecs.ICluster;

  constructor(scope: Construct, id: string, props: WorkerServiceProps) {
    super(scope, id);
    // On SIGTERM the worker stops polling and finishes the batch in hand, which cannot usefully run
    // past the visibility timeout (its messages are delivered again then); closing the pool follows.
    const stopTimeout = Duration.seconds(props.batchTimeout.toSeconds() + 10);
    if (stopTimeout.toSeconds() > 120) {
      throw new Error(`WorkerService needs a stop timeout of ${stopTimeout.toSeconds()} s to finish a batch, but Fargate allows at most 120 s.`);
    }
    if (props.minTasks < 1 || props.maxTasks < props.minTasks) {
      throw new Error(`WorkerService needs at least one task and a maximum no lower than the minimum, not ${props.minTasks} to ${props.maxTasks}.`);
    }
    if (props.messagesPerTask < 1) {
      throw new Error(`WorkerService needs a backlog target of at least one message per task, not ${props.messagesPerTask}.`);
    }
    this.cluster = props.cluster;

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: props.cpu,
      memoryLimitMiB: props.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      volumes: [{ name: 'tmp' }],
    });
    const container = this.taskDefinition.addContainer('Worker', {
      image: props.image,
      command: WORKER_COMMAND,
      user: 'node',
      readonlyRootFilesystem: true,
      stopTimeout,
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true }),
      // The API relays the outbox; the worker only consumes.
      environment: { ...props.settings.environment, RELAY_ENABLED: 'false' },
      secrets: props.settings.secrets,
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'worker',
        logGroup: new logs.LogGroup(this, 'Logs', { retention: props.logRetention }),
      }),
    });
    // The root filesystem is read-only; /tmp is the one writable path (the worker keeps no files).
    container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
    acknowledgeTaskDefinitionFindings(this.taskDefinition);

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      // No desiredCount: a deploy keeps the count autoscaling chose. Two workers side by side during
      // a deploy is fine: SQS hands each order's messages to one consumer at a time.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });

    const scaling = this.service.autoScaleTaskCount({ minCapacity: props.minTasks, maxCapacity: props.maxTasks });
    // Backlog per task, as AWS documents for queue consumers: target tracking on the metric math
    // visible messages / running tasks. Unlike step scaling on the queue depth alone, it holds the
    // same backlog per task at any size, and it scales in by itself. CDK's target tracking takes a
    // single metric only, hence the CloudFormation resource. More tasks only help when many orders
    // have events waiting, since SQS gives each order's messages to one consumer at a time.
    new appscaling.CfnScalingPolicy(this, 'BacklogScaling', {
      policyName: `${Names.uniqueId(this)}Backlog`,
      policyType: 'TargetTrackingScaling',
      // The reference's resourceId is the scalable target's CloudFormation id.
      scalingTargetId: scaling.scalableTargetRef.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.messagesPerTask,
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
        customizedMetricSpecification: {
          metrics: [
            {
              id: 'visible',
              metricStat: {
                metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: [{ name: 'QueueName', value: props.queue.queueName }] },
                stat: 'Sum',
              },
              returnData: false,
            },
            {
              id: 'running',
              metricStat: {
                metric: { namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: this.taskCountDimensions() },
                stat: 'Average',
              },
              returnData: false,
            },
            { id: 'backlog', expression: 'visible / running', label: 'Visible messages per running task', returnData: true },
          ],
        },
      },
    });
  }

  /** RunningTaskCount or DesiredTaskCount of the service, from Container Insights (enabled on the cluster). */
  metricTaskCount(metricName: 'RunningTaskCount' | 'DesiredTaskCount', props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName,
      dimensionsMap: Object.fromEntries(this.taskCountDimensions().map((d) => [d.name, d.value])),
      statistic: 'Average',
      period: Duration.minutes(1),
      ...props,
    });
  }

  private taskCountDimensions(): Array<{ name: string; value: string }> {
    return [
      { name: 'ClusterName', value: this.cluster.clusterName },
      { name: 'ServiceName', value: this.service.serviceName },
    ];
  }
}
