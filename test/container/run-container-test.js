'use strict';
/**
 * `npm run test:container`: builds the image, checks what is in it, brings docker-compose.yml up
 * (PostgreSQL) and runs the README's curl examples against it, stops the app with a request in
 * flight, then does the same for docker-compose.sqlite.yml on a read-only root filesystem. Uses the
 * container rig (podman, offline) where it is, else a real Docker engine; with neither it skips,
 * except in CI (CI=true), where that fails. Prints every step and command as it goes.
 */
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');
const { ComposeStack } = require('./compose-stack');
const { prepareEngine, ROOT } = require('./engine');
const { checkImage } = require('./image-checks');
const { assert, check, finish, say, step, StepFailed } = require('./report');
const { checkPostgresStack, checkSqliteStack } = require('./stack-checks');

const IMAGE = 'order-service:container-test';

async function main() {
  say('container test: the Dockerfile and the compose files, built and run for real');
  let engine;
  try {
    engine = await step('finding a container engine', prepareEngine);
  } catch {
    return finish();
  }
  if (!engine) {
    const reason = 'neither the container rig (../shared/container-rig, or RIG=...) nor a working Docker engine is here';
    if (process.env.CI === 'true') {
      await check('a container engine is available (required in CI)', () => assert(false, reason));
      return finish();
    }
    say(`skipped: ${reason}`);
    return finish({ skipped: true });
  }

  const port = await choosePort();
  if (port !== 3000) say(`  port 3000 is taken here; the stacks publish ${port} and the README's URLs are rewritten to it`);
  const project = `ordersvc-ctest-${process.pid}`;
  const mailPort = await freePort();
  const postgres = new ComposeStack(engine, { project, file: 'docker-compose.yml', port, mailPort, image: IMAGE });
  const sqlite = new ComposeStack(engine, { project: `${project}-sqlite`, file: 'docker-compose.sqlite.yml', port, image: IMAGE });
  const cleanUp = async () => {
    for (const stack of [postgres, sqlite]) await stack.down({ allowFailure: true, echo: false });
    await engine.release();
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => cleanUp().finally(() => process.exit(130)));
  }

  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-container-test-'));
  try {
    // The queue and mail images too: `up` builds an image only when its tag is missing, so a
    // changed docker/*.Dockerfile would otherwise run as an earlier run built it.
    await step(`building the image ${IMAGE} and the queue and mail images with ${engine.name} (output in ${logDir}/build.log)`, () =>
      postgres.compose(['build', 'app', 'queue', 'mail'], { logFile: path.join(logDir, 'build.log'), timeoutMs: 900_000 }),
    );
    await checkImage(engine, IMAGE);
    await checkPostgresStack(postgres);
    await checkSqliteStack(sqlite);
  } catch (error) {
    if (!(error instanceof StepFailed)) await check('the container test ran to its end', () => { throw error; });
  } finally {
    say('▶ cleaning up (compose down -v)');
    await cleanUp();
  }
  const code = finish();
  // The build log is kept only when something failed.
  if (code === 0) fs.rmSync(logDir, { recursive: true, force: true });
  return code;
}

/** The README's port when it is free, so its examples run unchanged; any free port otherwise. */
async function choosePort() {
  const tryListen = (port) =>
    new Promise((resolve) => {
      const server = net.createServer().once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const bound = server.address().port;
        server.close(() => resolve(bound));
      });
    });
  return (await tryListen(3000)) ?? (await tryListen(0));
}

/** Any free port (the mail catcher's page). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

process.chdir(ROOT);
main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
