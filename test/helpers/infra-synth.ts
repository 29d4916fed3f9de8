import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, FileSystem, IgnoreMode } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly, type CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { loadInfraConfig, type EnvironmentName, type OrderServiceConfig, type SettingKey } from '../../infra/lib/config';
import { defineOrderServiceApp } from '../../infra/lib/order-service-app';
import type { OrderServiceStack } from '../../infra/lib/order-service-stack';

export const ROOT = path.resolve(__dirname, '..', '..');
/** What `cdk synth` runs with (cdk.json's feature flags, and the metadata the CLI asks for), so the tests see the same templates. */
export const CDK_CONTEXT: Record<string, unknown> = {
  ...JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context,
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
};

type Settings = Partial<Record<SettingKey, string>>;

/**
 * The settings each environment is synthesized with when a test names none: staging on the
 * example values, prod as a real deployment sets it (its own domain and zone, a user pool, an
 * on-call address), so that one prod template serves every test.
 */
export const TEST_SETTINGS: Record<EnvironmentName, Settings> = {
  staging: {},
  prod: {
    domainName: 'orders.shop.test',
    hostedZoneId: 'Z0PRODZONE1234',
    authIssuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Prod',
    authAudience: 'orders-client',
    alarmEmail: 'oncall@shop.test',
    mailFrom: 'Shop <orders@shop.test>',
  },
};

/** One environment's synthesized output: what the template tests read. */
export interface Synthesized {
  readonly config: OrderServiceConfig;
  readonly template: Template;
  readonly assembly: CloudAssembly;
  /** The environment's stack in the assembly (its id, manifest properties and files). */
  readonly artifact: CloudFormationStackArtifact;
  /** The template file on disk, for cfn-lint. */
  readonly templatePath: string;
}

/** A synthesis with its construct tree, for checks that walk it (cdk-nag, metadata). */
export interface SynthesizedApp extends Synthesized {
  readonly app: App;
  readonly stack: OrderServiceStack;
  /** Removes the cloud assembly folder. */
  dispose(): void;
}

/**
 * Builds one environment exactly as infra/bin/app.ts does (same flags, same cdk-nag plugin), but
 * with settings from the test instead of context or the environment, into a temporary folder.
 * Synthesis fails here if cdk-nag finds anything unacknowledged. The assembly is also stored in
 * the synthesis cache, so that `synthesized` need not build it again.
 */
export function synthesize(envName: EnvironmentName, settings: Settings = TEST_SETTINGS[envName]): SynthesizedApp {
  const config = configFor(envName, settings);
  const { app, stack } = defineApp(config);
  const template = Template.fromStack(stack);
  const assembly = app.synth();
  store(assembly.directory, cacheKey(envName, settings));
  return {
    config,
    app,
    stack,
    template,
    assembly,
    artifact: assembly.getStackArtifact(stack.artifactId),
    templatePath: path.join(assembly.directory, stack.templateFile),
    dispose: () => fs.rmSync(assembly.directory, { recursive: true, force: true }),
  };
}

/**
 * Both environments with the test settings, read from the synthesis cache: a cloud assembly
 * stored on disk under the hash of everything synthesis reads (infra/, cdk.json, this helper, the
 * CDK libraries' versions, the image's build context, the settings). Jest gives each test file
 * its own modules, so this is how the infra test files share one synthesis per environment; a
 * change to any input is a new key and synthesizes afresh. Delete CACHE_DIR to start over.
 */
export function synthesizedEnvironments(): { staging: Synthesized; prod: Synthesized } {
  return { staging: synthesized('staging'), prod: synthesized('prod') };
}

/** One environment from the synthesis cache, synthesized (and stored) on a miss. */
export function synthesized(envName: EnvironmentName, settings: Settings = TEST_SETTINGS[envName]): Synthesized {
  const directory = path.join(CACHE_DIR, cacheKey(envName, settings));
  if (!fs.existsSync(path.join(directory, 'manifest.json'))) synthesize(envName, settings).dispose();
  const now = new Date();
  fs.utimesSync(directory, now, now);
  const assembly = new CloudAssembly(directory);
  const [artifact, ...others] = assembly.stacks;
  if (others.length > 0) throw new Error(`Expected one stack in ${directory}, found ${assembly.stacks.length}.`);
  return {
    config: configFor(envName, settings),
    template: Template.fromJSON(artifact.template),
    assembly,
    artifact,
    templatePath: path.join(directory, artifact.templateFile),
  };
}

/** An app with the environment's stack defined but not yet synthesized. */
export function defineApp(config: OrderServiceConfig): { app: App; stack: OrderServiceStack } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `order-service-cdk-${config.envName}-`));
  const app = new App({ outdir, context: CDK_CONTEXT });
  return { app, stack: defineOrderServiceApp(app, config) };
}

