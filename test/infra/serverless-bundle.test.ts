import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';
import { migrations } from '../../service/db/migrations';
import { ROOT } from '../helpers/infra-synth';
import { synthesizeTier, type TierSynthesized } from '../helpers/tier-synth';

/** Every file under a folder, with its size, relative names. */
function filesOf(dir: string): Record<string, number> {
  const files: Record<string, number> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[path.relative(dir, path.join(entry.parentPath, entry.name))] = fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return files;
}

describe('the serverless tier`s bundles, as `npm run synth -- -c tier=serverless` makes them', () => {
  let synthesized: TierSynthesized;
  const assetOf = (prefix: string): string => {
    const [, fn] = Object.entries(synthesized.template.findResources('AWS::Lambda::Function')).find(([id]) => id.startsWith(prefix))!;
    return path.join(synthesized.assembly.directory, fn.Metadata['aws:asset:path']);
  };

  beforeAll(() => {
    synthesized = synthesizeTier('staging', { tier: 'serverless' }, { bundle: true });
  }, 120_000);
  afterAll(() => synthesized?.dispose());

  test('the API function is one minified file under 5 MB, with the contract, the RDS CAs and the /docs files beside it, and no node_modules', () => {
    const files = filesOf(assetOf('ApiFunction'));

    expect(Object.keys(files).sort()).toEqual(
      [
        'asyncapi.yaml',
        'certs/aws-rds-ca.pem',
        'favicon-16x16.png',
        'favicon-32x32.png',
        'index.js',
        'openapi.parsed.json',
        'openapi.yaml',
        'swagger-ui-bundle.js',
        'swagger-ui-standalone-preset.js',
        'swagger-ui.css',
      ].sort(),
    );
    expect(files['index.js']).toBeLessThan(5 * 1024 * 1024);
    expect(fs.readFileSync(path.join(assetOf('ApiFunction'), 'openapi.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'openapi.yaml'), 'utf8'));
    // The copy the cold start reads instead of parsing the YAML: the same document, made from this text.
    const parsed = JSON.parse(fs.readFileSync(path.join(assetOf('ApiFunction'), 'openapi.parsed.json'), 'utf8'));
    expect(parsed.document).toEqual(parse(fs.readFileSync(path.join(ROOT, 'openapi.yaml'), 'utf8')));
    expect(parsed.sha256).toBe(createHash('sha256').update(fs.readFileSync(path.join(ROOT, 'openapi.yaml'))).digest('hex'));
    expect(fs.readFileSync(path.join(assetOf('ApiFunction'), 'certs/aws-rds-ca.pem'), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  test('the migration function carries its bundle, the contract and the RDS CAs, nothing of the /docs page', () => {
    expect(Object.keys(filesOf(assetOf('MigrationsFunction'))).sort()).toEqual([
      'asyncapi.yaml',
      'certs/aws-rds-ca.pem',
      'index.js',
      'openapi.parsed.json',
      'openapi.yaml',
    ]);
  });

  test('the worker and sweep functions each carry their bundle, the contracts (the worker checks messages against asyncapi.yaml) and the RDS CAs', () => {
    for (const prefix of ['EventFunctionsWorkerFunction', 'EventFunctionsSweepFunction']) {
      expect(Object.keys(filesOf(assetOf(prefix))).sort()).toEqual(['asyncapi.yaml', 'certs/aws-rds-ca.pem', 'index.js', 'openapi.parsed.json', 'openapi.yaml']);
      expect(fs.readFileSync(path.join(assetOf(prefix), 'asyncapi.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'asyncapi.yaml'), 'utf8'));
    }
  });

  test('the API bundle leaves out the packages its code requires but never runs (multer, js-yaml, tinyglobby)', () => {
    const bundle = fs.readFileSync(path.join(assetOf('ApiFunction'), 'index.js'), 'utf8');

    // Messages of each package's own code; the stand-in's message instead.
    for (const text of ['Malformed part header', 'duplicated mapping key', '[tinyglobby ']) expect(bundle).not.toContain(text);
    expect(bundle).toContain('left out of this Lambda bundle');
  });

  test('the API bundle holds TypeORM`s PostgreSQL driver and none of its others', () => {
    const bundle = fs.readFileSync(path.join(assetOf('ApiFunction'), 'index.js'), 'utf8');

    // Class names the bundle keeps (keepNames), one per driver's query runner.
    expect(bundle).toContain('PostgresQueryRunner');
    for (const runner of ['MysqlQueryRunner', 'OracleQueryRunner', 'SqlServerQueryRunner', 'MongoQueryRunner', 'SapQueryRunner', 'SpannerQueryRunner', 'CockroachQueryRunner', 'AbstractSqliteQueryRunner']) {
      expect(bundle).not.toContain(runner);
    }
    expect(bundle).toContain('runs PostgreSQL only');
  });

  test('requiring the API bundle loads nothing from outside it: the AWS SDK clients load when first used, not on a cold start', () => {
    // GIVEN the Lambda runtime's AWS SDK on NODE_PATH, as the postgres test below sets it up
    const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-runtime-'));
    fs.mkdirSync(path.join(runtime, 'node_modules'));
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@aws-sdk'), path.join(runtime, 'node_modules', '@aws-sdk'));
    try {
      // WHEN a process requires the bundle, as a cold start does before its first request
      const output = execFileSync(process.execPath, ['-e', 'require(process.argv[1] + "/index.js"); console.log(JSON.stringify(Object.keys(require.cache)))', assetOf('ApiFunction')], {
        cwd: synthesized.assembly.directory,
        env: { PATH: process.env.PATH, NODE_PATH: path.join(runtime, 'node_modules') },
        encoding: 'utf8',
      });

      // THEN the bundle is the only module it loaded
      expect(JSON.parse(output)).toEqual([path.join(assetOf('ApiFunction'), 'index.js')]);
    } finally {
      fs.rmSync(runtime, { recursive: true, force: true });
    }
  });

  const postgres = process.env.POSTGRES_HALF === 'on';
  (postgres ? test : test.skip)('the bundles run: the migration function migrates a PostgreSQL schema, and the API function serves from it', async () => {
    // GIVEN a fresh schema and a process that loads nothing but the two bundles
    const schema = `bundle_${randomBytes(4).toString('hex')}`;
    // AND, as the Lambda runtime has, the AWS SDK v3 (the bundles leave it out) and nothing else
    const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-runtime-'));
    fs.mkdirSync(path.join(runtime, 'node_modules'));
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@aws-sdk'), path.join(runtime, 'node_modules', '@aws-sdk'));
    const script = `
      const event = (method, rawPath, headers = {}) => ({ ...require(${JSON.stringify(path.join(ROOT, 'test/lambda/fixtures/http-api-event.json'))}),
        rawPath, headers: { host: 'orders.example.com', ...headers }, requestContext: { http: { method, path: rawPath, sourceIp: '203.0.113.10' }, requestId: 'x' } });
      (async () => {
        const migrated = await require(process.argv[1] + '/index.js').handler({});
        const api = require(process.argv[2] + '/index.js').handler;
        const live = await api(event('GET', '/health/live'), {});
        const products = await api(event('GET', '/products', { user_id: '1' }), {});
        const contract = await api(event('GET', '/openapi.yaml'), {});
        console.log(JSON.stringify({ migrated, live: live.statusCode, products: [products.statusCode, products.headers['content-type']], contract: contract.statusCode }));
        process.exit(0);
      })().catch((error) => { console.error(error); process.exit(1); });`;
    try {
      // WHEN it runs them, from a folder outside the repository (no node_modules to fall back on but the SDK's)
      const output = execFileSync(process.execPath, ['-e', script, assetOf('MigrationsFunction'), assetOf('ApiFunction')], {
        cwd: synthesized.assembly.directory,
        env: { PATH: process.env.PATH, NODE_PATH: path.join(runtime, 'node_modules'), DATABASE_URL: process.env.TEST_DATABASE_URL, DB_SCHEMA: schema, DB_POOL_SIZE: '2', NODE_ENV: 'test', LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 60_000,
      });

      // THEN the schema was migrated and the app answered
      const result = JSON.parse(output.trim().split('\n').pop()!);
      expect(result.migrated.applied).toEqual(migrations.map((migration) => migration.name));
      expect(result).toMatchObject({ live: 200, products: [401, 'application/problem+json; charset=utf-8'], contract: 200 });
    } finally {
      fs.rmSync(runtime, { recursive: true, force: true });
      const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }, 90_000);
});
