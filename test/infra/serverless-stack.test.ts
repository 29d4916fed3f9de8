import { Match } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../service/config';
import { logicalId, onlyResource, resourcesOf } from '../helpers/infra-synth';
import { synthesizeTier, type TierSynthesized } from '../helpers/tier-synth';

type FunctionPrefix = 'ApiFunction' | 'MigrationsFunction' | 'EventFunctionsWorkerFunction' | 'EventFunctionsSweepFunction';

describe('the serverless tier', () => {
  let staging: TierSynthesized;
  let prod: TierSynthesized;
  beforeAll(() => {
    staging = synthesizeTier('staging', { tier: 'serverless' });
    prod = synthesizeTier('prod', { tier: 'serverless', authAudience: 'orders-client', alarmEmail: 'oncall@shop.test' });
  });
  afterAll(() => [staging, prod].forEach((s) => s?.dispose()));

  /** The function whose handler is `service/<entry>`, found by its role's description. */
  const functionOf = (s: TierSynthesized, prefix: FunctionPrefix): [string, Record<string, any>] => {
    const id = logicalId(s.template, 'AWS::Lambda::Function', prefix);
    return [id, s.template.findResources('AWS::Lambda::Function')[id].Properties];
  };
  const environmentOf = (s: TierSynthesized, prefix: FunctionPrefix) => functionOf(s, prefix)[1].Environment.Variables;

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
      QUEUE_URL: { Ref: logicalId(prod.template, 'AWS::SQS::Queue', 'EventsQueue') },
      WORKER_EMBEDDED: 'false',
      MAIL_TRANSPORT: 'ses',
      MAIL_FROM: 'orders@orders.example.com',
    });
    // The resume budget plus one more connection attempt (5 s) fits in the function's timeout.
    expect(Number(env.DB_STARTUP_RETRY_MS) + 5000).toBeLessThan(functionOf(prod, 'ApiFunction')[1].Timeout * 1000);
  });

  test('each function`s role may write its own log, manage its network interfaces and read the database secret, nothing more', () => {
    for (const prefix of ['MigrationsFunctionRole']) {
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

  /** Every statement of every policy attached to the role whose id starts with `prefix`. */
  const statementsOf = (s: TierSynthesized, prefix: string) => {
    const role = logicalId(s.template, 'AWS::IAM::Role', prefix);
    return resourcesOf(s.template, 'AWS::IAM::Policy')
      .filter(([, policy]) => policy.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap(([, policy]) => policy.PolicyDocument.Statement);
  };

  test('the event functions` and the API`s roles add only what their part of the event path needs, scoped to the queue and the identity', () => {
    // GIVEN the queue and the email identity
    const queueArn = { 'Fn::GetAtt': [logicalId(staging.template, 'AWS::SQS::Queue', 'EventsQueue'), 'Arn'] };
    const unscoped = (statements: Array<{ Action: string | string[]; Resource: unknown }>) =>
      statements.filter((statement) => statement.Resource === '*').flatMap((statement) => [statement.Action].flat()).filter((action) => !action.startsWith('ec2:'));

    // THEN the API function may publish and not receive; the sweep too, and read metrics; the worker consume and send mail
    const api = statementsOf(staging, 'ApiRole');
    expect(api).toContainEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: queueArn });
    expect(api.flatMap((statement) => [statement.Action].flat()).filter((action: string) => action.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
    expect(unscoped(api)).toEqual([]);

    const sweep = statementsOf(staging, 'EventFunctionsSweepRole');
    expect(sweep).toContainEqual({ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: queueArn });
    expect(unscoped(sweep)).toEqual(['cloudwatch:GetMetricData']);

    const worker = statementsOf(staging, 'EventFunctionsWorkerRole');
    expect(worker).toContainEqual(expect.objectContaining({ Action: expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility']), Resource: queueArn }));
    expect(worker).toContainEqual(expect.objectContaining({ Action: 'ses:SendEmail', Resource: expect.objectContaining({ 'Fn::Join': expect.anything() }) }));
    expect(unscoped(worker)).toEqual([]);
    for (const statement of [...api, ...sweep, ...worker]) {
      for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*$/);
    }
  });

  test('the worker takes batches of 10 from the FIFO queue, reports partial batch failures, and is capped at two containers', () => {
    // GIVEN the event source mapping, the worker and the queues
    const [, mapping] = onlyResource(staging.template, 'AWS::Lambda::EventSourceMapping');
    const [workerId, worker] = functionOf(staging, 'EventFunctionsWorkerFunction');

    // THEN
    expect(mapping).toMatchObject({
      FunctionName: { Ref: workerId },
      EventSourceArn: { 'Fn::GetAtt': [logicalId(staging.template, 'AWS::SQS::Queue', 'EventsQueue'), 'Arn'] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(worker).toMatchObject({ Timeout: 30, ReservedConcurrentExecutions: 2, Runtime: 'nodejs22.x' });
    // AND the queue hides a batch six times the worker's timeout, and hands a message to the dead-letter queue after 5 receives
    staging.template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'order-events-staging-serverless.fifo',
      FifoQueue: true,
      VisibilityTimeout: 180,
      RedrivePolicy: { maxReceiveCount: 5, deadLetterTargetArn: Match.anyValue() },
    });
    expect(environmentOf(staging, 'EventFunctionsWorkerFunction')).toMatchObject({ RELAY_ENABLED: 'false', MAIL_TRANSPORT: 'ses', DB_POOL_SIZE: '1' });
  });

  test('the sweep runs every minute (looking only on a signal from the API function) and once a day forced, never retried', () => {
    // GIVEN the rules and the sweep function
    const [sweepId] = functionOf(staging, 'EventFunctionsSweepFunction');
    const rules = resourcesOf(staging.template, 'AWS::Events::Rule').map(([, rule]) => rule);

    // THEN
    expect(rules.map((rule) => rule.ScheduleExpression).sort()).toEqual(['rate(1 day)', 'rate(1 minute)']);
    for (const rule of rules) {
      expect(rule.State).toBe('ENABLED');
      expect(rule.Targets).toEqual([
        expect.objectContaining({ Arn: { 'Fn::GetAtt': [sweepId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } }),
      ]);
    }
    const daily = rules.find((rule) => rule.ScheduleExpression === 'rate(1 day)')!;
    expect(JSON.parse(daily.Targets[0].Input)).toEqual({ force: true });
    expect(rules.find((rule) => rule.ScheduleExpression === 'rate(1 minute)')!.Targets[0].Input).toBeUndefined();
    expect(environmentOf(staging, 'EventFunctionsSweepFunction').RELAY_SWEEP_API_FUNCTION).toEqual({ Ref: functionOf(staging, 'ApiFunction')[0] });
    expect(functionOf(staging, 'EventFunctionsSweepFunction')[1].Timeout).toBeLessThan(60);
  });

  test('every function`s environment, with the secret`s fields, is one the service`s configuration accepts', () => {
    for (const prefix of ['ApiFunction', 'EventFunctionsWorkerFunction', 'EventFunctionsSweepFunction'] as const) {
      // GIVEN what the function is told, with each CloudFormation value as it would resolve, and what the runtime adds
      const resolved = Object.fromEntries(
        Object.entries(environmentOf(prod, prefix)).map(([name, value]) => [
          name,
          typeof value === 'string' ? value : ({ DB_HOST: 'cluster.example.com', DB_PORT: '5432', QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/order-events-prod-serverless.fifo' } as Record<string, string>)[name] ?? 'resolved',
        ]),
      );
      const { DB_SECRET_ARN: _arn, ...env } = resolved;

      // WHEN it loads, as the function's first invocation does
      const config = loadConfig({ ...env, DB_USER: 'orders', DB_PASSWORD: 'secret', DB_NAME: 'orders', AWS_REGION: 'us-east-1', DB_SSL_CA_PATH: __filename });

      // THEN it is accepted, with the queue, no embedded worker, and mail through SES
      expect(config.messaging).toMatchObject({ queue: { region: 'us-east-1' }, workerEmbedded: false });
      expect(config.mail).toMatchObject({ transport: 'ses', region: 'us-east-1' });
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

  test('only the four functions reach the database, on 5432', () => {
    const ingress = resourcesOf(staging.template, 'AWS::EC2::SecurityGroupIngress').filter(([id]) => id.startsWith('DatabaseSecurityGroup'));
    const sources = ingress.map(([, rule]) => rule.SourceSecurityGroupId['Fn::GetAtt'][0]).sort();

    expect(sources).toEqual(
      ['ApiSecurityGroup', 'MigrationsFunctionSecurityGroup', 'EventFunctionsWorkerSecurityGroup', 'EventFunctionsSweepSecurityGroup']
        .map((prefix) => logicalId(staging.template, 'AWS::EC2::SecurityGroup', prefix))
        .sort(),
    );
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
    expect(records.filter(([type]) => type === 'A' || type === 'AAAA').sort()).toEqual([
      ['A', 'orders.staging.example.com.', 'Z0123456789EXAMPLE'],
      ['AAAA', 'orders.staging.example.com.', 'Z0123456789EXAMPLE'],
    ]);
    // The rest are the mail identity's: three DKIM CNAMEs and the MAIL FROM domain's MX and SPF.
    expect(records.map(([type]) => type).filter((type) => type !== 'A' && type !== 'AAAA').sort()).toEqual(['CNAME', 'CNAME', 'CNAME', 'MX', 'TXT']);
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
    const byName = (name: string) => alarms.find(([id]) => id.startsWith(name.startsWith('Queue') ? name : `Alarms${name}`))?.[1];

    // THEN each notifies the topic both ways, and the key ones watch the right metrics
    expect(alarms.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(
      [
        ...['DatabaseCapacity', 'DatabaseCpu', 'Deadlocks', 'FunctionConcurrency', 'FunctionErrors', 'FunctionThrottles', 'Http5xxRate', 'MigrationErrors', 'P99Latency'],
        ...['SweepErrors', 'SweepThrottles', 'WorkerErrors', 'WorkerThrottles'],
      ]
        .map((n) => `Alarms${n}`)
        .concat(['QueueAlarmsDeadLetters', 'QueueAlarmsOldestEvent'])
        .sort(),
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
    expect(byName('SweepErrors')).toMatchObject({ MetricName: 'Errors', Period: 60, EvaluationPeriods: 3, Threshold: 0 });
    expect(byName('QueueAlarmsDeadLetters')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
    expect(byName('QueueAlarmsOldestEvent')).toMatchObject({ MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 300 });
    prod.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@shop.test' });
  });
});