/** The logical id and properties of every resource of one type. */
export function resourcesOf(template: Template, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(template.findResources(type)).map(([id, resource]) => [id, resource.Properties ?? {}]);
}

/** The one resource of a type; fails when there is not exactly one. */
export function onlyResource(template: Template, type: string): [string, Record<string, any>] {
  const found = resourcesOf(template, type);
  if (found.length !== 1) throw new Error(`Expected one ${type}, found ${found.length}.`);
  return found[0];
}

/** The API task's only container definition. */
export function apiContainer(template: Template): Record<string, any> {
  return onlyContainer(template, 'ApiTask');
}

/** The only container definition of the task definition whose logical id starts with `prefix`. */
export function onlyContainer(template: Template, prefix: string): Record<string, any> {
  const taskDefinition = template.findResources('AWS::ECS::TaskDefinition')[logicalId(template, 'AWS::ECS::TaskDefinition', prefix)].Properties;
  expect(taskDefinition.ContainerDefinitions).toHaveLength(1);
  return taskDefinition.ContainerDefinitions[0];
}

/** Logical id of the only resource of a type whose id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`Expected one ${type} named ${prefix}*, found ${ids.join(', ') || 'none'}.`);
  return ids[0];
}

/** Where synthesized assemblies are kept between test files and runs. */
export const CACHE_DIR = path.join(os.tmpdir(), 'order-service-cdk-cache');
/** Assemblies kept beyond the ones used in the last hour (several worktrees may share the folder). */
const CACHE_ENTRIES = 8;

function configFor(envName: EnvironmentName, settings: Settings): OrderServiceConfig {
  return loadInfraConfig((key) => (key === 'env' ? envName : settings[key]));
}

/** The hash of every input of a synthesis: a cache entry is only ever read for the same inputs. */
function cacheKey(envName: EnvironmentName, settings: Settings): string {
  sourcesHash ??= hashOfSources();
  return createHash('sha256')
    .update(sourcesHash)
    .update(JSON.stringify({ envName, settings: Object.entries(settings).sort() }))
    .digest('hex')
    .slice(0, 32);
}
let sourcesHash: string | undefined;

/** What synthesis reads besides the settings: the same for every environment. */
function hashOfSources(): string {
  const hash = createHash('sha256');
  const add = (label: string, value: string | Buffer) => hash.update(`${label}\0${value.length}\0`).update(value);
  for (const file of [...filesUnder(path.join(ROOT, 'infra')), path.join(ROOT, 'cdk.json'), __filename]) {
    add(path.relative(ROOT, file), fs.readFileSync(file));
  }
  for (const library of ['aws-cdk-lib', 'cdk-nag', 'constructs']) add(library, require(`${library}/package.json`).version);
  // The variables through which the CDK reads context of its own.
  add('CDK_ variables', JSON.stringify(Object.entries(process.env).filter(([name]) => name.startsWith('CDK_')).sort()));
  add('image', imageFingerprint());
  return hash.digest('hex');
}

/** The image's build context as the Docker image asset hashes it (its .dockerignore, plus the Dockerfile). */
function imageFingerprint(): string {
  const ignore = path.join(ROOT, '.dockerignore');
  const exclude = fs.existsSync(ignore) ? fs.readFileSync(ignore, 'utf8').split('\n').filter(Boolean) : [];
  return FileSystem.fingerprint(ROOT, { exclude: [...exclude, '!.dockerignore', '!Dockerfile'], ignoreMode: IgnoreMode.DOCKER });
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

/** Copies an assembly into the cache under `key`; another worker storing the same key first is fine. */
function store(assemblyDirectory: string, key: string): void {
  const directory = path.join(CACHE_DIR, key);
  if (fs.existsSync(directory)) return;
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const incoming = fs.mkdtempSync(path.join(CACHE_DIR, 'incoming-'));
  fs.cpSync(assemblyDirectory, incoming, { recursive: true });
  try {
    // A rename is atomic: readers see the whole assembly or none.
    fs.renameSync(incoming, directory);
  } catch (error) {
    fs.rmSync(incoming, { recursive: true, force: true });
    if (!fs.existsSync(directory)) throw error;
  }
  evictStale();
}

/** Keeps the cache small: past CACHE_ENTRIES, removes what nobody used in the last hour. */
function evictStale(): void {
  const hourAgo = Date.now() - 3_600_000;
  const entries = fs
    .readdirSync(CACHE_DIR)
    .map((name) => ({ name, used: fs.statSync(path.join(CACHE_DIR, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { name } of entries.slice(CACHE_ENTRIES).filter((entry) => entry.used < hourAgo)) {
    fs.rmSync(path.join(CACHE_DIR, name), { recursive: true, force: true });
  }
}
