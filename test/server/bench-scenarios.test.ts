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
