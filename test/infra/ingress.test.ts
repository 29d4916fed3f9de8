import { Match } from 'aws-cdk-lib/assertions';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../service/http/server';
import { logicalId, onlyResource, resourcesOf, synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';

describe('Ingress', () => {
  let staging: Synthesized;
  let prod: Synthesized;
  // prod's TEST_SETTINGS include domainName orders.shop.test in the hosted zone Z0PRODZONE1234.
  beforeAll(() => ({ staging, prod } = synthesizedEnvironments()));

  const attributesOf = (s: Synthesized): Record<string, unknown> => {
    const [, alb] = onlyResource(s.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    return Object.fromEntries(alb.LoadBalancerAttributes.map((a: { Key: string; Value: unknown }) => [a.Key, a.Value]));
  };
  const listenerOn = (s: Synthesized, port: number) =>
    resourcesOf(s.template, 'AWS::ElasticLoadBalancingV2::Listener').find(([, l]) => l.Port === port)?.[1];

  test('the load balancer is internet-facing and dual stack, in the public subnets', () => {
    const [, alb] = onlyResource(prod.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(alb).toMatchObject({ Scheme: 'internet-facing', Type: 'application', IpAddressType: 'dualstack' });
    expect(alb.Subnets).toHaveLength(3);
    for (const subnet of alb.Subnets) expect(subnet.Ref).toMatch(/^NetworkVpcPublicSubnet/);
  });

  test('the load balancer accepts 80 and 443 from anywhere (IPv4 and IPv6) and nothing else', () => {
    const [, group] = resourcesOf(prod.template, 'AWS::EC2::SecurityGroup').find(([id]) => id.startsWith('IngressLoadBalancerSecurityGroup'))!;
    const rules = group.SecurityGroupIngress.map((r: Record<string, unknown>) => `${r.CidrIp ?? r.CidrIpv6}:${r.FromPort}-${r.ToPort}`);
    expect(rules.sort()).toEqual(['0.0.0.0/0:443-443', '0.0.0.0/0:80-80', '::/0:443-443', '::/0:80-80']);
  });

  test('HTTPS uses a DNS-validated certificate for the domain and a TLS 1.2+/1.3 policy', () => {
    // GIVEN prod's certificate and HTTPS listener
    const zone = 'Z0PRODZONE1234';
    prod.template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'orders.shop.test',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'orders.shop.test', HostedZoneId: zone }],
    });
    const https = listenerOn(prod, 443);

    // THEN it terminates TLS with that certificate on a modern policy
    expect(https).toMatchObject({
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: { Ref: logicalId(prod.template, 'AWS::CertificateManager::Certificate', 'IngressCertificate') } }],
      SslPolicy: expect.stringMatching(/^ELBSecurityPolicy-TLS13-1-2-/),
    });
  });

  test('HTTP is answered with a permanent redirect to HTTPS', () => {
    expect(listenerOn(prod, 80)).toMatchObject({
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
  });

  test('HTTPS forwards to the service target group', () => {
    const targetGroup = logicalId(prod.template, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'ApiTargetGroup');
    expect(listenerOn(prod, 443)?.DefaultActions).toEqual([{ Type: 'forward', TargetGroupArn: { Ref: targetGroup } }]);
  });

  test('the target group checks /health/ready every 10 s and trusts a task after 2 passes', () => {
    for (const { template } of [staging, prod]) {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip',
        Port: 3000,
        HealthCheckPath: '/health/ready',
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' },
      });
    }
  });

  test('the deregistration delay fits the graceful shutdown (10-30 s, not the 300 s default)', () => {
    const [, targetGroup] = onlyResource(prod.template, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    const delay = Number(
      targetGroup.TargetGroupAttributes.find((a: { Key: string }) => a.Key === 'deregistration_delay.timeout_seconds').Value,
    );
    expect(delay).toBeGreaterThanOrEqual(10);
    expect(delay).toBeLessThanOrEqual(30);
  });

  test('invalid header fields are dropped, and the idle timeout stays under the service keep-alive', () => {
    const attributes = attributesOf(prod);
    expect(attributes['routing.http.drop_invalid_header_fields.enabled']).toBe('true');
    expect(Number(attributes['idle_timeout.timeout_seconds']) * 1000).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS);
  });

  test('access logs go to an encrypted, private bucket that refuses plain HTTP', () => {
    // GIVEN the access log bucket
    const bucket = logicalId(prod.template, 'AWS::S3::Bucket', 'IngressAccessLogs');
    expect(attributesOf(prod)).toMatchObject({ 'access_logs.s3.enabled': 'true', 'access_logs.s3.bucket': { Ref: bucket } });

    // THEN it is encrypted, blocks public access and denies insecure transport
    prod.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    prod.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  test('prod protects the load balancer from deletion; staging does not', () => {
    expect(attributesOf(prod)['deletion_protection.enabled']).toBe('true');
    expect(attributesOf(staging)['deletion_protection.enabled']).toBe('false');
  });

  test('the domain has A and AAAA alias records to the load balancer', () => {
    // GIVEN prod's records
    const alb = logicalId(prod.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'IngressLoadBalancer');
    const records = resourcesOf(prod.template, 'AWS::Route53::RecordSet').filter(([id]) => id.startsWith('Ingress'));

    // THEN one A and one AAAA, both aliases of the ALB's dual-stack name, in the hosted zone
    expect(records.map(([, r]) => r.Type).sort()).toEqual(['A', 'AAAA']);
    for (const [, record] of records) {
      expect(record).toMatchObject({
        Name: 'orders.shop.test.',
        HostedZoneId: 'Z0PRODZONE1234',
        AliasTarget: {
          HostedZoneId: { 'Fn::GetAtt': [alb, 'CanonicalHostedZoneID'] },
          DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [alb, 'DNSName'] }]] },
        },
      });
    }
  });
});
