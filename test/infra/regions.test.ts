import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { OrderServiceStack } from '../../infra/lib/order-service-stack';
import { apiContainer, logicalId, onlyContainer, onlyResource, resourcesOf, synthesized } from '../helpers/infra-synth';
import { synthesizeRegions, type RegionsSynthesized } from '../helpers/regions-synth';
import { acknowledgedNagRules, cfnLintFindings, cfnLintTest, nagReport } from '../helpers/template-checks';

/** What each region of `-c regions=us-east-1,eu-central-1,ap-northeast-1` hosts (infra/lib/regions.ts). */
const HOSTED = { 'us-east-1': 'us', 'eu-central-1': 'de', 'ap-northeast-1': 'jp' } as const;
type Region = keyof typeof HOSTED;
const REGIONS = Object.keys(HOSTED) as Region[];
// prod's TEST_SETTINGS: domainName orders.shop.test in the hosted zone Z0PRODZONE1234, account 123456789012.
const DOMAIN = 'orders.shop.test';
const ZONE_ID = 'Z0PRODZONE1234';
const bucketOf = (region: Region) => `order-service-catalogue-prod-123456789012-${region}`;

/** The AwsSolutions rules a regional deployment acknowledges beyond one region's (compliance.test.ts). */
const ACKNOWLEDGED_PER_REGION = ['EC23', 'ECS2', 'ECS2', 'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'IAM5[Resource::*]', 'IAM5[Resource::*]', 'IAM5[Resource::*]', 'IAM5[Resource::<CatalogueBucket17C97E8C.Arn>/catalogue/*]', 'L1', 'RDS6', 'S1', 'SMG4'];
const ACKNOWLEDGED_GLOBAL = [
  'IAM5[Resource::<CatalogueBucket17C97E8C.Arn>/*]',
  ...REGIONS.map((region) => `IAM5[Resource::arn:aws:s3:::${bucketOf(region)}/*]`),
  'S1',
];

/** cfn-lint warnings accepted in these templates, each with the reason (as in cfn-lint.test.ts). */
const ACCEPTED_CFN_LINT_WARNINGS: Record<string, string> = {
  W3005:
    'aws-cdk-lib renders an explicit DependsOn next to a GetAtt on the same role for its own functions (the VPC default-security-group and bucket-notification handlers, and NodejsFunction); redundant, harmless.',
};

describe('the regional deployment (-c regions=us-east-1,eu-central-1,ap-northeast-1)', () => {
  // One synthesis for the file (about 12 s, bundling stubbed); cfn-lint's run over the four templates takes longer.
  let s: RegionsSynthesized;
  beforeAll(() => {
    s = synthesizeRegions('prod');
  });
  afterAll(() => s?.dispose());
  const regional = (region: Region): OrderServiceStack => s.stacks.regional.get(region)!;
  const template = (region: Region): Template => s.template(regional(region));
  const environmentOf = (container: Record<string, any>) =>
    Object.fromEntries((container.Environment as Array<{ Name: string; Value: unknown }>).map((e) => [e.Name, e.Value]));

  test('each region is a stack of its own in that region, with its own VPC, ALB, Fargate services and Aurora cluster', () => {
    // GIVEN the synthesized app
    // THEN there is one stack per region, named after it, and the global stack in the first region
    expect(s.stacks.all.map((stack) => [stack.stackName, stack.region])).toEqual([
      ['OrderService-prod-us-east-1', 'us-east-1'],
      ['OrderService-prod-eu-central-1', 'eu-central-1'],
      ['OrderService-prod-ap-northeast-1', 'ap-northeast-1'],
      ['OrderService-prod-global', 'us-east-1'],
    ]);
    for (const region of REGIONS) {
      const t = template(region);
      t.resourceCountIs('AWS::EC2::VPC', 1);
      t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      t.resourceCountIs('AWS::ECS::Service', 2);
      t.resourceCountIs('AWS::RDS::DBCluster', 1);
      // AND the prod sizes: a writer and two readers, spread over the region's own zones
      const instances = resourcesOf(t, 'AWS::RDS::DBInstance').map(([, p]) => p.AvailabilityZone);
      expect(instances).toHaveLength(3);
      for (const zone of instances) expect(zone).toMatch(new RegExp(`^${region}[a-z]$`));
    }
    // ap-northeast-1 has no zone b for new accounts.
    expect(regional('ap-northeast-1').availabilityZones).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
  });

  test('the API and worker containers take orders for their own region\'s marketplaces only', () => {
    for (const region of REGIONS) {
      // GIVEN a region's API and worker containers
      for (const container of [apiContainer(template(region)), onlyContainer(template(region), 'WorkerTask')]) {
        // THEN their marketplace is the one the region hosts, and no other
        expect(environmentOf(container)).toMatchObject({ DEFAULT_MARKETPLACE: HOSTED[region], MARKETPLACES: HOSTED[region], AWS_REGION: region });
      }
    }
  });

  test('each ALB answers on its regional name, with a certificate for it, the shared name and its marketplace names', () => {
    for (const region of REGIONS) {
      const t = template(region);
      // THEN the regional name is an alias to the region's ALB
      for (const type of ['A', 'AAAA']) {
        t.hasResourceProperties('AWS::Route53::RecordSet', {
          Name: `${region}.${DOMAIN}.`,
          Type: type,
          AliasTarget: { HostedZoneId: { 'Fn::GetAtt': [logicalId(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'Ingress'), 'CanonicalHostedZoneID'] } },
        });
      }
      // AND the shared name is left to the global stack
      expect(resourcesOf(t, 'AWS::Route53::RecordSet').filter(([, p]) => p.Name === `${DOMAIN}.`)).toEqual([]);
      // AND the certificate covers every name that reaches this ALB
      const [, certificate] = onlyResource(t, 'AWS::CertificateManager::Certificate');
      expect(certificate).toMatchObject({ DomainName: `${region}.${DOMAIN}`, SubjectAlternativeNames: [DOMAIN, `${HOSTED[region]}.${DOMAIN}`] });
      // AND each region's SES has its own MAIL FROM subdomain, so the regions' MX records do not collide
      t.hasResourceProperties('AWS::Route53::RecordSet', { Name: `bounce-${region}.shop.test.`, Type: 'MX' });
    }
  });

  test('the global stack sends each marketplace name to its region, and the shared name to the nearest healthy region', () => {
    // GIVEN the global stack
    const t = s.template(s.stacks.global);
    const records = resourcesOf(t, 'AWS::Route53::RecordSet').map(([, p]) => p);
    const alias = (region: Region) => ({ DNSName: `${region}.${DOMAIN}`, HostedZoneId: ZONE_ID, EvaluateTargetHealth: true });

    for (const region of REGIONS) {
      // THEN the marketplace's name is a plain alias to its region's name: never another region
      for (const type of ['A', 'AAAA']) {
        expect(records.filter((r) => r.Name === `${HOSTED[region]}.${DOMAIN}.` && r.Type === type)).toEqual([
          { HostedZoneId: ZONE_ID, Name: `${HOSTED[region]}.${DOMAIN}.`, Type: type, AliasTarget: alias(region) },
        ]);
      }
      // AND the region has an HTTPS health check on its readiness
      const [healthCheckId] = resourcesOf(t, 'AWS::Route53::HealthCheck').find(([, p]) => p.HealthCheckConfig.FullyQualifiedDomainName === `${region}.${DOMAIN}`)!;
      t.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: `${region}.${DOMAIN}`, Port: 443, ResourcePath: '/health/ready', EnableSNI: true, RequestInterval: 30, FailureThreshold: 3 },
      });
      // AND the shared name has a latency record per address family for the region, guarded by that check
      for (const type of ['A', 'AAAA']) {
        expect(records.filter((r) => r.Name === `${DOMAIN}.` && r.Type === type && r.Region === region)).toEqual([
          { HostedZoneId: ZONE_ID, Name: `${DOMAIN}.`, Type: type, Region: region, SetIdentifier: region, HealthCheckId: { Ref: healthCheckId }, AliasTarget: alias(region) },
        ]);
      }
    }
    t.resourceCountIs('AWS::Route53::HealthCheck', 3);
    // AND nothing else: 3 marketplaces and 3 latency sets, each A and AAAA
    expect(records).toHaveLength(12);
  });

  test('the global stack imports nothing from the regions and deploys after them', () => {
    // GIVEN the global stack's template and its dependencies
    const body = JSON.stringify(s.template(s.stacks.global).toJSON());

    // THEN it names the regions' resources only by their configured names
    expect(body).not.toMatch(/Fn::ImportValue/);
    expect(s.stacks.global.dependencies.map((stack) => stack.stackName).sort()).toEqual(REGIONS.map((r) => `OrderService-prod-${r}`).sort());
  });

  test('the catalogue source replicates every document under catalogue/ to each region\'s bucket within 15 minutes', () => {
    // GIVEN the global stack's catalogue bucket
    const t = s.template(s.stacks.global);
    const [, source] = resourcesOf(t, 'AWS::S3::Bucket').find(([, p]) => p.BucketName === 'order-service-catalogue-prod-123456789012-source')!;

    // THEN it is versioned, encrypted, private, logged, and replicates to the three regional buckets with RTC
    expect(source).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { LogFilePrefix: 's3/catalogue-source/' },
    });
    const rules = source.ReplicationConfiguration.Rules;
    expect(rules.map((rule: any) => rule.Destination.Bucket).sort()).toEqual(REGIONS.map((region) => `arn:aws:s3:::${bucketOf(region)}`).sort());
    for (const rule of rules) {
      expect(rule).toMatchObject({
        Status: 'Enabled',
        Filter: { Prefix: 'catalogue/' },
        DeleteMarkerReplication: { Status: 'Disabled' },
        Destination: { ReplicationTime: { Status: 'Enabled', Time: { Minutes: 15 } }, Metrics: { Status: 'Enabled' } },
      });
    }
    // AND the source refuses plain HTTP
    t.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId(t, 'AWS::S3::Bucket', 'CatalogueBucket') },
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('each region imports a replicated document into its own Aurora with the import function in its VPC', () => {
    for (const region of REGIONS) {
      // GIVEN a regional stack's catalogue bucket and import function
      const t = template(region);
      const bucket = logicalId(t, 'AWS::S3::Bucket', 'CatalogueBucket');
      const importFunction = logicalId(t, 'AWS::Lambda::Function', 'CatalogueImport');

      // THEN the bucket has the name the source replicates to, and is a valid replication destination
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: bucketOf(region),
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(t, 'AWS::S3::Bucket', 'IngressAccessLogs') }, LogFilePrefix: 's3/catalogue/' },
      });
      // AND a JSON document created under catalogue/ invokes the import function
      t.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: bucket },
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: Match.arrayWith([{ Name: 'suffix', Value: '.json' }, { Name: 'prefix', Value: 'catalogue/' }]) } },
              LambdaFunctionArn: { 'Fn::GetAtt': [importFunction, 'Arn'] },
            },
          ],
        },
      });
      // AND the function is the app's entry, one at a time, in the VPC, told the region's writer and marketplaces
      t.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.handler',
        ReservedConcurrentExecutions: 1,
        VpcConfig: Match.objectLike({ SecurityGroupIds: Match.anyValue() }),
        Environment: {
          Variables: Match.objectLike({
            DB_HOST: { 'Fn::GetAtt': [logicalId(t, 'AWS::RDS::DBCluster', 'Database'), 'Endpoint.Address'] },
            DB_SECRET_ARN: Match.anyValue(),
            DEFAULT_MARKETPLACE: HOSTED[region],
            MARKETPLACES: HOSTED[region],
          }),
        },
      });
      expect(regional(region).catalogue!.importFunction.function.node.tryFindChild('Resource')).toBeDefined();
      // AND it may read catalogue documents (and their versions) from this bucket only
      t.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: logicalId(t, 'AWS::IAM::Role', 'CatalogueImportRole') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/catalogue/*']] } },
          ]),
        },
      });
      // AND a failed import alarms on the region's topic
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: importFunction } }],
        Threshold: 0,
        AlarmActions: [{ Ref: logicalId(t, 'AWS::SNS::Topic', 'Alarms') }],
      });
      // AND the database lets it in on 5432
      t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 5432,
        GroupId: { 'Fn::GetAtt': [logicalId(t, 'AWS::EC2::SecurityGroup', 'DatabaseSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(t, 'AWS::EC2::SecurityGroup', 'CatalogueImportSecurityGroup'), 'GroupId'] },
      });
    }
  });

  test('cdk-nag AwsSolutions finds nothing unacknowledged in any of the four stacks, and each acknowledgment is explained', () => {
    // GIVEN the whole app WHEN cdk-nag checks it THEN nothing is left
    const report = nagReport(s.app);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);

    // AND the acknowledgments are the reviewed ones: each region's, and the global stack's
    const acknowledged = acknowledgedNagRules(s.app);
    expect(acknowledged.map((a) => a.rule).sort()).toEqual([...REGIONS.flatMap(() => ACKNOWLEDGED_PER_REGION), ...ACKNOWLEDGED_GLOBAL].sort());
    for (const { reason } of acknowledged) {
      expect(reason.split(/\s+/).length).toBeGreaterThanOrEqual(12);
      expect(reason).toMatch(/[.]$/);
    }
  });

  cfnLintTest('cfn-lint finds no error (and no unaccepted warning) in any of the four templates, each against its region', () => {
    for (const stack of s.stacks.all) {
      // WHEN cfn-lint checks the template against the stack's own region
      const { findings, status } = cfnLintFindings(stack.region, [s.templatePath(stack)], ACCEPTED_CFN_LINT_WARNINGS);

      // THEN nothing but the accepted warnings remains
      expect(findings).toEqual([]);
      expect(status & (1 | 2)).toBe(0);
    }
  });
});

describe('without regions', () => {
  test('the single stack keeps its id and its containers get no marketplace settings (the app\'s own default)', () => {
    // GIVEN prod synthesized as before, without -c regions
    const prod = synthesized('prod');

    // THEN it is still the one stack OrderService-prod, so an existing deployment is updated, not replaced
    expect(prod.artifact.stackName).toBe('OrderService-prod');
    expect(prod.config.regions).toBeUndefined();
    const environment = apiContainer(prod.template).Environment.map((e: { Name: string }) => e.Name);
    expect(environment).not.toContain('MARKETPLACES');
    expect(environment).not.toContain('DEFAULT_MARKETPLACE');
  });
});
