import fs from 'node:fs';
import path from 'node:path';
import * as openDatabaseModule from '../../service/db/open-database';
import { createApiHandler, type ContainerHandler } from '../../service/serverless/api-handler';
import { asResponse, httpApiEvent, lambdaContext, type HttpRequest, type HttpResponse } from '../helpers/http-api-event';
import { onPostgres, openTestDatabase, type TestDatabase } from '../helpers/test-database';

const ROOT = path.resolve(__dirname, '..', '..');
const SERVICE = 'http://localhost:3000';

/** The README's curl examples for the local service, in order, as requests and the status each comment states. */
function readmeExamples(): Array<{ comment: string; request: HttpRequest; status: number }> {
  const lines = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n');
  const examples: Array<{ comment: string; request: HttpRequest; status: number }> = [];
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
    else if (line.startsWith('curl ') && line.includes(SERVICE)) {
      const first = i;
      while (lines[i].endsWith('\\')) i++;
      const command = lines.slice(first, i + 1).map((l) => l.replace(/\\$/, '')).join(' ');
      examples.push({ comment, request: fromCurl(command), status: Number(/\b[1-5]\d\d\b/.exec(comment)?.[0] ?? 200) });
    }
  }
  return examples;
}

/** curl's -X, -H and -d, with single-quoted arguments, as the README writes them. */
function fromCurl(command: string): HttpRequest {
  const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
  let method = 'GET';
  let url = '';
  let body: string | undefined;
  const headers: Record<string, string> = {};
  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (word === '-X') method = words[++i];
    else if (word === '-H') {
      const [name, ...value] = words[++i].split(':');
      headers[name.trim()] = value.join(':').trim();
    } else if (word === '-d') {
      body = words[++i];
      if (method === 'GET') method = 'POST';
    } else if (word.startsWith(SERVICE)) url = word.slice(SERVICE.length);
  }
  return { method, url, headers, body };
}

