import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface IngressProps {
  readonly vpc: ec2.IVpc;
  /** The public name clients use; it gets the certificate and the A and AAAA records. */
  readonly domainName: string;
  /**
   * More names the certificate covers, whose records are made elsewhere (a regional stack's
   * marketplace names and the shared latency-routed name, which the global stack points here).
   * @default - none
   */
  readonly alternativeNames?: readonly string[];
  /** The hosted zone that holds domainName. */
  readonly hostedZone: route53.IHostedZone;
  /** Refuse to delete the load balancer (prod). */
  readonly deletionProtection: boolean;
  /**
   * How long access logs are kept in the bucket.
   * @default Duration.days(90)
   */
  readonly accessLogRetention?: Duration;
}

/**
 * The public edge: an internet-facing dual-stack ALB with a DNS-validated certificate, HTTPS on a
 * modern TLS policy, HTTP redirected with a 301, access logs to an encrypted bucket, and alias
 * records for the domain. The service attaches its target group to `httpsListener`.
 */
export class Ingress extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly httpsListener: elbv2.ApplicationListener;
  /** The access-log bucket (the ALB writes under alb/). */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: IngressProps) {
    super(scope, id);
    const zoneName = props.hostedZone.zoneName;
    if (props.domainName !== zoneName && !props.domainName.endsWith(`.${zoneName}`)) {
      throw new Error(`Ingress needs ${props.domainName} to be inside the hosted zone ${zoneName}.`);
    }
    for (const name of props.alternativeNames ?? []) {
      if (name !== zoneName && !name.endsWith(`.${zoneName}`)) {
        throw new Error(`Ingress needs the alternative name ${name} to be inside the hosted zone ${zoneName}, which validates the certificate.`);
      }
    }

    const accessLogs = (this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // ALB access logs can only be written with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: props.accessLogRetention ?? Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    }));
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is itself the destination of the load balancer access logs; logging its own access to another bucket adds cost without a reader.',
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      ipAddressType: elbv2.IpAddressType.DUAL_STACK,
      // Production callers send bearer tokens; a header such as the development user_id is dropped.
      dropInvalidHeaderFields: true,
      // The service keeps connections alive 65 s, longer than this, so the ALB never reuses a closed one.
      idleTimeout: Duration.seconds(60),
      deletionProtection: props.deletionProtection,
    });
    this.loadBalancer.logAccessLogs(accessLogs, 'alb');
    Validations.of(this.loadBalancer.connections.securityGroups[0]).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The load balancer is the public entry point: it must accept 443 (and 80, only to redirect) from any IPv4 and IPv6 address.',
    });

    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      subjectAlternativeNames: props.alternativeNames?.length ? [...props.alternativeNames] : undefined,
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });
    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      // TLS 1.3 and 1.2 with forward secrecy and post-quantum key exchange.
      sslPolicy: elbv2.SslPolicy.TLS13_12_PQ,
      open: true,
    });
    this.loadBalancer.addRedirect({
      sourcePort: 80,
      sourceProtocol: elbv2.ApplicationProtocol.HTTP,
      targetPort: 443,
      targetProtocol: elbv2.ApplicationProtocol.HTTPS,
    });

    const target = route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer));
    new route53.ARecord(this, 'AliasIpv4', { zone: props.hostedZone, recordName: props.domainName, target });
    new route53.AaaaRecord(this, 'AliasIpv6', { zone: props.hostedZone, recordName: props.domainName, target });
  }
}
