import path from 'node:path';
import { ROOT } from '../helpers/built-service';

/** The benchmark's scenarios (bench/lib/scenarios.js, plain CommonJS): what each request is. */
interface Request {
  method?: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
type Context = Record<string, unknown>;
/** One run's request, as autocannon uses it: built before it is sent, told of its answer. */
interface ScenarioRequest {
  method: string;
  setupRequest(req: object, context: Context): Request;
  onResponse(status: number, body: string, context: Context): void;
}
interface Scenario {
  request(data: unknown, fail: (error: Error) => void): ScenarioRequest;
}
const { SCENARIOS, pendingOrdersNeeded } = require(path.join(ROOT, 'bench', 'lib', 'scenarios')) as {
  SCENARIOS: Record<string, Scenario>;
  pendingOrdersNeeded(settings: { database: string; rounds: number; seconds: number; warmupSeconds: number }): number;
};

/**
 * One run (one call of `request`, as load() makes) as autocannon drives it with one connection:
 * each request built, sent and answered (`answer` gives the status) before the next.
 */
function run(data: unknown, count: number, { answer = 200, fail = () => undefined }: { answer?: number; fail?: (error: Error) => void } = {}) {
  const scenario = SCENARIOS['change-status'].request(data, fail);
  return Array.from({ length: count }, () => {
    const context: Context = {};
    const req = scenario.setupRequest({}, context);
    scenario.onResponse(answer, '', context);
    return summary(scenario, req);
  });
}

function summary(scenario: ScenarioRequest, req: Request) {
  return { method: req.method ?? scenario.method, path: req.path, userId: req.headers.user_id, status: req.body && JSON.parse(req.body).status };
}

const seeded = () => ({ pendingOrders: [{ id: 1001, userId: 51 }, { id: 1002, userId: 52 }] });

describe('the change-status scenario (bench/lib/scenarios.js)', () => {
  test('when every change is answered, then every order takes a step before any takes the next, across runs', () => {
    const data = seeded();
    expect([...run(data, 3), ...run(data, 3)]).toEqual([
      { method: 'PATCH', path: '/orders/1001/status', userId: '51', status: 'processing' },
      { method: 'PATCH', path: '/orders/1002/status', userId: '52', status: 'processing' },
      { method: 'PATCH', path: '/orders/1001/status', userId: '51', status: 'shipped' },
      { method: 'PATCH', path: '/orders/1002/status', userId: '52', status: 'shipped' },
      { method: 'PATCH', path: '/orders/1001/status', userId: '51', status: 'delivered' },
      { method: 'PATCH', path: '/orders/1002/status', userId: '52', status: 'delivered' },
    ]);
  });

  test('when a change is not answered yet, then the order gets no further step until it is', () => {
    const scenario = SCENARIOS['change-status'].request(seeded(), () => undefined);
    const [late, answered, next] = [{}, {}, {}];
    expect(summary(scenario, scenario.setupRequest({}, late)).path).toBe('/orders/1001/status');
    expect(summary(scenario, scenario.setupRequest({}, answered)).path).toBe('/orders/1002/status');
    scenario.onResponse(200, '', answered);
    expect(summary(scenario, scenario.setupRequest({}, next))).toMatchObject({ path: '/orders/1002/status', status: 'shipped' });
    scenario.onResponse(200, '', late);
    expect(summary(scenario, scenario.setupRequest({}, {}))).toMatchObject({ path: '/orders/1001/status', status: 'shipped' });
  });

  test("when another server's database is used, then it has orders of its own", () => {
    const first = seeded();
    run(first, 2);
    expect(run(seeded(), 1)[0].status).toBe('processing');
    expect(run(first, 1)[0].status).toBe('shipped');
  });

  test('when a change is refused, then its order is not sent again', () => {
    const data = seeded();
    run(data, 1, { answer: 409 });
    expect(run(data, 2).map((req) => `${req.path} ${req.status}`)).toEqual(['/orders/1002/status processing', '/orders/1002/status shipped']);
  });

  test('when every order is delivered, then the run is failed and the rest only reads', () => {
    const data = seeded();
    run(data, 6);
    const fail = jest.fn();
    expect(run(data, 1, { fail })[0]).toMatchObject({ method: 'GET', path: '/orders/1001' });
    expect(fail).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('ran out of pending orders') }));
  });

  test('when a benchmark runs longer, then more pending orders are seeded for it, and never fewer than 10,000', () => {
    const needed = (seconds: number) => pendingOrdersNeeded({ database: 'sqlite', rounds: 3, seconds, warmupSeconds: 3 });
    expect(needed(27)).toBe(3 * needed(7));
    expect(pendingOrdersNeeded({ database: 'postgres', rounds: 1, seconds: 0, warmupSeconds: 0 })).toBe(10_000);
  });
});

