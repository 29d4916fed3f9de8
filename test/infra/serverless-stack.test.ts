import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, onlyResource, resourcesOf } from '../helpers/infra-synth';
import { synthesizeTier, type TierSynthesized } from '../helpers/tier-synth';

describe('the serverless tier', () => {
  let staging: TierSynthesized;
  let prod: TierSynthesized;
  beforeAll(() => {
    staging = synthesizeTier('staging', { tier: 'serverless' });
    prod = synthesizeTier('prod', { tier: 'serverless', authAudience: 'orders-client', alarmEmail: 'oncall@shop.test' });
  });
  afterAll(() => [staging, prod].forEach((s) => s?.dispose()));

  /** The function whose handler is `service/<entry>`, found by its role's description. */
  const functionOf = (s: TierSynthesized, prefix: 'ApiFunction' | 'MigrationsFunction'): [string, Record<string, any>] => {
    const id = logicalId(s.template, 'AWS::Lambda::Function', prefix);
    return [id, s.template.findResources('AWS::Lambda::Function')[id].Properties];
  };
  const environmentOf = (s: TierSynthesized, prefix: 'ApiFunction' | 'MigrationsFunction') => functionOf(s, prefix)[1].Environment.Variables;

  test('each environment is its own stack, named apart from the fargate tier`s, so a tier switch never replaces a database in place', () => {
    expect(staging.stack.stackName).toBe('OrderService-staging-serverless');
    expect(prod.stack.stackName).toBe('OrderService-prod-serverless');
    expect(prod.stack.terminationProtection).toBe(true);
  });

  test('the API function runs the bundled service/lambda.ts on Node.js 22, arm64, in the private subnets, capped by reserved concurrency', () => {
    for (const [s, concurrency] of [[staging, 10], [prod, 50]] as const) {
      // GIVEN the API function
      const [, fn] = functionOf(s, 'ApiFunction');

      // THEN the runtime, the size, and a timeout inside API Gateway's 29 s
      expect(fn).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler', MemorySize: 1024, Timeout: 28 });
      expect(fn.ReservedConcurrentExecutions).toBe(concurrency);
      expect(fn.VpcConfig.SubnetIds).toHaveLength(3);
      for (const subnet of fn.VpcConfig.SubnetIds) expect(subnet.Ref).toMatch(/^NetworkVpcAppSubnet/);
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { TimeoutInMillis: 29_000, PayloadFormatVersion: '2.0' });
    }
  });

  test('the API function gets a pool of one, the resume budget, the secret by ARN, TLS verified against the bundled RDS CAs, and no credential', () => {
    // GIVEN the cluster, its secret and the function's environment
    const cluster = logicalId(prod.template, 'AWS::RDS::DBCluster', 'DatabaseCluster');
    const secret = logicalId(prod.template, 'AWS::SecretsManager::Secret', 'DatabaseSecret');
    const env = environmentOf(prod, 'ApiFunction');

    // THEN
    expect(env).toEqual({
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      AUTH_MODE: 'jwt',
      AUTH_JWKS_URL: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE/.well-known/jwks.json',
      AUTH_ISSUER: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE',
      AUTH_AUDIENCE: 'orders-client',
      DB_HOST: { 'Fn::GetAtt': [cluster, 'Endpoint.Address'] },
      DB_PORT: { 'Fn::GetAtt': [cluster, 'Endpoint.Port'] },
      DB_POOL_SIZE: '1',
      DB_STARTUP_RETRY_MS: '20000',
      DB_SECRET_ARN: { Ref: secret },
      DB_SSL: 'verify-full',
      DB_SSL_CA_PATH: '/var/task/certs/aws-rds-ca.pem',
    });
    // The resume budget plus one more connection attempt (5 s) fits in the function's timeout.
    expect(Number(env.DB_STARTUP_RETRY_MS) + 5000).toBeLessThan(functionOf(prod, 'ApiFunction')[1].Timeout * 1000);
  });

  test('each function`s role may write its own log, manage its network interfaces and read the database secret, nothing more', () => {
    for (const prefix of ['ApiRole', 'MigrationsFunctionRole']) {
      // GIVEN the role and every policy attached to it
      const role = logicalId(staging.template, 'AWS::IAM::Role', prefix);
      const [, roleProps] = resourcesOf(staging.template, 'AWS::IAM::Role').find(([id]) => id === role)!;
      const statements = resourcesOf(staging.template, 'AWS::IAM::Policy')
        .filter(([, policy]) => policy.Roles.some((r: { Ref: string }) => r.Ref === role))
        .flatMap(([, policy]) => policy.PolicyDocument.Statement);

      // THEN no managed policy, and exactly these actions on these resources
      expect(roleProps.ManagedPolicyArns).toBeUndefined();
      expect(roleProps.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
      const secret = logicalId(staging.template, 'AWS::SecretsManager::Secret', 'DatabaseSecret');
      expect(statements).toEqual(
        expect.arrayContaining([
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] } },
          { Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Effect: 'Allow', Resource: { Ref: secret } },
          expect.objectContaining({ Action: expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface']), Resource: '*' }),
        ]),
      );
      expect(statements).toHaveLength(3);
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*$/);
      }
    }
  });

  test('the database is Aurora Serverless v2 (PostgreSQL 16) from 0 ACU, pausing when idle, encrypted, TLS only, without RDS Proxy', () => {
    for (const [s, max, pauseSeconds] of [[staging, 2, 300], [prod, 8, 1800]] as const) {
      s.template.hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-postgresql',
        EngineVersion: Match.stringLikeRegexp('^16\\.'),
        ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: max, SecondsUntilAutoPause: pauseSeconds },
        StorageEncrypted: true,
      });
      const [, writer] = onlyResource(s.template, 'AWS::RDS::DBInstance');
      expect(writer).toMatchObject({ DBInstanceClass: 'db.serverless', PubliclyAccessible: false });
      expect(writer.EnablePerformanceInsights).toBeUndefined();
      s.template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: { 'rds.force_ssl': '1', idle_session_timeout: '60000' },
      });
      s.template.resourceCountIs('AWS::RDS::DBProxy', 0);
    }
    prod.template.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: true, BackupRetentionPeriod: 30 });
    staging.template.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: false, BackupRetentionPeriod: 7 });
  });

  test('only the two functions reach the database, on 5432', () => {
    const ingress = resourcesOf(staging.template, 'AWS::EC2::SecurityGroupIngress').filter(([id]) => id.startsWith('DatabaseSecurityGroup'));
    const sources = ingress.map(([, rule]) => rule.SourceSecurityGroupId['Fn::GetAtt'][0]).sort();

    expect(sources).toEqual([logicalId(staging.template, 'AWS::EC2::SecurityGroup', 'ApiSecurityGroup'), logicalId(staging.template, 'AWS::EC2::SecurityGroup', 'MigrationsFunctionSecurityGroup')].sort());
    for (const [, rule] of ingress) expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
  });

  test('migrations run at deploy: a trigger invokes the migration function after the database and before the API function exists or changes', () => {
    // GIVEN the trigger, the migration function and the API function
    const [triggerId, trigger] = Object.entries(staging.template.findResources('Custom::Trigger'))[0];
    const [apiId] = functionOf(staging, 'ApiFunction');
    const api = staging.template.findResources('AWS::Lambda::Function')[apiId];

    // THEN it runs the migration function's current version, waiting for its answer, again whenever its code changes
    expect(trigger.Properties).toMatchObject({
      HandlerArn: { Ref: expect.stringMatching(/^MigrationsFunctionCurrentVersion/) },
      InvocationType: 'RequestResponse',
      ExecuteOnHandlerChange: true,
    });
    // AND after the cluster, its writer and the rule that lets the function in
    expect(trigger.DependsOn).toEqual(
      expect.arrayContaining([
        logicalId(staging.template, 'AWS::RDS::DBCluster', 'DatabaseCluster'),
        logicalId(staging.template, 'AWS::RDS::DBInstance', 'DatabaseClusterWriter'),
        expect.stringMatching(/^DatabaseSecurityGroupfrom.*MigrationsFunctionSecurityGroup/),
      ]),
    );
    // AND before the API function
    expect(api.DependsOn).toContain(triggerId);
    // AND the migration function holds the lock on one connection and migrates on another, waiting for a paused database
    expect(environmentOf(staging, 'MigrationsFunction')).toMatchObject({ DB_POOL_SIZE: '2', DB_STARTUP_RETRY_MS: '120000', DB_SSL: 'verify-full' });
    expect(environmentOf(staging, 'MigrationsFunction').NODE_ENV).toBeUndefined();
  });

  test('the HTTP API sends every route to the function, only through the custom domain, throttled, with access logs', () => {
    for (const [s, rate] of [[staging, 100], [prod, 500]] as const) {
      s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', DisableExecuteApiEndpoint: true });
      const [, route] = onlyResource(s.template, 'AWS::ApiGatewayV2::Route');
      expect(route.RouteKey).toBe('$default');
      const [, stage] = onlyResource(s.template, 'AWS::ApiGatewayV2::Stage');
      expect(stage).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: rate, ThrottlingBurstLimit: rate * 2 },
        AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [expect.stringMatching(/^HttpAccessLogs/), 'Arn'] } },
      });
      const format = JSON.parse(stage.AccessLogSettings.Format);
      expect(format).toMatchObject({ status: '$context.status', lambdaRequestId: '$context.integration.requestId' });
    }
  });

  test('the domain has a DNS-validated certificate, TLS 1.2, dual stack, and A and AAAA aliases', () => {
    staging.template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'orders.staging.example.com', ValidationMethod: 'DNS' });
    staging.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'orders.staging.example.com',
      DomainNameConfigurations: [Match.objectLike({ EndpointType: 'REGIONAL', SecurityPolicy: 'TLS_1_2', IpAddressType: 'dualstack' })],
    });
    const records = resourcesOf(staging.template, 'AWS::Route53::RecordSet').map(([, r]) => [r.Type, r.Name, r.HostedZoneId]);
    expect(records.sort()).toEqual([
      ['A', 'orders.staging.example.com.', 'Z0123456789EXAMPLE'],
      ['AAAA', 'orders.staging.example.com.', 'Z0123456789EXAMPLE'],
    ]);
  });

  test('every log group keeps its logs for the environment`s retention', () => {
    for (const s of [staging, prod]) {
      const groups = resourcesOf(s.template, 'AWS::Logs::LogGroup');
      expect(groups.length).toBeGreaterThanOrEqual(5);
      for (const [, group] of groups) expect(group.RetentionInDays).toBe(s.config.logRetentionDays);
    }
  });

  test('one NAT gateway and no interface endpoints: the idle bill stays small', () => {
    staging.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    const endpoints = resourcesOf(staging.template, 'AWS::EC2::VPCEndpoint').map(([, e]) => e.VpcEndpointType ?? 'Gateway');
    expect(endpoints).toEqual(['Gateway']);
  });

  test('alarms cover throttles, errors, latency, the migration, the database`s ceiling, to the encrypted topic', () => {
    // GIVEN the alarms and the topic
    const topic = logicalId(prod.template, 'AWS::SNS::Topic', 'AlarmsTopic');
    const alarms = resourcesOf(prod.template, 'AWS::CloudWatch::Alarm');
    const byName = (name: string) => alarms.find(([id]) => id.startsWith(`Alarms${name}`))?.[1];

    // THEN each notifies the topic both ways, and the key ones watch the right metrics
    expect(alarms.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      ['DatabaseCapacity', 'DatabaseCpu', 'Deadlocks', 'FunctionConcurrency', 'FunctionErrors', 'FunctionThrottles', 'Http5xxRate', 'MigrationErrors', 'P99Latency'].map((n) => `Alarms${n}`),
    );
    for (const [, alarm] of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.OKActions).toEqual([{ Ref: topic }]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
    expect(byName('FunctionThrottles')).toMatchObject({ MetricName: 'Throttles', Namespace: 'AWS/Lambda', Threshold: 0 });
    expect(byName('FunctionErrors')).toMatchObject({ MetricName: 'Errors', Namespace: 'AWS/Lambda' });
    expect(byName('FunctionConcurrency')).toMatchObject({ MetricName: 'ConcurrentExecutions', Threshold: 40 });
    expect(byName('DatabaseCapacity')).toMatchObject({ MetricName: 'ServerlessDatabaseCapacity', Threshold: 7.2 });
    prod.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@shop.test' });
  });
});
