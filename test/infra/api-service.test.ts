import fs from 'node:fs';
import path from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { apiContainer, logicalId, resourcesOf, ROOT, synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';

describe('ApiService', () => {
  let staging: Synthesized;
  let prod: Synthesized;
  // prod's TEST_SETTINGS include authAudience orders-client and its own Cognito user pool as the issuer.
  beforeAll(() => ({ staging, prod } = synthesizedEnvironments()));

  const environmentOf = (s: Synthesized): Record<string, unknown> =>
    Object.fromEntries(apiContainer(s.template).Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));

  test('the cluster has Container Insights', () => {
    for (const { template } of [staging, prod]) {
      template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    }
  });

  test('the image is built from the repository Dockerfile for linux/amd64, and the task runs on X86_64', () => {
    // GIVEN the cloud assembly's asset manifest
    const manifest = JSON.parse(fs.readFileSync(path.join(prod.assembly.directory, `${prod.artifact.id}.assets.json`), 'utf8'));
    const images = Object.values(manifest.dockerImages) as Array<{ source: { directory: string; dockerFile: string; platform: string } }>;

    // THEN one image, from the repo root's Dockerfile, for amd64
    expect(images).toHaveLength(1);
    expect(images[0].source).toMatchObject({ dockerFile: 'Dockerfile', platform: 'linux/amd64' });
    const staged = path.join(prod.assembly.directory, images[0].source.directory);
    expect(fs.readFileSync(path.join(staged, 'Dockerfile'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
    expect(fs.existsSync(path.join(staged, 'service', 'main.ts'))).toBe(true);
    expect(fs.existsSync(path.join(staged, 'node_modules'))).toBe(false);
    prod.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      RequiresCompatibilities: ['FARGATE'],
    });
  });

  test('CPU and memory follow the environment settings', () => {
    staging.template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
    prod.template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
  });

  test('the database user, password and name come from the secret under Secrets, never under Environment', () => {
    for (const s of [staging, prod]) {
      // GIVEN the container and the database secret
      const container = apiContainer(s.template);
      const secret = logicalId(s.template, 'AWS::SecretsManager::Secret', 'DatabaseSecret');
      const fields = { DB_USER: 'username', DB_PASSWORD: 'password', DB_NAME: 'dbname' };

      // THEN each DB_ variable is a secret reference to its JSON field
      expect(container.Secrets).toEqual(
        Object.entries(fields).map(([name, field]) => ({ Name: name, ValueFrom: { 'Fn::Join': ['', [{ Ref: secret }, `:${field}::`]] } })),
      );
      // AND nothing secret is plain environment
      const names = Object.keys(environmentOf(s));
      for (const name of Object.keys(fields)) expect(names).not.toContain(name);
      expect(names).not.toContain('DATABASE_URL');
    }
  });

  test('the environment sets production, JWT auth from the settings, the writer and reader endpoints and TLS to the database', () => {
    const cluster = logicalId(prod.template, 'AWS::RDS::DBCluster', 'DatabaseCluster');
    expect(environmentOf(prod)).toMatchObject({
      NODE_ENV: 'production',
      PORT: '3000',
      AUTH_MODE: 'jwt',
      AUTH_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Prod',
      AUTH_JWKS_URL: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Prod/.well-known/jwks.json',
      AUTH_AUDIENCE: 'orders-client',
      DB_HOST: { 'Fn::GetAtt': [cluster, 'Endpoint.Address'] },
      DB_READER_HOST: { 'Fn::GetAtt': [cluster, 'ReadEndpoint.Address'] },
      DB_PORT: { 'Fn::GetAtt': [cluster, 'Endpoint.Port'] },
      DB_SSL: 'verify-full',
      DB_SSL_CA_PATH: '/app/certs/aws-rds-ca.pem',
    });
  });

  test('logs go to a log group with retention', () => {
    for (const s of [staging, prod]) {
      const logGroup = logicalId(s.template, 'AWS::Logs::LogGroup', 'ApiLogs');
      expect(apiContainer(s.template).LogConfiguration).toMatchObject({ LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: logGroup } } });
      s.template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: s.config.logRetentionDays });
    }
  });

  test('the stop timeout covers the drain and the request timeout of the graceful shutdown, within Fargate`s 120 s', () => {
    // GIVEN the shutdown settings the container receives
    const container = apiContainer(prod.template);
    const env = environmentOf(prod);
    const shutdownSeconds = (Number(env.SHUTDOWN_DRAIN_MS) + Number(env.SHUTDOWN_TIMEOUT_MS)) / 1000;

    // THEN SIGKILL comes only after the shutdown could finish, with a margin
    expect(Number(env.SHUTDOWN_DRAIN_MS)).toBeGreaterThan(0);
    expect(container.StopTimeout).toBeGreaterThanOrEqual(shutdownSeconds + 5);
    expect(container.StopTimeout).toBeLessThanOrEqual(120);
  });

  test('the container runs as non-root with a read-only root filesystem, writable /tmp and /data, and an init process', () => {
    const container = apiContainer(prod.template);
    expect(container).toMatchObject({ User: 'node', ReadonlyRootFilesystem: true, LinuxParameters: { InitProcessEnabled: true } });
    expect(container.MountPoints).toEqual(
      expect.arrayContaining([
        { ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false },
        { ContainerPath: '/data', SourceVolume: 'data', ReadOnly: false },
      ]),
    );
  });

  test('the container checks its own liveness on /health/live', () => {
    expect(apiContainer(prod.template).HealthCheck.Command.join(' ')).toContain('/health/live');
  });

  test('deploys never drop capacity and roll back on failure, after an explicit grace period', () => {
    for (const { template } of [staging, prod]) {
      template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DeploymentConfiguration: { MinimumHealthyPercent: 100, MaximumPercent: 200, DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
        HealthCheckGracePeriodSeconds: Match.anyValue(),
        // Left out so a deploy keeps the task count autoscaling chose.
        DesiredCount: Match.absent(),
      });
    }
  });

  test('tasks run in the private subnets of every zone, without public IPs, rebalanced across zones', () => {
    const service = prod.template.findResources('AWS::ECS::Service')[logicalId(prod.template, 'AWS::ECS::Service', 'ApiService')].Properties;
    expect(service.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp).toBe('DISABLED');
    const subnets = service.NetworkConfiguration.AwsvpcConfiguration.Subnets.map((s: { Ref: string }) => s.Ref);
    const zones = subnets.map((id: string) => prod.template.findResources('AWS::EC2::Subnet')[id].Properties.AvailabilityZone);
    expect(new Set(zones).size).toBe(3);
    for (const id of subnets) expect(id).toMatch(/^NetworkVpcAppSubnet/);
    expect(service.AvailabilityZoneRebalancing).toBe('ENABLED');
  });

  test('only the load balancer reaches the tasks, on the container port', () => {
    const serviceGroup = logicalId(prod.template, 'AWS::EC2::SecurityGroup', 'ApiServiceSecurityGroup');
    const albGroup = logicalId(prod.template, 'AWS::EC2::SecurityGroup', 'IngressLoadBalancerSecurityGroup');
    const ingress = resourcesOf(prod.template, 'AWS::EC2::SecurityGroupIngress').filter(([, rule]) => rule.GroupId['Fn::GetAtt'][0] === serviceGroup);
    expect(ingress.map(([, rule]) => rule)).toEqual([
      expect.objectContaining({ FromPort: 3000, ToPort: 3000, SourceSecurityGroupId: { 'Fn::GetAtt': [albGroup, 'GroupId'] } }),
    ]);
  });

  test('autoscaling runs from 2 tasks to the configured maximum', () => {
    staging.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4 });
    prod.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10 });
  });

  test('it scales on CPU 60%, memory 70% and ALB requests per target, out after 60 s and in after 300 s', () => {
    // GIVEN prod's scaling policies of the API (the worker has its own target)
    const target = logicalId(prod.template, 'AWS::ApplicationAutoScaling::ScalableTarget', 'ApiService');
    const policies = resourcesOf(prod.template, 'AWS::ApplicationAutoScaling::ScalingPolicy')
      .filter(([, p]) => p.ScalingTargetId.Ref === target)
      .map(([, p]) => p.TargetTrackingScalingPolicyConfiguration);

    // THEN one per signal, each with the same cooldowns
    const byMetric = Object.fromEntries(policies.map((p) => [p.PredefinedMetricSpecification.PredefinedMetricType, p]));
    expect(Object.keys(byMetric).sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization']);
    expect(byMetric.ECSServiceAverageCPUUtilization.TargetValue).toBe(60);
    expect(byMetric.ECSServiceAverageMemoryUtilization.TargetValue).toBe(70);
    expect(byMetric.ALBRequestCountPerTarget.TargetValue).toBe(prod.config.service.requestsPerTarget);
    expect(byMetric.ALBRequestCountPerTarget.PredefinedMetricSpecification.ResourceLabel).toBeDefined();
    for (const policy of policies) expect(policy).toMatchObject({ ScaleOutCooldown: 60, ScaleInCooldown: 300 });
  });
});
