import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AssetHashType, DockerImage, Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Where the bundle carries the Amazon RDS CA certificates (the function's code is unpacked in /var/task). */
export const LAMBDA_RDS_CA_BUNDLE_PATH = '/var/task/certs/aws-rds-ca.pem';

/** The files of swagger-ui-dist the /docs page loads (service/docs/docs-routes.ts), copied beside the bundle. */
const DOCS_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-16x16.png', 'favicon-32x32.png'];

export interface ServiceFunctionProps {
  readonly vpc: ec2.IVpc;
  /** The repository root: package-lock.json, openapi.yaml, scripts/ and service/ are found from it. */
  readonly repositoryRoot: string;
  /** The entry point under service/ whose `handler` export the function runs, for example lambda.ts. */
  readonly entry: string;
  /** The RDS-generated secret: the function may read it (DB_SECRET_ARN), and nothing else. */
  readonly databaseSecret: secretsmanager.ISecret;
  /** Environment variables beside DB_SECRET_ARN, DB_SSL and DB_SSL_CA_PATH, which are always set. */
  readonly environment: Record<string, string>;
  readonly memoryMiB: number;
  readonly timeout: Duration;
  /** How long its log is kept. */
  readonly logRetention: logs.RetentionDays;
  /**
   * At most this many containers at once (so database connections); unset, it shares the account's pool.
   * @default - no reservation
   */
  readonly reservedConcurrency?: number;
  /**
   * Ship the /docs page's files (about 2 MB) beside the bundle.
   * @default false
   */
  readonly docsPage?: boolean;
  /**
   * Actions beside the VPC ones that take no resource scoping, and why the function needs them.
   * @default - none
   */
  readonly unscopedActions?: { readonly actions: string[]; readonly why: string };
}

/**
 * One of the service's Lambda entry points (service/lambda.ts, service/migrate-lambda.ts) as a
 * function: bundled by scripts/bundle-function.mjs (esbuild, one minified file, PostgreSQL's driver
 * the only TypeORM driver in it), with openapi.yaml (and its parsed copy) and the RDS CA bundle
 * beside it; Node.js 22 on arm64; in the private subnets with its own security group; a role that
 * may write its own log, manage its network interfaces and read the database secret, nothing more.
 */
export class ServiceFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const root = props.repositoryRoot;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Order service function service/${props.entry}`,
    });
    this.logGroup.grantWrite(role);
    // What Lambda needs to attach the function to the VPC (the AWSLambdaVPCAccessExecutionRole policy, inline).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    );
    props.databaseSecret.grantRead(role);
    if (props.unscopedActions) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: props.unscopedActions.actions, resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `The EC2 network interface actions Lambda needs to place the function in the VPC support no resource-level scoping${props.unscopedActions ? `, nor does ${props.unscopedActions.actions.join(', ')} (${props.unscopedActions.why})` : ''}; every other permission is scoped to its resource's ARN.`,
    });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Order service function service/${props.entry}`,
      // To the database, the identity provider's JWKS and Secrets Manager (through the NAT gateway).
      allowAllOutbound: true,
    });

    // The line the container image and the tests run; 24 would also take this async handler.
    const runtime = lambda.Runtime.NODEJS_22_X;
    this.function = new lambda.Function(this, 'Function', {
      code: lambda.Code.fromAsset(root, {
        // The asset is named after what it holds, as NodejsFunction's are.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          local: { tryBundle: (outputDir) => bundleFunction(root, props.entry, outputDir, runtime, props.docsPage ?? false) },
          // Docker is never used (bundling runs here: esbuild is a dependency of the repository), but
          // CDK tells bundles apart by these settings, not by tryBundle: without the entry, the four
          // functions would share the first one's asset.
          image: DockerImage.fromRegistry('dummy'),
          command: ['bundle-function', props.entry, props.docsPage ? 'with-docs' : 'without-docs'],
        },
      }),
      handler: 'index.handler',
      runtime,
      // About 20% cheaper than x86_64 for the same memory; the bundle is plain JavaScript.
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMiB,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role,
      logGroup: this.logGroup,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [securityGroup],
      environment: {
        ...props.environment,
        DB_SECRET_ARN: props.databaseSecret.secretArn,
        DB_SSL: 'verify-full',
        DB_SSL_CA_PATH: LAMBDA_RDS_CA_BUNDLE_PATH,
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is pinned on purpose: it is the line the container image and the test suite run, so both tiers run the code on one runtime; move both to 24 together.',
    });
  }

  /** The function's network interfaces, for the database's security group. */
  get connections(): ec2.Connections {
    return this.function.connections;
  }
}

/**
 * The function's asset in `outputDir`: its entry point bundled by scripts/bundle-function.mjs (one
 * minified file, TypeORM's other drivers and the packages never run left out), openapi.yaml,
 * asyncapi.yaml and the parsed contract beside it (service/contract.ts finds them by walking up
 * from the bundle's folder, and reads the parsed copy while it matches the YAML), the RDS CA
 * bundle, and the /docs page's files when asked.
 */
function bundleFunction(root: string, entry: string, outputDir: string, runtime: lambda.Runtime, docsPage: boolean): boolean {
  const node = (script: string, ...args: string[]) => execFileSync(process.execPath, [path.join(root, 'scripts', script), ...args], { cwd: root, stdio: ['ignore', process.stderr, 'inherit'] });
  node('bundle-function.mjs', path.join('service', entry), outputDir, runtime.name.replace('nodejs', 'node').replace('.x', ''));
  for (const file of ['openapi.yaml', 'asyncapi.yaml']) fs.copyFileSync(path.join(root, file), path.join(outputDir, file));
  node('write-parsed-contract.mjs', path.join(root, 'openapi.yaml'), path.join(outputDir, 'openapi.parsed.json'));
  node('write-rds-ca-bundle.mjs', path.join(outputDir, 'certs', 'aws-rds-ca.pem'));
  if (docsPage) for (const file of DOCS_ASSETS) fs.copyFileSync(path.join(root, 'node_modules', 'swagger-ui-dist', file), path.join(outputDir, file));
  return true;
}
