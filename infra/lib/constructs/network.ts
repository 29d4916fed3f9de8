import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface NetworkProps {
  /** How many NAT gateways the private subnets share; one per zone is the most resilient. */
  readonly natGateways: number;
  /** How long VPC flow logs are kept. */
  readonly flowLogRetention: logs.RetentionDays;
  /**
   * The VPC's IPv4 range.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Interface endpoints for ECR, CloudWatch Logs and Secrets Manager. The serverless tier goes
   * without: Lambda pulls no image and ships its logs outside the VPC, and its one secret read per
   * cold start through the NAT gateway costs less than endpoints in every zone.
   * @default true
   */
  readonly interfaceEndpoints?: boolean;
}

/**
 * A dual-stack VPC over every zone of the stack: public subnets for the load balancer,
 * private subnets with egress for the tasks, isolated subnets for the database; flow logs;
 * and endpoints so that image pulls, logs and secrets do not go through the NAT gateways.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  private readonly endpoints: ec2.InterfaceVpcEndpoint[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    if (!Number.isInteger(props.natGateways) || props.natGateways < 1) {
      throw new Error('Network needs at least one NAT gateway, because the tasks call the identity provider on the internet.');
    }

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.0.0.0/16'),
      // The stack's availabilityZones are explicit, so no lookup happens at synth time.
      maxAzs: 3,
      // Dual stack so the ALB answers on IPv6 and the AAAA record means something.
      ipProtocol: ec2.IpProtocol.DUAL_STACK,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'App', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: props.flowLogRetention });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const interfaceEndpoints = props.interfaceEndpoints === false ? {} : {
      EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
      EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    };
    for (const [endpointId, service] of Object.entries(interfaceEndpoints)) {
      const endpoint = this.vpc.addInterfaceEndpoint(endpointId, {
        service,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        privateDnsEnabled: true,
        // Closed until allowEndpointsFrom names a client, rather than open to the whole VPC range.
        open: false,
      });
      this.endpoints.push(endpoint);
    }
    Validations.of(this.vpc).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'The zones are named on purpose: they come from the typed settings so that synthesis needs no AWS lookup, and the database places its writer and readers by name.',
    });
  }

  /** Lets a client (the service's tasks) reach the interface endpoints on 443. */
  allowEndpointsFrom(client: ec2.IConnectable): void {
    for (const endpoint of this.endpoints) endpoint.connections.allowDefaultPortFrom(client, 'Tasks reach AWS APIs without the NAT');
  }
}
