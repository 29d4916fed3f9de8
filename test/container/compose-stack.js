'use strict';
/** One compose project of this repository's compose files, under a name of the test's own. */
const { setTimeout: delay } = require('node:timers/promises');
const { ROOT } = require('./engine');
const { runCommand } = require('./run-command');

class ComposeStack {
  /**
   * @param {import('./engine').Engine} engine
   * @param {{ project: string, file: string, port: number, mailPort?: number, image: string }} options
   */
  constructor(engine, { project, file, port, mailPort, image }) {
    this.engine = engine;
    this.project = project;
    this.file = file;
    this.port = port;
    this.image = image;
    this.baseUrl = `http://127.0.0.1:${port}`;
    /** The mail catcher's page and API (docker-compose.yml's maildev). */
    this.mailUrl = mailPort ? `http://127.0.0.1:${mailPort}` : undefined;
    // Only what the test must choose; everything else is the compose file's own default.
    this.env = {
      ...engine.env,
      APP_BIND: '127.0.0.1',
      APP_PORT: String(port),
      APP_IMAGE: image,
      ...(mailPort && { MAIL_BIND: '127.0.0.1', MAIL_PORT: String(mailPort), QUEUE_IMAGE: `${image}-queue`, MAIL_IMAGE: `${image}-mail` }),
    };
  }

  /** `docker-compose -p <project> -f <file> ...args` (or `docker compose ...`). */
  compose(args, options = {}) {
    const [command, ...prefix] = this.engine.compose;
    return runCommand(command, [...prefix, '-p', this.project, '-f', this.file, ...args], { env: this.env, cwd: ROOT, ...options });
  }

  /** podman or docker, with the engine's environment. */
  cli(args, options = {}) {
    return runCommand(this.engine.cli, args, { env: this.env, ...options });
  }

  /** The id of the service's container, running or not. */
  async containerId(service) {
    const { stdout } = await this.compose(['ps', '-a', '-q', service], { echo: false });
    const id = stdout.trim().split('\n').filter(Boolean)[0];
    if (!id) throw new Error(`no container for service ${service}`);
    return id;
  }

  /** `inspect --format` on a container. */
  async inspect(id, format) {
    return (await this.cli(['inspect', '--format', format, id], { echo: false })).stdout.trim();
  }

  /** The service's log lines that are JSON (pino's), parsed. */
  async logEntries(id) {
    const { stdout, stderr } = await this.cli(['logs', id], { echo: false });
    return `${stdout}\n${stderr}`.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
  }

  /** Resolves once GET /health/ready answers 200; throws with the app's logs after `seconds`. */
  async waitReady(seconds = 120) {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
      const status = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(2000) }).then(
        (res) => res.status,
        () => 0,
      );
      if (status === 200) return;
      await delay(500);
    }
    const { stdout } = await this.compose(['logs', '--tail=30'], { allowFailure: true, echo: false });
    throw new Error(`${this.baseUrl}/health/ready did not answer 200 within ${seconds} s; logs:\n${stdout}`);
  }

  /** A request to the app with a user, as the README's callers make. */
  async request(method, path, userId, body) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { user_id: String(userId), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, headers: res.headers, json: await res.json().catch(() => undefined) };
  }

  /** `down -v`: containers, network and volumes. */
  down(options = {}) {
    return this.compose(['down', '-v', '--remove-orphans', '--timeout', '15'], options);
  }

  /** The volumes compose created for this project (empty once it is down). */
  async volumes() {
    const { stdout } = await this.cli(['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${this.project}`], { echo: false });
    return stdout.trim().split('\n').filter(Boolean);
  }
}

module.exports = { ComposeStack };
