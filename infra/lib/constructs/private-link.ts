import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbv2Targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { addAlarm } from './alarm-topic';

/** An IAM principal an endpoint service can allow: an account root, a role or a user. */
const IAM_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/;

export interface PrivateLinkProps {
  readonly vpc: ec2.IVpc;
  /** The public ALB's HTTPS listener: the NLB forwards TCP to it, so TLS still ends at the ALB with the service's certificate. */
  readonly httpsListener: elbv2.ApplicationListener;
  /** IAM principals (account roots, roles, users) that may request an endpoint; each request is still accepted by hand. */
  readonly allowedPrincipals: readonly string[];
  /** Where the NLB writes its access logs (the ALB's bucket, under nlb/). */
  readonly accessLogs: s3.IBucket;
  /** Refuse to delete the load balancer (prod). */
  readonly deletionProtection: boolean;
  /** The stack's alarm topic: an unhealthy ALB target alarms there. */
  readonly alarmTopic: sns.ITopic;
  /**
   * The port the ALB's HTTPS listener and the NLB listen on.
   * @default 443
   */
  readonly port?: number;
}

/**
 * Private service-to-service access through AWS PrivateLink: an internal Network Load Balancer
 * whose one target is the ALB's HTTPS listener (an ALB-type target group), and a VPC endpoint
 * service on it that only the allowed principals can connect to, each connection accepted by
 * hand. Callers in other VPCs or accounts create an interface endpoint and reach the service
 * without the internet, with the same TLS certificate, rules and tasks as the public path.
 */
export class PrivateLink extends Construct {
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  readonly targetGroup: elbv2.NetworkTargetGroup;
  readonly endpointService: ec2.VpcEndpointService;

  constructor(scope: Construct, id: string, props: PrivateLinkProps) {
    super(scope, id);
    if (props.allowedPrincipals.length === 0) {
      throw new Error('PrivateLink needs at least one allowed principal: an endpoint service nobody may use serves nothing.');
    }
    for (const principal of props.allowedPrincipals) {
      if (!IAM_PRINCIPAL.test(principal)) throw new Error(`PrivateLink can allow IAM principal ARNs only, and "${principal}" is not one.`);
    }
    const port = props.port ?? 443;

    this.loadBalancer = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      crossZoneEnabled: true,
      deletionProtection: props.deletionProtection,
      // Who may connect is the endpoint service's decision (allowed principals, accepted by hand);
      // its traffic arrives from the endpoints' addresses, which this account cannot list.
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false,
    });
    this.loadBalancer.logAccessLogs(props.accessLogs, 'nlb');
    const albConnections = props.httpsListener.loadBalancer.connections;
    this.loadBalancer.connections.allowTo(albConnections, ec2.Port.tcp(port), 'The PrivateLink NLB forwards to the ALB');

    this.targetGroup = new elbv2.NetworkTargetGroup(this, 'AlbTarget', {
      vpc: props.vpc,
      port,
      protocol: elbv2.Protocol.TCP,
      targetType: elbv2.TargetType.ALB,
      targets: [new elbv2Targets.AlbListenerTarget(props.httpsListener)],
      healthCheck: {
        protocol: elbv2.Protocol.HTTPS,
        path: '/health/ready',
        interval: Duration.seconds(30),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 2,
      },
    });
    this.loadBalancer.addListener('Tcp', { port, protocol: elbv2.Protocol.TCP, defaultTargetGroups: [this.targetGroup] });

    this.endpointService = new ec2.VpcEndpointService(this, 'EndpointService', {
      vpcEndpointServiceLoadBalancers: [this.loadBalancer],
      acceptanceRequired: true,
      allowedPrincipals: props.allowedPrincipals.map((arn) => new iam.ArnPrincipal(arn)),
    });

    addAlarm(this, 'AlbUnhealthy', props.alarmTopic, {
      metric: this.targetGroup.metrics.unHealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      alarmDescription: 'The PrivateLink NLB has found the ALB unhealthy for 3 minutes: private callers get no answer.',
    });
  }
}
