'use strict';
/** What the image is: who it runs as, what it starts, and that no development package is in it. */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./engine');
const { assert, check, say } = require('./report');
const { runCommand } = require('./run-command');

/** Dependencies every check names, wherever they would be nested. */
const NEVER_SHIPPED = ['aws-cdk-lib', 'aws-cdk', 'constructs', 'jest', 'ts-jest', 'typescript', 'supertest', 'playwright-core', 'openapi-typescript'];
/** Added to the base image by the Dockerfile (production node_modules, dist, tini); a regression guard. */
const APP_LAYERS_BUDGET_MB = 120;
const TOTAL_BUDGET_MB = 400;

/** Lists every installed package of /app/node_modules as lockfile keys ("node_modules/a/node_modules/b"). */
const LIST_PACKAGES = `
const fs = require('fs'), path = require('path'), found = [];
const walk = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
  if (!e.isDirectory() || e.name.startsWith('.')) continue;
  const names = e.name.startsWith('@') ? fs.readdirSync(path.join(dir, e.name)).map((n) => e.name + '/' + n) : [e.name];
  for (const name of names) { const p = path.join(dir, name); found.push(p);
    if (fs.existsSync(path.join(p, 'node_modules'))) walk(path.join(p, 'node_modules')); } } };
walk('node_modules'); console.log(JSON.stringify(found));`;

/** infra/lib/constructs/api-service.ts sets DB_SSL_CA_PATH to this; the Dockerfile writes it. */
const RDS_CA_BUNDLE = '/app/certs/aws-rds-ca.pem';
const COUNT_RDS_CAS = `
const { X509Certificate } = require('crypto');
const pems = require('fs').readFileSync('${RDS_CA_BUNDLE}', 'utf8').match(/-----BEGIN CERTIFICATE-----[\\s\\S]+?-----END CERTIFICATE-----/g) ?? [];
console.log(pems.filter((pem) => new X509Certificate(pem).ca).length);`;

async function checkImage(engine, image) {
  const cli = (args, options) => runCommand(engine.cli, args, { env: engine.env, ...options });
  const [inspected] = JSON.parse((await cli(['image', 'inspect', image])).stdout);
  const config = inspected.Config;

  await check('the image runs as the unprivileged node user', async () => {
    assert(config.User === 'node', `USER is "${config.User}"`);
    const uid = (await cli(['run', '--rm', image, 'id', '-u'])).stdout.trim();
    assert(uid !== '0' && uid !== '', `id -u printed "${uid}"`);
    return `uid ${uid}`;
  });

  await check('NODE_ENV=production, tini as init, exec-form node CMD, EXPOSE 3000, a node HEALTHCHECK on /health/live', () => {
    assert((config.Env ?? []).includes('NODE_ENV=production'), 'NODE_ENV=production is not set');
    assert(/tini$/.test(config.Entrypoint?.[0] ?? ''), `ENTRYPOINT is ${JSON.stringify(config.Entrypoint)}`);
    assert(config.Cmd?.[0] === 'node', `CMD is ${JSON.stringify(config.Cmd)} (exec form, node, never npm)`);
    assert(Object.keys(config.ExposedPorts ?? {}).includes('3000/tcp'), 'port 3000 is not exposed');
    const health = (config.Healthcheck ?? inspected.Healthcheck)?.Test ?? [];
    assert(health[0] === 'CMD' && health[1] === 'node' && health.join(' ').includes('/health/live'), `HEALTHCHECK is ${JSON.stringify(health)}`);
  });

  await check('no devDependencies, type packages or build tools in the image', async () => {
    say(`  $ ${engine.cli} run --rm ${image} node -e '<list every package under /app/node_modules>'`);
    const installed = JSON.parse((await cli(['run', '--rm', image, 'node', '-e', LIST_PACKAGES], { echo: false })).stdout);
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')).packages;
    const devOnly = installed.filter((key) => lock[key]?.dev === true);
    const named = installed.filter((key) => NEVER_SHIPPED.includes(key.replace(/^.*node_modules\//, '')));
    const types = installed.filter((key) => /node_modules\/@types\//.test(key));
    const bad = [...new Set([...devOnly, ...named, ...types])];
    assert(bad.length === 0, `found ${bad.slice(0, 8).join(', ')}${bad.length > 8 ? ` and ${bad.length - 8} more` : ''}`);
    const dependencies = Object.keys(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).dependencies);
    const missing = dependencies.filter((name) => !installed.includes(`node_modules/${name}`));
    assert(missing.length === 0, `production dependencies missing: ${missing.join(', ')}`);
    const tools = (await cli(['run', '--rm', image, 'sh', '-c', 'for t in g++ gcc make python3 git curl; do command -v $t; done; true'])).stdout.trim();
    assert(tools === '', `build tools present: ${tools.replace(/\n/g, ', ')}`);
    const app = (await cli(['run', '--rm', image, 'ls', '-A', '/app'])).stdout.trim().split('\n').sort();
    assert(app.join(' ') === 'asyncapi.yaml certs dist node_modules openapi.yaml package.json', `/app holds ${app.join(' ')}`);
    return `${installed.length} packages, none of them development-only; /app is ${app.join(', ')}`;
  });

  await check('the image carries the Amazon RDS CA bundle that DB_SSL_CA_PATH names in the CDK app, readable by node', async () => {
    const count = (await cli(['run', '--rm', image, 'node', '-e', COUNT_RDS_CAS], { echo: false })).stdout.trim();
    assert(Number(count) > 20, `${RDS_CA_BUNDLE} holds ${count} certificates node can read`);
    return `${count} certificates in ${RDS_CA_BUNDLE}`;
  });

  await check(`the image stays small (application layers under ${APP_LAYERS_BUDGET_MB} MB)`, async () => {
    const mb = (bytes) => Math.round(Number(bytes) / 1e6);
    // BuildKit may keep the base image in its own cache only: then the total is checked instead.
    const base = await cli(['image', 'inspect', '--format', '{{.Size}}', baseImage()], { allowFailure: true, echo: false });
    if (base.code !== 0) {
      say(`  image size ${mb(inspected.Size)} MB (${baseImage()} is not in the local image store)`);
      assert(mb(inspected.Size) < TOTAL_BUDGET_MB, `${mb(inspected.Size)} MB in all`);
      return `${mb(inspected.Size)} MB`;
    }
    const added = mb(inspected.Size) - mb(base.stdout.trim());
    say(`  image size ${mb(inspected.Size)} MB: ${baseImage()} ${mb(base.stdout.trim())} MB + ${added} MB of application layers`);
    assert(added < APP_LAYERS_BUDGET_MB, `${added} MB added to the base image`);
    return `${mb(inspected.Size)} MB`;
  });
}

function baseImage() {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  return /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)[1];
}

module.exports = { checkImage };
