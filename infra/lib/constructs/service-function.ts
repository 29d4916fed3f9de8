import path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Where the bundle carries the Amazon RDS CA certificates (the function's code is unpacked in /var/task). */
export const LAMBDA_RDS_CA_BUNDLE_PATH = '/var/task/certs/aws-rds-ca.pem';

/**
 * Packages the functions' code requires but never runs, replaced in the bundles by
 * service/serverless/left-out-package.ts: evaluating them cost about 40 ms of each API cold start.
 * multer: express-openapi-validator's multipart support (contract-validator.ts sets no file uploader).
 * js-yaml: the ref parser's YAML reader (the validator is given the parsed document).
 * tinyglobby: TypeORM's entity and migration globs (the data sources list their classes).
 */
const LEFT_OUT_PACKAGES = ['multer', 'js-yaml', 'tinyglobby'];

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
 * function: bundled by esbuild into one minified file (class names kept: TypeORM's errors and the
 * service's are told apart by name), with openapi.yaml (and its parsed copy) and the RDS CA bundle beside it; Node.js 22
 * on arm64; in the private subnets with its own security group; a role that may write its own log,
 * manage its network interfaces and read the database secret, nothing more.
 */
export class ServiceFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
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

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(root, 'service', props.entry),
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: path.join(root, 'package-lock.json'),
      // The line the container image and the tests run; 24 would also take this async handler.
      runtime: lambda.Runtime.NODEJS_22_X,
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
      bundling: {
        format: nodejs.OutputFormat.CJS,
        minify: true,
        keepNames: true,
        sourceMap: false,
        // The runtime has the AWS SDK v3. SQLite is for local runs only, and pg-native is optional in pg.
        externalModules: ['@aws-sdk/*', 'better-sqlite3', 'pg-native'],
        // route-regexp-cache.ts resolves express-openapi-validator where it can, and knows a bundle cannot.
        esbuildArgs: {
          '--log-override:require-resolve-not-external': 'silent',
          ...Object.fromEntries(LEFT_OUT_PACKAGES.map((name) => [`--alias:${name}`, path.join(root, 'service', 'serverless', 'left-out-package.ts')])),
        },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            // service/contract.ts finds openapi.yaml and asyncapi.yaml by walking up from the bundle's folder.
            `cp ${inputDir}/openapi.yaml ${outputDir}/openapi.yaml`,
            `cp ${inputDir}/asyncapi.yaml ${outputDir}/asyncapi.yaml`,
            // openapi.yaml parsed now rather than at every cold start; used only while it matches the YAML beside it.
            `node ${inputDir}/scripts/write-parsed-contract.mjs ${inputDir}/openapi.yaml ${outputDir}/openapi.parsed.json`,
            `node ${inputDir}/scripts/write-rds-ca-bundle.mjs ${outputDir}/certs/aws-rds-ca.pem`,
            ...(props.docsPage ? DOCS_ASSETS.map((file) => `cp ${inputDir}/node_modules/swagger-ui-dist/${file} ${outputDir}/${file}`) : []),
          ],
        },
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