describe('the hot-product scenario (bench/lib/scenarios.js)', () => {
  test('when it runs, then every request is a new order for one unit of the same product, from every user in turn', () => {
    const data = { users: [1, 2, 3], products: [7, 8, 9], orders: [], pendingOrders: [] };
    const scenario = SCENARIOS['hot-product'].request(data, () => undefined);
    const sent = Array.from({ length: 4 }, () => scenario.setupRequest({}, {}));

    expect(sent.map((req) => [req.method ?? scenario.method, req.path, req.headers.user_id, JSON.parse(req.body!)])).toEqual([
      ['POST', '/orders', '1', { products: [{ id: 7, quantity: 1 }] }],
      ['POST', '/orders', '2', { products: [{ id: 7, quantity: 1 }] }],
      ['POST', '/orders', '3', { products: [{ id: 7, quantity: 1 }] }],
      ['POST', '/orders', '1', { products: [{ id: 7, quantity: 1 }] }],
    ]);
    expect(sent.every((req) => req.headers['content-type'] === 'application/json')).toBe(true);
  });
});

describe('the benchmark report (bench/lib/report.js)', () => {
  const { summarize, markdownTable } = require(path.join(ROOT, 'bench', 'lib', 'report')) as {
    summarize(runs: object[]): Array<Record<string, any>>;
    markdownTable(rows: object[]): string;
  };
  const run = (server: string, reqPerSec: number, roundTrips: number | null, statements: number) => ({
    database: 'postgres', scenario: 'hot-product', round: 1, server, reqPerSec, p50Ms: 5, p99Ms: 10, non2xx: 0, errors: 0, timeouts: 0,
    peakRssMb: 100, serverCpuPct: 90, databaseCpuPct: 10, loadCpuPct: 20, otherCpuPct: 0,
    serverCpuUsPerRequest: 900, databaseCpuUsPerRequest: 100, statementsPerRequest: statements, roundTripsPerRequest: roundTrips,
  });

  test('when a new order takes more than 4 round trips, then the row misses the round-trip target and the table shows the counts', () => {
    const [row] = summarize([run('service', 600, 7, 7), run('baseline', 1000, 8, 8)]);

    expect(row.service).toMatchObject({ statementsPerRequest: 7, roundTripsPerRequest: 7, serverCpuUsPerRequest: 900 });
    expect(row.checks).toMatchObject({ throughput: true, roundTrips: false });
    expect(markdownTable([row])).toContain('| 900 + 100 | 7.00 | 7.00 |');
    expect(markdownTable([row])).toContain('**missed: roundTrips**');
  });

  test('when round trips are not counted (SQLite), then no round-trip target is checked', () => {
    const [row] = summarize([{ ...run('service', 600, null, 7), database: 'sqlite' }, { ...run('baseline', 1000, null, 8), database: 'sqlite' }]);

    expect(row.checks.roundTrips).toBeUndefined();
    expect(row.service.roundTripsPerRequest).toBeNull();
  });
});