describe('the Lambda handler, with API Gateway HTTP API events, on the real app and database', () => {
  let database: TestDatabase;
  let handler: ContainerHandler;
  const invoke = async (request: HttpRequest): Promise<HttpResponse> => asResponse(await handler(httpApiEvent(request), lambdaContext()));

  beforeAll(async () => {
    database = await openTestDatabase({ persistent: true });
    handler = createApiHandler(
      { ...database.env, ...(onPostgres && { DB_POOL_SIZE: '1' }), NODE_ENV: 'test', WORKER_EMBEDDED: 'false' },
      { validateResponses: true },
    );
  });
  afterAll(async () => {
    await handler?.close();
    await database?.dispose();
  });

  describe('every README example', () => {
    const examples = readmeExamples();

    test('the README has the nine examples this walks through', () => {
      expect(examples.map((e) => `${e.request.method} ${e.request.url}`)).toEqual([
        'POST /orders',
        'GET /orders',
        'PATCH /orders/1/tracking',
        'PATCH /orders/1/tracking',
        'PATCH /orders/1/status',
        'PATCH /orders/1/cancel',
        'GET /marketplaces',
        'POST /orders',
        'POST /orders',
      ]);
    });

    test.each(examples.map((e, i) => [i + 1, e.comment, e] as const))('example %i (%s) answers as its comment says', async (_n, comment, example) => {
      // WHEN the example's request reaches the handler as API Gateway's event
      const res = await invoke(example.request);

      // THEN the status and the headers the comment names come back
      expect(res.status).toBe(example.status);
      const location = /Location: (\S+)/.exec(comment)?.[1];
      if (location) expect(res.headers.location).toBe(location);
      if (comment.includes('WWW-Authenticate')) expect(res.headers['www-authenticate']).toMatch(/^Bearer|^UserId|realm/i);
      if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      // Each "member":value the comment quotes, as the compact JSON body has it.
      for (const [member] of comment.matchAll(/"\w+":("\w+"|null|\d+)/g)) expect(res.text).toContain(member);
    });
  });

  test('when the body arrives base64-encoded, then it is decoded: the order is created', async () => {
    const res = await invoke({
      method: 'POST',
      url: '/orders',
      headers: { user_id: '2', 'content-type': 'application/json' },
      body: JSON.stringify({ products: [{ id: 3, quantity: 2 }] }),
      base64: true,
    });

    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ userId: 2, products: [{ productId: 3, quantity: 2 }] });
    expect(res.headers.location).toBe(`/orders/${res.json.id}`);
  });

  test('when the request is invalid, then the 400 problem+json names the field, with the request id echoed', async () => {
    const res = await invoke({
      method: 'POST',
      url: '/orders',
      headers: { user_id: '1', 'x-request-id': 'lambda-test-1' },
      body: { products: [{ id: 1, quantity: 0 }] },
    });

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['x-request-id']).toBe('lambda-test-1');
    expect(res.json).toMatchObject({ status: 400, requestId: 'lambda-test-1', errors: [expect.objectContaining({ path: expect.stringContaining('quantity') })] });
  });

  test('when an order is read, then ETag comes back, and If-None-Match with it answers 304 with no body', async () => {
    const created = await invoke({ method: 'POST', url: '/orders', headers: { user_id: '3' }, body: { products: [{ id: 4, quantity: 1 }] } });

    const read = await invoke({ method: 'GET', url: created.headers.location, headers: { user_id: '3' } });
    expect(read.status).toBe(200);
    expect(read.headers.etag).toMatch(/^(W\/)?"/);

    const again = await invoke({ method: 'GET', url: created.headers.location, headers: { user_id: '3', 'if-none-match': read.headers.etag } });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
  });

  test('when a create is retried with the same Idempotency-Key, then the first answer is replayed and nothing is ordered twice', async () => {
    const request: HttpRequest = {
      method: 'POST',
      url: '/orders',
      headers: { user_id: '4', 'idempotency-key': 'lambda-retry-1' },
      body: { products: [{ id: 5, quantity: 1 }] },
    };
    const first = await invoke(request);
    const retry = await invoke(request);

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.json).toEqual(first.json);
    const rows = await database.query<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM orders WHERE user_id = ?', [4]);
    expect(Number(rows[0].n)).toBe(1);
  });

  test('when a query string is sent, then the app sees it: a filtered list', async () => {
    const res = await invoke({ method: 'GET', url: '/orders?status=cancelled&limit=5', headers: { user_id: '1' } });

    expect(res.status).toBe(200);
    expect(res.json.data.map((o: { status: string }) => o.status)).toEqual(['cancelled']);
  });

  test('when the contract and the docs page are asked for, then text comes as text and the favicon as base64', async () => {
    const contract = await handler(httpApiEvent({ method: 'GET', url: '/openapi.yaml' }), lambdaContext());
    expect(contract.isBase64Encoded).toBe(false);
    expect(contract.body).toContain('openapi: 3.');

    const icon = await handler(httpApiEvent({ method: 'GET', url: '/docs/favicon-32x32.png' }), lambdaContext());
    expect(icon.statusCode).toBe(200);
    expect(icon.isBase64Encoded).toBe(true);
    expect(Buffer.from(icon.body!, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  test('when HEAD is sent, then the headers of the GET come back without a body', async () => {
    const res = await invoke({ method: 'HEAD', url: '/orders/1', headers: { user_id: '1' } });

    expect(res.status).toBe(200);
    expect(res.headers.etag).toBeDefined();
    expect(res.text).toBe('');
  });

  test('when many requests reach one container, then it opened its database once, on the first', async () => {
    // GIVEN a fresh container
    const opened = jest.spyOn(openDatabaseModule, 'openDatabase');
    const container = createApiHandler({ ...database.env, NODE_ENV: 'test' });
    try {
      // WHEN five requests come one after another
      for (let i = 0; i < 5; i++) {
        expect(asResponse(await container(httpApiEvent({ method: 'GET', url: '/orders', headers: { user_id: '1' } }), lambdaContext())).status).toBe(200);
      }

      // THEN the database was opened once, and every request reused it
      expect(opened).toHaveBeenCalledTimes(1);
    } finally {
      opened.mockRestore();
      await container.close();
    }
  });
});
