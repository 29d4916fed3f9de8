'use strict';
/**
 * Finds what builds and runs the containers: the container rig (podman offline, as on CI and
 * the team's machines) when it is there, otherwise a real Docker engine.
 *
 *   RIG=/path/to/container-rig   use this rig (an error when it is not there)
 *   CONTAINER_ENGINE=rig|docker  choose instead of detecting
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { say } = require('./report');
const { runCommand, commandExists, succeeds } = require('./run-command');

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * @typedef {object} Engine
 * @property {string} name          what is used, for the log
 * @property {string} cli           podman or docker
 * @property {string[]} compose     the compose command: ['docker-compose'] or ['docker', 'compose']
 * @property {NodeJS.ProcessEnv} env  the environment both need
 * @property {() => Promise<void>} release  undoes what preparing started
 */

/** Returns a ready engine, or undefined when there is none (the caller decides if that fails). */
async function prepareEngine() {
  const wanted = process.env.CONTAINER_ENGINE;
  const rigDir = wanted === 'docker' ? undefined : findRig();
  if (rigDir && process.getuid?.() === 0) return prepareRig(rigDir);
  if (rigDir) say(`  the rig at ${rigDir} needs root (rootful podman); trying docker`);
  if (wanted === 'rig') throw new Error('CONTAINER_ENGINE=rig, but no usable container rig was found');
  return prepareDocker();
}

/** $RIG, else ../shared/container-rig beside the repository, else /work/shared/container-rig. */
function findRig() {
  if (process.env.RIG) {
    const dir = process.env.RIG.replace(/\/rig\.sh$/, '');
    if (!fs.existsSync(path.join(dir, 'rig.sh'))) throw new Error(`RIG=${process.env.RIG} has no rig.sh`);
    return dir;
  }
  const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: ROOT, encoding: 'utf8' });
  const repo = top.status === 0 ? top.stdout.trim() : ROOT;
  const candidates = [path.join(repo, '..', 'shared', 'container-rig'), '/work/shared/container-rig'];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'rig.sh')));
}

/** Installs the rig's packages and base images when missing (idempotent), then starts its socket. */
async function prepareRig(rigDir) {
  const rig = path.join(rigDir, 'rig.sh');
  say(`  using the container rig at ${rigDir} (podman, docker-compose 1.29)`);
  if (!commandExists('podman') || !commandExists('docker-compose')) await runCommand(rig, ['install']);
  const env = { ...process.env, ...(await rigEnvironment(rig)) };
  const exists = (image) => succeeds('podman', ['image', 'exists', `docker.io/library/${image}`], { env });
  const major = dockerfileNodeMajor();

  // The stand-ins for node:*-bookworm-slim and postgres; about two minutes, once per machine.
  const missing = ['debian:bookworm-slim', `node:${major}-bookworm-slim`, 'postgres:15'].filter((image) => !exists(image));
  if (missing.length) say(`  building the rig's base images ${missing.join(', ')} (about 2 minutes, once per machine)`);
  if (!exists('debian:bookworm-slim')) await runCommand(rig, ['base-debian'], { env });
  if (!exists(`node:${major}-bookworm-slim`)) await runCommand(rig, ['base-node'], { env: { ...env, NODE_VERSION: major } });
  if (!exists('postgres:15')) await runCommand(rig, ['base-postgres'], { env: { ...env, PG_ALIAS_TAGS: 'postgres:16' } });
  if (!exists('postgres:16')) await runCommand('podman', ['tag', 'docker.io/library/postgres:15', 'docker.io/library/postgres:16'], { env });
  say('  note: the rig\'s postgres:16 is PostgreSQL 15 under that tag (no 16 in the Debian mirror)');

  const running = serviceRunning(env);
  await runCommand(rig, ['service-start'], { env });
  return {
    name: 'container rig (podman)',
    cli: 'podman',
    compose: ['docker-compose'],
    env,
    release: async () => {
      if (!running) await runCommand(rig, ['service-stop'], { env, allowFailure: true });
    },
  };
}

/** `rig.sh env` prints export lines; they point podman and docker-compose at the rig. */
async function rigEnvironment(rig) {
  const { stdout } = await runCommand(rig, ['env'], { echo: false });
  const env = {};
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('export ')) continue;
    for (const assignment of line.slice('export '.length).trim().split(/\s+/)) {
      const [name, ...value] = assignment.split('=');
      env[name] = value.join('=').replace(/^'(.*)'$/, '$1');
    }
  }
  return env;
}

function serviceRunning(env) {
  const pidFile = path.join(env.RIG_DIR || '/tmp/container-rig', 'run', 'service.pid');
  try {
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 0);
    return true;
  } catch {
    return false;
  }
}

async function prepareDocker() {
  if (!commandExists('docker') || !succeeds('docker', ['info'])) return undefined;
  let compose;
  if (succeeds('docker', ['compose', 'version'])) compose = ['docker', 'compose'];
  else if (commandExists('docker-compose')) compose = ['docker-compose'];
  else throw new Error('docker works but neither `docker compose` nor docker-compose is installed');
  say(`  using the Docker engine (${compose.join(' ')})`);
  return { name: 'docker', cli: 'docker', compose, env: { ...process.env }, release: async () => {} };
}

/** The Node major of the Dockerfile's default base image (ARG NODE_IMAGE=node:22-bookworm-slim). */
function dockerfileNodeMajor() {
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const match = /^ARG NODE_IMAGE=node:(\d+)-bookworm-slim$/m.exec(dockerfile);
  if (!match) throw new Error('the Dockerfile has no ARG NODE_IMAGE=node:<major>-bookworm-slim');
  return match[1];
}

module.exports = { prepareEngine, ROOT };
