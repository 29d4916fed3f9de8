import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, type TestApp } from '../helpers/test-app';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVICE = 'http://localhost:3000';
const DOCUMENTS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

interface Example {
  /** `file:line` of the command's first line. */
  readonly where: string;
  /** The comment lines above it, joined (a comment covers the commands up to the next blank line). */
  readonly comment: string;
  /** As written, continuation lines included. */
  readonly command: string;
}

/** Every command in a document's fenced blocks that starts with `curl`, in document order. */
function curlCommands(file: string): Example[] {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const examples: Example[] = [];
  let fenced = false;
  let comment = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('```')) {
      fenced = !fenced;
      comment = '';
    } else if (!fenced) continue;
    else if (line.trim() === '') comment = '';
    else if (line.startsWith('#')) comment = `${comment} ${line.replace(/^#\s*/, '')}`.trim();
    else if (line.startsWith('curl ')) {
      const first = i;
      while (lines[i].endsWith('\\')) i++;
      examples.push({ where: `${file}:${first + 1}`, comment, command: lines.slice(first, i + 1).join('\n') });
    }
  }
  return examples;
}

/**
 * Which examples this test runs: those aimed at the local service. Sending a bearer token needs a
 * service in jwt mode that trusts `npm run token`'s key, minted in the same shell:
 * test/auth/dev-token.test.ts runs that flow. Everything left out is named in the first test, so
 * a new example that cannot run here fails it until the rule or the example changes.
 */
function leftOutBecause({ command }: Example): string | undefined {
  if (!command.includes(SERVICE)) return `not aimed at ${SERVICE}`;
  if (/Authorization: Bearer/.test(command)) return 'sends a bearer token from npm run token';
  return undefined;
}

/** The status the example's comment states (its first three-digit number), else 200. */
function statedStatus(comment: string): number {
  return Number(/\b[1-5]\d\d\b/.exec(comment)?.[0] ?? 200);
}

const run = promisify(execFile);

/** Runs the command as written with the real curl, the port changed; the last line is the status. */
async function curl(command: string, port: number): Promise<{ status: number; output: string }> {
  // Defined in the shell, so that the command's own text stays as written.
  const harness = `curl() { command curl --silent --show-error --noproxy '*' --max-time 10 --write-out '\\n%{http_code}' "$@"; }`;
  const { stdout } = await run('bash', ['-c', `${harness}\n${command.replaceAll(SERVICE, `http://localhost:${port}`)}`]);
  const lines = stdout.trimEnd().split('\n');
  return { status: Number(lines.pop()), output: lines.join('\n').slice(0, 600) };
}

const found = DOCUMENTS.map((file) => ({ file, examples: curlCommands(file) }));

test('when the documents are read, then every curl example runs here except the bearer-token ones', () => {
  const leftOut = found.flatMap(({ examples }) => examples.filter(leftOutBecause).map((e) => `${e.where.replace(/:\d+$/, '')}: ${leftOutBecause(e)}`));

  expect(leftOut).toEqual([
    'docs/authentication.md: sends a bearer token from npm run token',
    'docs/authentication.md: sends a bearer token from npm run token',
  ]);
  expect(found.find(({ file }) => file === 'README.md')?.examples.filter((e) => !leftOutBecause(e))).toHaveLength(9);
});

for (const { file, examples } of found) {
  const runnable = examples.filter((e) => !leftOutBecause(e));
  if (!runnable.length) continue;

  // One fresh seeded database per document: each page's examples stand on their own, in order.
  describe(`the curl examples of ${file}, in order, on a fresh database`, () => {
    let t: TestApp;
    let port: number;
    beforeAll(async () => {
      t = await createTestApp();
      const server = t.listen();
      await new Promise((resolve) => server.once('listening', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => t.close());

    test.each(runnable.map((e) => [e.where, statedStatus(e.comment), e] as const))(
      'when %s runs, then it answers %i as its comment says',
      async (_where, status, example) => {
        const answer = await curl(example.command, port);

        expect({ status: answer.status, comment: example.comment, output: answer.output }).toEqual(
          expect.objectContaining({ status }),
        );
      },
    );
  });
}
