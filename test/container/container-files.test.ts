import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * What the container files promise, checked without a container engine (`npm run test:container`
 * builds and runs them for real). Fast, so a broken promise fails `npm test` everywhere.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const dockerfile = read('Dockerfile');
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

type Service = {
  image?: string;
  command?: string[];
  init?: boolean;
  read_only?: boolean;
  ports?: string[];
  volumes?: string[];
  env_file?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
};
const composeFile = (file: string) => parse(read(file), { merge: true }) as { services: Record<string, Service>; volumes: object };

describe('Dockerfile', () => {
  test('builds everywhere: no heredocs, no digest pins, a slim bookworm node base on a supported LTS line the project runs on', () => {
    expect(dockerfile).not.toMatch(/<<-?\s*['"]?\w+/);
    expect(dockerfile).not.toMatch(/@sha256:/);
    const base = /^ARG NODE_IMAGE=node:(\d+)-bookworm-slim$/m.exec(dockerfile);
    const engines = /(\d+)/.exec(JSON.parse(read('package.json')).engines.node);
    // Production runs a supported LTS line (Node 20 ended in April 2026) that the engines range admits.
    expect(Number(base?.[1])).toBeGreaterThanOrEqual(22);
    expect(Number(base?.[1])).toBeGreaterThanOrEqual(Number(engines?.[1]));
    expect(dockerfile.match(/^FROM .*/gm)).toEqual(expect.arrayContaining([expect.stringMatching(/^FROM \$\{NODE_IMAGE\} AS runtime$/)]));
  });

  test('the runtime stage gets production dependencies only, runs node as the node user under tini, with a node healthcheck', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtimeStage).toMatch(/COPY --from=prod-deps .*\/app\/node_modules/);
    expect(runtimeStage).toMatch(/^ENV NODE_ENV=production/m);
    expect(runtimeStage).toMatch(/^USER node$/m);
    expect(runtimeStage).toMatch(/^EXPOSE 3000$/m);
    expect(runtimeStage).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "-s", "--"\]$/m);
    // node's own flags may come first (the Dockerfile sets --max-semi-space-size), npm never does.
    expect(runtimeStage).toMatch(/^CMD \["node", ("--[^"]+", )*"dist\/service\/main\.js"\]$/m);
    expect(runtimeStage).toMatch(/^ {2}CMD \["node", "-e", ".*\/health\/live/m);
    expect(runtimeStage).not.toMatch(/npm (start|run)/);
  });

  test('.dockerignore lets in exactly what the Dockerfile copies from the build context', () => {
    const rules = read('.dockerignore').split('\n').filter((line) => line && !line.startsWith('#'));
    const allowed = rules.filter((rule) => rule.startsWith('!')).map((rule) => rule.slice(1).replace(/\/$/, ''));
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
    expect(rules[0]).toBe('*');
    expect(allowed.sort()).toEqual([...new Set(copied)].sort());
    expect(rules).toEqual(expect.arrayContaining(['**/node_modules', '**/*.sqlite', '**/.env']));
  });
});

describe('docker-compose.yml', () => {
  const { services, volumes } = composeFile('docker-compose.yml');

  test('db is postgres:16 with a pg_isready healthcheck and a named volume', () => {
    expect(services.db.image).toBe('postgres:16');
    expect(services.db.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
    expect(services.db.volumes).toEqual(['db-data:/var/lib/postgresql/data']);
    expect(Object.keys(volumes)).toEqual(['db-data']);
  });

  test('the app starts after the database and the queue are healthy and the migrate service has exited 0, under an init, on port 3000', () => {
    expect(services.migrate.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(services.app.depends_on).toEqual({
      db: { condition: 'service_healthy' },
      migrate: { condition: 'service_completed_successfully' },
      queue: { condition: 'service_healthy' },
    });
    expect(services.app.init).toBe(true);
    expect(services.app.read_only).toBe(true);
    expect(services.app.ports).toEqual(['${APP_BIND:-127.0.0.1}:${APP_PORT:-3000}:3000']);
    expect(services.app.environment).toMatchObject({
      NODE_ENV: 'production',
      DB_HOST: 'db',
      SEED_DEV_DATA: '${SEED_DEV_DATA:-true}',
      // The README's examples use the user_id header, which production refuses unless told.
      AUTH_MODE: 'header',
      ALLOW_INSECURE_HEADER_AUTH: 'true',
    });
    // The migrate command loads (and validates) the same configuration.
    expect(services.migrate.environment).toMatchObject({ AUTH_MODE: 'header', ALLOW_INSECURE_HEADER_AUTH: 'true' });
  });

  test('the worker runs the same image with its own command, consumes only, and starts once the queue is healthy and the mail catcher runs', () => {
    expect(services.worker.image).toBe(services.app.image);
    expect(services.worker.command?.at(-1)).toBe('dist/service/worker.js');
    expect(services.worker.environment).toMatchObject({ RELAY_ENABLED: 'false', MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail:1025' });
    expect(services.worker.depends_on).toMatchObject({ queue: { condition: 'service_healthy' }, mail: { condition: 'service_started' } });
    expect(services.mail.ports).toEqual(['${MAIL_BIND:-127.0.0.1}:${MAIL_PORT:-1080}:1080']);
  });

  test('QUEUE_URL names the FIFO queue docker/fauxqs-init.json makes, as the stand-in names it (sqs.<region>.<FAUXQS_HOST>)', () => {
    const init = JSON.parse(read('docker/fauxqs-init.json')) as { queues: Array<{ name: string; attributes: Record<string, string> }> };
    const host = /FAUXQS_HOST=(\S+)/.exec(read('docker/fauxqs.Dockerfile'))?.[1];
    const url = new URL(services.app.environment!.QUEUE_URL);
    const queue = init.queues.find((q) => q.name === url.pathname.split('/').at(-1));
    expect(url.hostname).toBe(`sqs.${services.app.environment!.AWS_REGION}.${host}`);
    expect(queue?.attributes).toMatchObject({ FifoQueue: 'true' });
    expect(JSON.parse(queue!.attributes.RedrivePolicy)).toMatchObject({ maxReceiveCount: '5' });
    expect(new URL(services.app.environment!.SQS_ENDPOINT).hostname).toBe('queue');
  });

  test('works on a fresh clone: no env_file, and .env.example documents exactly the variables the compose files read', () => {
    const files = ['docker-compose.yml', 'docker-compose.sqlite.yml'];
    for (const file of files) {
      expect(Object.values(composeFile(file).services).every((service) => service.env_file === undefined)).toBe(true);
    }
    const uncommented = (file: string) => read(file).replace(/^\s*#.*$/gm, '');
    const used = new Set(files.flatMap((file) => [...uncommented(file).matchAll(/\$\{(\w+)/g)].map((m) => m[1])));
    const documented = new Set([...read('.env.example').matchAll(/^(\w+)=/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...used].sort());
  });
});

describe('docker-compose.sqlite.yml', () => {
  test('runs the app alone on SQLite, its file in a named volume, on a read-only root filesystem', () => {
    const { services, volumes } = composeFile('docker-compose.sqlite.yml');
    expect(Object.keys(services)).toEqual(['app']);
    expect(services.app.environment?.SQLITE_PATH).toBe('/data/orders.sqlite');
    expect(services.app.volumes).toEqual(['sqlite-data:/data']);
    expect(Object.keys(volumes)).toEqual(['sqlite-data']);
    expect(services.app.read_only).toBe(true);
    expect(services.app.init).toBe(true);
  });
});
