#!/usr/bin/env node
// Bundles one Lambda entry point into <outdir>/index.js, as infra/lib/constructs/service-function.ts
// asks: esbuild's JavaScript API rather than the command line NodejsFunction runs, for one plugin.
// TypeORM's DriverFactory requires all of its drivers by relative path, which no command-line
// option can replace; the functions use PostgreSQL only, so the others become a stub that throws
// if constructed. That left about 0.45 MB less to compile and evaluate on every cold start.
//
//   node scripts/bundle-function.mjs <entry.ts> <outdir> <target, e.g. node22>
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const [entry, outdir, target] = process.argv.slice(2);
if (!entry || !outdir || !target) {
  console.error('usage: node scripts/bundle-function.mjs <entry.ts> <outdir> <target>');
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages the functions' code requires but never runs, replaced by service/serverless/left-out-package.ts:
 * multer (the validator's multipart support; contract-validator.ts sets no file uploader), js-yaml
 * (the ref parser's YAML reader; the validator is given the parsed document), tinyglobby (TypeORM's
 * entity and migration globs; the data sources list their classes).
 */
const LEFT_OUT_PACKAGES = ['multer', 'js-yaml', 'tinyglobby'];

/** TypeORM's drivers other than PostgreSQL's (MssqlParameter, a plain class, is kept: the migration runner uses it). */
const LEFT_OUT_DRIVERS = ['aurora-mysql', 'aurora-postgres', 'better-sqlite3', 'capacitor', 'cockroachdb', 'cordova', 'expo', 'mongodb', 'mysql', 'nativescript', 'oracle', 'react-native', 'sap', 'spanner', 'sqlite-abstract', 'sqljs', 'sqlserver'];

const postgresOnly = {
  name: 'typeorm-postgres-only',
  setup(build) {
    const filter = new RegExp(`[\\\\/]node_modules[\\\\/]typeorm[\\\\/]driver[\\\\/](${LEFT_OUT_DRIVERS.join('|')})[\\\\/][^\\\\/]+\\.js$`);
    build.onLoad({ filter }, (args) => {
      if (path.basename(args.path) === 'MssqlParameter.js') return undefined;
      const name = path.relative(path.join(root, 'node_modules'), args.path);
      return { loader: 'js', contents: `module.exports = require(${JSON.stringify(path.join(root, 'service/serverless/left-out-driver.ts'))})(${JSON.stringify(name)});` };
    });
  },
};

await esbuild.build({
  absWorkingDir: root,
  entryPoints: [path.resolve(root, entry)],
  outfile: path.join(outdir, 'index.js'),
  bundle: true,
  platform: 'node',
  target,
  format: 'cjs',
  minify: true,
  // TypeORM's errors and the service's are told apart by class name.
  keepNames: true,
  // The runtime has the AWS SDK v3. SQLite is for local runs only, and pg-native is optional in pg.
  external: ['@aws-sdk/*', 'better-sqlite3', 'pg-native'],
  alias: Object.fromEntries(LEFT_OUT_PACKAGES.map((name) => [name, path.join(root, 'service/serverless/left-out-package.ts')])),
  // route-regexp-cache.ts resolves express-openapi-validator where it can, and knows a bundle cannot.
  logOverride: { 'require-resolve-not-external': 'silent' },
  plugins: [postgresOnly],
  logLevel: 'warning',
});
