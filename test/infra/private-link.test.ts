import { logicalId, onlyResource, resourcesOf } from '../helpers/infra-synth';
import { synthesizeTier, type TierSynthesized } from '../helpers/tier-synth';

const PARTNER = 'arn:aws:iam::111122223333:root';
const BILLING_ROLE = 'arn:aws:iam::444455556666:role/billing-service';

describe('PrivateLink (fargate tier, -c privateLink=true)', () => {
  let withLink: TierSynthesized;
  let without: TierSynthesized;
  beforeAll(() => {
    withLink = synthesizeTier('prod', { privateLink: 'true', privateLinkPrincipals: `${PARTNER},${BILLING_ROLE}` });
    without = synthesizeTier('staging');
  });
  afterAll(() => [withLink, without].forEach((s) => s?.dispose()));

  test('an internal NLB across zones, with access logs, forwards TCP 443 to the ALB`s HTTPS listener (an ALB-type target group)', () => {
    // GIVEN the NLB, its listener and its target group
    const nlbs = resourcesOf(withLink.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter(([, lb]) => lb.Type === 'network');
    expect(nlbs).toHaveLength(1);
    const [nlbId, nlb] = nlbs[0];
    const alb = logicalId(withLink.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'IngressLoadBalancer');
    const targetGroupId = logicalId(withLink.template, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'PrivateLinkAlbTarget');
    const targetGroup = withLink.template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup')[targetGroupId];

    // THEN it is private, spans the zones, logs, and is protected in prod
    expect(nlb.Scheme).toBe('internal');
    for (const subnet of nlb.Subnets) expect(subnet.Ref).toMatch(/^NetworkVpcAppSubnet/);
    const attributes = Object.fromEntries(nlb.LoadBalancerAttributes.map((a: { Key: string; Value: unknown }) => [a.Key, a.Value]));
    expect(attributes).toMatchObject({
      'load_balancing.cross_zone.enabled': 'true',
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.prefix': 'nlb',
      'deletion_protection.enabled': 'true',
    });
    // AND its one listener sends 443 to the ALB, after the ALB's HTTPS listener exists
    withLink.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      LoadBalancerArn: { Ref: nlbId },
      Port: 443,
      Protocol: 'TCP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: targetGroupId } }],
    });
    expect(targetGroup.Properties).toMatchObject({
      TargetType: 'alb',
      Protocol: 'TCP',
      Port: 443,
      Targets: [{ Id: { Ref: alb }, Port: 443 }],
      HealthCheckProtocol: 'HTTPS',
      HealthCheckPath: '/health/ready',
    });
    expect(targetGroup.DependsOn).toEqual([logicalId(withLink.template, 'AWS::ElasticLoadBalancingV2::Listener', 'IngressLoadBalancerHttps')]);
  });

  test('the endpoint service requires acceptance and allows exactly the configured principals', () => {
    const [serviceId, service] = onlyResource(withLink.template, 'AWS::EC2::VPCEndpointService');
    expect(service).toMatchObject({ AcceptanceRequired: true, NetworkLoadBalancerArns: [{ Ref: expect.stringMatching(/^PrivateLinkLoadBalancer/) }] });

    const [, permissions] = onlyResource(withLink.template, 'AWS::EC2::VPCEndpointServicePermissions');
    expect(permissions).toEqual({ ServiceId: { Ref: serviceId }, AllowedPrincipals: [PARTNER, BILLING_ROLE] });
    withLink.template.hasOutput('EndpointServiceName', {});
  });

  test('the NLB may reach the ALB on 443 and nothing else; PrivateLink traffic is gated by the service`s principals, not by addresses', () => {
    const [nlbId, nlb] = resourcesOf(withLink.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').find(([, lb]) => lb.Type === 'network')!;
    expect(nlbId).toMatch(/^PrivateLinkLoadBalancer/);
    expect(nlb.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic).toBe('off');
    const egress = resourcesOf(withLink.template, 'AWS::EC2::SecurityGroupEgress').filter(([id]) => id.startsWith('PrivateLinkLoadBalancerSecurityGroup'));
    expect(egress.map(([, rule]) => [rule.IpProtocol, rule.FromPort, rule.ToPort, rule.DestinationSecurityGroupId['Fn::GetAtt'][0]])).toEqual([
      ['tcp', 443, 443, logicalId(withLink.template, 'AWS::EC2::SecurityGroup', 'IngressLoadBalancerSecurityGroup')],
    ]);
  });

  test('an unhealthy ALB behind the NLB alarms to the stack`s topic', () => {
    const topic = logicalId(withLink.template, 'AWS::SNS::Topic', 'AlarmsTopic');
    withLink.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'UnHealthyHostCount',
      Namespace: 'AWS/NetworkELB',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });
  });

  test('without privateLink, the fargate stack has no NLB and no endpoint service', () => {
    without.template.resourceCountIs('AWS::EC2::VPCEndpointService', 0);
    const types = resourcesOf(without.template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map(([, lb]) => lb.Type);
    expect(types).toEqual(['application']);
  });
});
