import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import { DOCS_PATH } from '../../service/docs/docs-routes';
import { checkResponse, findOperation, validateProblem } from './contract';

/** One response seen by a test, as the spec-coverage reporter reads it. */
export interface RecordedResponse {
  operationId: string | null;
  status: number;
  violations: string[];
  test: string;
}

/**
 * Wraps the app so that every response a test receives is checked against openapi.yaml and
 * recorded. A response that breaks the contract is replaced by a 500 naming the violations, so the
 * test that provoked it fails on the spot; the reporter then lists what was never exercised.
 */
export function recordingApp(app: Express): Express {
  const outer = express();
  outer.disable('x-powered-by');
  outer.use((req, res, next) => {
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk) chunks.push(Buffer.from(chunk as string));
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
      // A response to a connection already cut (a forced shutdown) reaches no client.
      if (req.socket.destroyed) return end(chunk, ...rest);
      const body = Buffer.concat(chunks).toString('utf8');
      const urlPath = req.originalUrl.split('?')[0];
      const op = findOperation(req.method, urlPath);
      const contentType = String(res.getHeader('content-type') ?? '').split(';')[0].trim();
      const violations = [
        ...exposure(res, body),
        ...(req.method === 'HEAD' || isCorsPreflight(req) ? [] : check(op, urlPath, res.statusCode, contentType, body)),
      ];
      record({ operationId: op?.operationId ?? null, status: res.statusCode, violations, test: currentTest() });
      if (violations.length && !res.headersSent) {
        const replacement = JSON.stringify({ title: 'Response does not match openapi.yaml', status: res.statusCode, violations, body });
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Content-Length', Buffer.byteLength(replacement));
        return end(replacement);
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    next();
  });
  outer.use(app);
  return outer;
}

function check(op: ReturnType<typeof findOperation>, urlPath: string, status: number, contentType: string, body: string): string[] {
  try {
    if (op) return checkResponse(op, status, contentType, body);
    // The docs page and its assets are HTML, CSS and scripts for people, outside the contract on
    // purpose (docs/api.md documents them); their errors are still problem documents.
    if (isDocsRoute(urlPath) && status < 400) return [];
    // Outside every operation only errors are possible, and they are problem documents too.
    if (contentType !== 'application/problem+json') return [`an undocumented route answered ${status} ${contentType}`];
    return validateProblem(JSON.parse(body)) ? [] : [`not a problem document: ${JSON.stringify(validateProblem.errors)}`];
  } catch (error) {
    return [`unreadable body: ${(error as Error).message}`];
  }
}

/** What no response may lack or leak, errors included: helmet's headers, and internals. */
const INTERNALS = /\n\s+at |node_modules|\.(ts|js):\d+|QueryFailedError|SQLITE_|syntax error at or near|violates .* constraint|relation "/;

function exposure(res: express.Response, body: string): string[] {
  const violations: string[] = [];
  if (res.getHeader('x-content-type-options') !== 'nosniff') violations.push("helmet's X-Content-Type-Options is missing");
  if (!res.getHeader('content-security-policy')) violations.push("helmet's Content-Security-Policy is missing");
  if (!res.getHeader('strict-transport-security')) violations.push("helmet's Strict-Transport-Security is missing");
  if (res.getHeader('x-powered-by')) violations.push('X-Powered-By gives the framework away');
  if (res.statusCode >= 400 && INTERNALS.test(body)) violations.push('an error response shows internals (a stack trace or SQL)');
  return violations;
}

/** A browser's CORS preflight, answered by the CORS middleware without a body. */
function isCorsPreflight(req: express.Request): boolean {
  return req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
}

function isDocsRoute(urlPath: string): boolean {
  return urlPath === DOCS_PATH || urlPath.startsWith(`${DOCS_PATH}/`);
}

function record(entry: RecordedResponse): void {
  const dir = process.env.SPEC_COVERAGE_DIR;
  if (!dir) return;
  fs.appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${JSON.stringify(entry)}\n`);
}

function currentTest(): string {
  const state = expect.getState();
  return `${path.basename(state.testPath ?? '?')} › ${state.currentTestName ?? '(outside a test)'}`;
}
