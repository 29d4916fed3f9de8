import { Duration, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

export interface HttpApiProps {
  /** The function every request goes to (payload format 2.0). */
  readonly handler: lambda.IFunction;
  /** The public name clients use; it gets the certificate and the A and AAAA records. */
  readonly domainName: string;
  /** The hosted zone that holds domainName. */
  readonly hostedZone: route53.IHostedZone;
  /** Steady requests per second the stage lets through; more get 429 from API Gateway. */
  readonly rateLimit: number;
  /** Requests the stage absorbs at once above the steady rate. */
  readonly burstLimit: number;
  /** How long access logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * How long API Gateway waits for the function: at most 29 s (CDK's bound; the service's is 30 s).
   * @default Duration.seconds(29)
   */
  readonly integrationTimeout?: Duration;
}

/** One line per request, JSON; the Lambda request id leads to the function's own log line. */
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.path',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  lambdaRequestId: '$context.integration.requestId',
  userAgent: '$context.identity.userAgent',
};

/**
 * The serverless tier's public edge: an API Gateway HTTP API whose one route ($default) sends
 * everything to the function, so the app's own router, validator and 404s answer; a custom domain
 * with a DNS-validated certificate (TLS 1.2), dual stack, with A and AAAA alias records; the
 * execute-api address turned off, so the domain is the only way in; JSON access logs; throttling.
 */
export class HttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const zoneName = props.hostedZone.zoneName;
    if (props.domainName !== zoneName && !props.domainName.endsWith(`.${zoneName}`)) {
      throw new Error(`HttpApi needs ${props.domainName} to be inside the hosted zone ${zoneName}.`);
    }
    if (props.burstLimit < props.rateLimit) {
      throw new Error(`HttpApi needs a burst limit of at least the rate limit, not ${props.burstLimit} below ${props.rateLimit}.`);
    }

    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(props.hostedZone),
    });
    const domain = new apigwv2.DomainName(this, 'Domain', {
      domainName: props.domainName,
      certificate,
      securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
      ipAddressType: apigwv2.IpAddressType.DUAL_STACK,
    });

    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Order service (serverless tier)',
      disableExecuteApiEndpoint: true,
      createDefaultStage: false,
      ipAddressType: apigwv2.IpAddressType.DUAL_STACK,
      defaultIntegration: new HttpLambdaIntegration('Service', props.handler, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
        timeout: props.integrationTimeout ?? Duration.seconds(29),
      }),
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The service verifies bearer tokens itself (AUTH_MODE=jwt) and answers 401 problem+json as the contract says; /health, /docs and /openapi.yaml must stay open.',
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = this.api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      domainMapping: { domainName: domain },
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    const target = route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(domain.regionalDomainName, domain.regionalHostedZoneId));
    new route53.ARecord(this, 'AliasIpv4', { zone: props.hostedZone, recordName: props.domainName, target });
    new route53.AaaaRecord(this, 'AliasIpv6', { zone: props.hostedZone, recordName: props.domainName, target });
  }
}
