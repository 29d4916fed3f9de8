import fs from 'node:fs';
import path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../service/config';
import { apiContainer, logicalId, onlyContainer, resourcesOf, ROOT, synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';

/** Values CloudFormation resolves at deploy time, as they would be. */
const RESOLVED: Record<string, string> = {
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/order-events-prod.fifo',
  AWS_REGION: 'us-east-1',
  DB_PORT: '5432',
};

describe('WorkerService', () => {
  let staging: Synthesized;
  let prod: Synthesized;
  beforeAll(() => ({ staging, prod } = synthesizedEnvironments()));

  const workerContainer = (s: Synthesized) => onlyContainer(s.template, 'WorkerTask');
  const environmentOf = (container: Record<string, any>): Record<string, unknown> =>
    Object.fromEntries(container.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
  const propertiesOf = (template: Template, type: string, prefix: string) => template.findResources(type)[logicalId(template, type, prefix)].Properties;
  const queueArn = (template: Template) => ({ 'Fn::GetAtt': [logicalId(template, 'AWS::SQS::Queue', 'EventsQueue'), 'Arn'] });

  test('the worker runs the API`s image, built once, with the image`s node flags and the worker entry point', () => {
    // GIVEN the Dockerfile's CMD (the exec form; the HEALTHCHECK's CMD is indented and not matched)
    const cmd: string[] = JSON.parse(/^CMD (\[.*\])$/m.exec(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))![1]);
    expect(cmd).toContain('dist/service/main.js');

    for (const s of [staging, prod]) {
      // THEN the worker's command is that CMD with worker.js for main.js, under the image's tini entrypoint
      const worker = workerContainer(s);
      expect(worker.Command).toEqual(cmd.map((arg) => (arg === 'dist/service/main.js' ? 'dist/service/worker.js' : arg)));
      expect(worker.EntryPoint).toBeUndefined();
      // AND the same image as the API, from the one image asset of the stack
      expect(worker.Image).toEqual(apiContainer(s.template).Image);
      const manifest = JSON.parse(fs.readFileSync(path.join(s.assembly.directory, `${s.artifact.id}.assets.json`), 'utf8'));
      expect(Object.keys(manifest.dockerImages)).toHaveLength(1);
    }
  });

  test('it gets the API`s database, queue and mail settings and secrets, mails through SES, and does not relay', () => {
    for (const s of [staging, prod]) {
      // GIVEN both containers
      const api = apiContainer(s.template);
      const worker = workerContainer(s);
      const apiEnvironment = environmentOf(api);
      const workerEnvironment = environmentOf(worker);

      // THEN the shared settings are the same values, and only the API's own are missing
      const shared = ['NODE_ENV', 'LOG_LEVEL', 'AUTH_MODE', 'AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'DB_HOST', 'DB_READER_HOST', 'DB_PORT', 'DB_SSL', 'DB_SSL_CA_PATH', 'QUEUE_URL', 'AWS_REGION', 'MAIL_TRANSPORT', 'MAIL_FROM', 'TINI_SUBREAPER'];
      for (const name of shared) expect(workerEnvironment[name]).toEqual(apiEnvironment[name]);
      expect(workerEnvironment).toMatchObject({ NODE_ENV: 'production', DB_SSL: 'verify-full', MAIL_TRANSPORT: 'ses', MAIL_FROM: s.config.mail.from, RELAY_ENABLED: 'false' });
      expect(Object.keys(workerEnvironment).sort()).toEqual([...shared, 'RELAY_ENABLED'].sort());
      expect(worker.Secrets).toEqual(api.Secrets);
    }
  });

  test('the API`s and the worker`s environments, with their secrets, are ones the service`s configuration accepts in production', () => {
    for (const container of [apiContainer(prod.template), workerContainer(prod)]) {
      // GIVEN what the container is told, each CloudFormation value as it would resolve, and the secrets
      const told = Object.fromEntries(
        Object.entries(environmentOf(container)).map(([name, value]) => [name, typeof value === 'string' ? value : (RESOLVED[name] ?? 'resolved.example.com')]),
      );

      // WHEN it loads, as the process does at start
      const config = loadConfig({ ...told, DB_USER: 'orders', DB_PASSWORD: 'secret', DB_NAME: 'orders', DB_SSL_CA_PATH: __filename });

      // THEN it is accepted: JWTs, the queue, mail through SES
      expect(config.auth).toMatchObject({ mode: 'jwt' });
      expect(config.messaging.queue).toMatchObject({ region: 'us-east-1' });
      expect(config.mail).toMatchObject({ transport: 'ses' });
    }
  });

  test('the container runs as non-root on a read-only root filesystem with only /tmp writable, an init process, and no port', () => {
    const worker = workerContainer(prod);
    expect(worker).toMatchObject({ User: 'node', ReadonlyRootFilesystem: true, LinuxParameters: { InitProcessEnabled: true } });
    expect(worker.MountPoints).toEqual([{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }]);
    expect(worker.PortMappings).toBeUndefined();
  });

  test('the stop timeout lets the batch in hand finish within the visibility timeout, inside Fargate`s 120 s', () => {
    // GIVEN the queue's visibility timeout and the worker's long poll
    const queue = propertiesOf(prod.template, 'AWS::SQS::Queue', 'EventsQueue');

    // THEN SIGKILL comes only after a batch received just before SIGTERM could finish
    expect(workerContainer(prod).StopTimeout).toBeGreaterThan(queue.VisibilityTimeout);
    expect(workerContainer(prod).StopTimeout).toBeGreaterThan(queue.ReceiveMessageWaitTimeSeconds);
    expect(workerContainer(prod).StopTimeout).toBeLessThanOrEqual(120);
  });

  test('logs go to the worker`s own log group with the configured retention', () => {
    for (const s of [staging, prod]) {
      const logGroup = logicalId(s.template, 'AWS::Logs::LogGroup', 'WorkerLogs');
      expect(workerContainer(s).LogConfiguration).toMatchObject({
        LogDriver: 'awslogs',
        Options: { 'awslogs-group': { Ref: logGroup }, 'awslogs-stream-prefix': 'worker' },
      });
      expect(propertiesOf(s.template, 'AWS::Logs::LogGroup', 'WorkerLogs').RetentionInDays).toBe(s.config.logRetentionDays);
    }
  });

  test('CPU and memory follow the environment settings', () => {
    expect(propertiesOf(staging.template, 'AWS::ECS::TaskDefinition', 'WorkerTask')).toMatchObject({ Cpu: '256', Memory: '512' });
    expect(propertiesOf(prod.template, 'AWS::ECS::TaskDefinition', 'WorkerTask')).toMatchObject({
      Cpu: '512',
      Memory: '1024',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
    });
  });

  test('the service runs in the API`s cluster, in the private subnets, without a load balancer, and rolls back failed deploys', () => {
    for (const { template } of [staging, prod]) {
      const service = propertiesOf(template, 'AWS::ECS::Service', 'WorkerService');
      expect(service).toMatchObject({
        Cluster: { Ref: logicalId(template, 'AWS::ECS::Cluster', 'ApiCluster') },
        LaunchType: 'FARGATE',
        DeploymentConfiguration: { MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
        AvailabilityZoneRebalancing: 'ENABLED',
      });
      expect(service.LoadBalancers ?? []).toEqual([]);
      expect(service.DesiredCount).toBeUndefined();
      expect(service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
      for (const subnet of service.NetworkConfiguration.AwsvpcConfiguration.Subnets) expect(subnet.Ref).toMatch(/^NetworkVpcAppSubnet/);
    }
  });

  test('nothing reaches the worker, and the worker reaches the database on 5432', () => {
    // GIVEN the worker's security group
    const group = logicalId(prod.template, 'AWS::EC2::SecurityGroup', 'WorkerServiceSecurityGroup');
    const database = logicalId(prod.template, 'AWS::EC2::SecurityGroup', 'DatabaseSecurityGroup');
    const ingress = resourcesOf(prod.template, 'AWS::EC2::SecurityGroupIngress');

    // THEN no rule lets anything in
    expect(propertiesOf(prod.template, 'AWS::EC2::SecurityGroup', 'WorkerServiceSecurityGroup').SecurityGroupIngress).toBeUndefined();
    expect(ingress.filter(([, rule]) => rule.GroupId['Fn::GetAtt']?.[0] === group)).toEqual([]);
    // AND the database admits it
    expect(ingress.map(([, rule]) => rule)).toContainEqual(
      expect.objectContaining({ GroupId: { 'Fn::GetAtt': [database, 'GroupId'] }, FromPort: 5432, SourceSecurityGroupId: { 'Fn::GetAtt': [group, 'GroupId'] } }),
    );
  });

  test('it runs 1 to 2 tasks in staging and 2 to 6 in prod', () => {
    expect(propertiesOf(staging.template, 'AWS::ApplicationAutoScaling::ScalableTarget', 'WorkerService')).toMatchObject({ MinCapacity: 1, MaxCapacity: 2 });
    expect(propertiesOf(prod.template, 'AWS::ApplicationAutoScaling::ScalableTarget', 'WorkerService')).toMatchObject({ MinCapacity: 2, MaxCapacity: 6 });
  });

  test('it scales by target tracking on the backlog per task: visible messages over running tasks, 100 each', () => {
    for (const s of [staging, prod]) {
      // GIVEN the worker's scaling policies
      const target = logicalId(s.template, 'AWS::ApplicationAutoScaling::ScalableTarget', 'WorkerService');
      const policies = resourcesOf(s.template, 'AWS::ApplicationAutoScaling::ScalingPolicy').filter(([, p]) => p.ScalingTargetId.Ref === target);
      expect(policies).toHaveLength(1);
      const [, policy] = policies[0];
      const cluster = logicalId(s.template, 'AWS::ECS::Cluster', 'ApiCluster');
      const service = logicalId(s.template, 'AWS::ECS::Service', 'WorkerService');

      // THEN one target tracking policy on the metric math of the queue's visible messages per running worker task
      expect(policy.PolicyType).toBe('TargetTrackingScaling');
      const configuration = policy.TargetTrackingScalingPolicyConfiguration;
      expect(configuration).toMatchObject({ TargetValue: s.config.worker.messagesPerTask, ScaleOutCooldown: 60, ScaleInCooldown: 300 });
      expect(s.config.worker.messagesPerTask).toBe(100);
      const metrics = Object.fromEntries(configuration.CustomizedMetricSpecification.Metrics.map((m: { Id: string }) => [m.Id, m]));
      expect(metrics.backlog).toMatchObject({ Expression: 'visible / running', ReturnData: true });
      expect(metrics.visible.MetricStat.Metric).toEqual({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(s.template, 'AWS::SQS::Queue', 'EventsQueue'), 'QueueName'] } }],
      });
      expect(metrics.running.MetricStat.Metric).toEqual({
        Namespace: 'ECS/ContainerInsights',
        MetricName: 'RunningTaskCount',
        Dimensions: [
          { Name: 'ClusterName', Value: { Ref: cluster } },
          { Name: 'ServiceName', Value: { 'Fn::GetAtt': [service, 'Name'] } },
        ],
      });
      expect([metrics.visible.ReturnData, metrics.running.ReturnData]).toEqual([false, false]);
    }
  });

  test('the worker task role may consume the queue and send email as the one SES identity, nothing else', () => {
    for (const { template } of [staging, prod]) {
      // GIVEN every policy attached to the worker's task role
      const role = logicalId(template, 'AWS::IAM::Role', 'WorkerTaskTaskRole');
      const statements = resourcesOf(template, 'AWS::IAM::Policy')
        .filter(([, policy]) => policy.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap(([, policy]) => policy.PolicyDocument.Statement);
      const identity = logicalId(template, 'AWS::SES::EmailIdentity', 'EmailIdentity');

      // THEN receive, delete, change visibility and read attributes on the queue, and SES v2's SendEmail on the identity
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage'],
          Resource: queueArn(template),
        },
        {
          Effect: 'Allow',
          Action: 'ses:SendEmail',
          Resource: { 'Fn::Join': ['', ['arn:aws:ses:us-east-1:123456789012:identity/', { Ref: identity }]] },
        },
      ]);
      expect(template.findResources('AWS::IAM::Role')[role].Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('fewer running worker tasks than desired for 10 minutes alarms', () => {
    // GIVEN the alarm on the worker's task counts
    const alarm = propertiesOf(prod.template, 'AWS::CloudWatch::Alarm', 'QueueAlarmsWorkerTasksMissing');
    const topic = { Ref: logicalId(prod.template, 'AWS::SNS::Topic', 'AlarmsTopic') };
    const service = { 'Fn::GetAtt': [logicalId(prod.template, 'AWS::ECS::Service', 'WorkerService'), 'Name'] };

    // THEN desired - running from Container Insights, above 0 for 10 one-minute periods, to the topic
    const metrics = Object.fromEntries(alarm.Metrics.map((m: { Id: string }) => [m.Id, m]));
    expect(alarm.Metrics.find((m: { ReturnData?: boolean }) => m.ReturnData !== false).Expression).toBe('desired - running');
    for (const [id, name] of [['desired', 'DesiredTaskCount'], ['running', 'RunningTaskCount']]) {
      expect(metrics[id].MetricStat).toMatchObject({ Metric: { Namespace: 'ECS/ContainerInsights', MetricName: name }, Period: 60 });
      expect(metrics[id].MetricStat.Metric.Dimensions).toContainEqual({ Name: 'ServiceName', Value: service });
    }
    expect(alarm).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0, EvaluationPeriods: 10, AlarmActions: [topic], OKActions: [topic] });
  });
});
