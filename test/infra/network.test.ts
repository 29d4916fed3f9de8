import { Match } from 'aws-cdk-lib/assertions';
import { logicalId, resourcesOf, synthesizedEnvironments, type Synthesized } from '../helpers/infra-synth';

describe('Network', () => {
  let staging: Synthesized;
  let prod: Synthesized;
  beforeAll(() => ({ staging, prod } = synthesizedEnvironments()));

  test('synthesis needs no AWS lookup: no context is missing', () => {
    // GIVEN both environments WHEN synthesized offline THEN the assembly asks for nothing
    for (const { assembly } of [staging, prod]) expect(assembly.manifest.missing ?? []).toEqual([]);
  });

  test('the VPC spans three zones with public, private-with-egress and isolated subnets in each', () => {
    // GIVEN prod WHEN its subnets are grouped by type and zone
    const subnets = resourcesOf(prod.template, 'AWS::EC2::Subnet').map(([, props]) => ({
      az: props.AvailabilityZone,
      type: props.Tags.find((tag: { Key: string }) => tag.Key === 'aws-cdk:subnet-type').Value,
    }));

    // THEN each zone has one subnet of each kind
    for (const type of ['Public', 'Private', 'Isolated']) {
      expect(subnets.filter((s) => s.type === type).map((s) => s.az).sort()).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    }
  });

  test('the VPC is dual stack, so the load balancer can answer on IPv6', () => {
    prod.template.hasResourceProperties('AWS::EC2::VPCCidrBlock', { AmazonProvidedIpv6CidrBlock: true });
  });

  test('prod keeps two NAT gateways and staging one', () => {
    prod.template.resourceCountIs('AWS::EC2::NatGateway', 2);
    staging.template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('flow logs record all traffic into a log group with retention', () => {
    for (const { template } of [staging, prod]) {
      template.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: { Ref: logicalId(template, 'AWS::Logs::LogGroup', 'NetworkFlowLogs') },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: Match.absent(),
        RetentionInDays: Match.anyValue(),
      });
    }
  });

  test('S3 has a gateway endpoint and ECR, CloudWatch Logs and Secrets Manager have interface endpoints', () => {
    // GIVEN prod WHEN its endpoints are listed
    const endpoints = resourcesOf(prod.template, 'AWS::EC2::VPCEndpoint').map(([, props]) => ({
      service: JSON.stringify(props.ServiceName),
      type: props.VpcEndpointType,
      privateDns: props.PrivateDnsEnabled,
    }));

    // THEN S3 is a (free) gateway, the rest interface endpoints with private DNS
    expect(endpoints.filter((e) => e.type === 'Gateway').map((e) => e.service)).toEqual([expect.stringContaining('.s3')]);
    const interfaces = endpoints.filter((e) => e.type === 'Interface');
    for (const name of ['.ecr.api', '.ecr.dkr', '.logs', '.secretsmanager']) {
      expect(interfaces).toContainEqual({ service: expect.stringContaining(name), type: 'Interface', privateDns: true });
    }
    expect(interfaces).toHaveLength(4);
  });

  test('the interface endpoints admit only the API and the worker, on 443', () => {
    // GIVEN the services' security groups
    const serviceGroups = ['ApiServiceSecurityGroup', 'WorkerServiceSecurityGroup'].map((prefix) => logicalId(prod.template, 'AWS::EC2::SecurityGroup', prefix));
    const endpointGroups = resourcesOf(prod.template, 'AWS::EC2::SecurityGroup').filter(([id]) => id.startsWith('NetworkVpc'));
    expect(endpointGroups).toHaveLength(4);

    for (const [id, props] of endpointGroups) {
      // THEN no inline rule opens them to an address range
      expect(props.SecurityGroupIngress).toBeUndefined();
      // AND the only ingress rules come from the services
      const rules = resourcesOf(prod.template, 'AWS::EC2::SecurityGroupIngress').filter(
        ([, rule]) => rule.GroupId['Fn::GetAtt']?.[0] === id,
      );
      expect(rules.map(([, rule]) => [rule.SourceSecurityGroupId, rule.FromPort, rule.ToPort])).toEqual(
        serviceGroups.map((group) => [{ 'Fn::GetAtt': [group, 'GroupId'] }, 443, 443]),
      );
    }
  });
});
