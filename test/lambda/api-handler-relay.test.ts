import { createApiHandler, type ContainerHandler } from '../../service/serverless/api-handler';
import { createRelayHandler } from '../../service/serverless/relay-handler';
import { capturedLogger } from '../helpers/captured-logger';
import { README_ORDER } from '../helpers/orders';
import { bodiesOf } from '../helpers/outbox';
import { asResponse, httpApiEvent, lambdaContext, type HttpRequest } from '../helpers/http-api-event';
import { QueueEmulator } from '../helpers/queue-emulator';
import { invocationContext } from '../helpers/sqs-event';
import { onPostgres, openTestDatabase, type TestDatabase } from '../helpers/test-database';

describe('the API function relays the outbox after a changing request, before it answers', () => {
  let emulator: QueueEmulator;
  let database: TestDatabase;
  let queue: { url: string; dlqUrl: string };
  let queueNo = 0;
  const handlers: ContainerHandler[] = [];

  beforeAll(async () => {
    emulator = await QueueEmulator.start();
  });
  afterAll(() => emulator.stop());
  beforeEach(async () => {
    database = await openTestDatabase({ persistent: true });
    queue = await emulator.createFifoQueue(`api-relay-${process.pid}-${++queueNo}`);
  });
  afterEach(async () => {
    await Promise.all(handlers.splice(0).map((handler) => handler.close()));
    await database.dispose();
  });

  /** A container of the API function as the stack configures it: a queue, so no embedded worker. */
  const api = (env: Record<string, string> = {}, log = capturedLogger()) => {
    const handler = createApiHandler(
      { ...database.env, ...(onPostgres && { DB_POOL_SIZE: '1' }), NODE_ENV: 'test', LOG_LEVEL: 'warn', QUEUE_URL: queue.url, SQS_ENDPOINT: emulator.endpoint, RELAY_POLL_MS: '10', AWS_LAMBDA_FUNCTION_NAME: 'OrderService-staging-Api', ...env },
      { validateResponses: true, logDestination: log.stream },
    );
    handlers.push(handler);
    return (request: HttpRequest) => handler(httpApiEvent(request), lambdaContext()).then(asResponse);
  };
  const order = { method: 'POST', url: '/orders', headers: { user_id: '1' }, body: README_ORDER };
  const outbox = () => database.query<{ id: number; published: number }>('SELECT id, CASE WHEN published_at IS NULL THEN 0 ELSE 1 END AS published FROM order_events ORDER BY id');

  test('when an order is created, then its event is on the queue and marked published when the handler returns', async () => {
    const res = await api()(order);

    expect(res.status).toBe(201);
    expect(await outbox()).toEqual([{ id: expect.anything(), published: 1 }]);
    const [message, ...more] = await emulator.drain(queue.url);
    expect(more).toEqual([]);
    expect(bodiesOf([message])[0].event).toMatchObject({ orderId: res.json.id, type: 'created' });
    expect(message.Attributes?.MessageGroupId).toBe(String(res.json.id));
  });

  test('when a read is served, then it does not relay: an event left by an earlier request waits for the next change or the sweep', async () => {
    await api({ SQS_ENDPOINT: 'http://127.0.0.1:1' })(order);

    const read = await api()({ method: 'GET', url: '/orders', headers: { user_id: '1' } });

    expect(read.status).toBe(200);
    expect(await outbox()).toEqual([{ id: expect.anything(), published: 0 }]);
  });

  test('when the queue does not answer, then the order is still created (201), the event stays for the sweep, and EventsLeft is written', async () => {
    // GIVEN a container whose queue refuses connections
    const log = capturedLogger();
    const res = await api({ SQS_ENDPOINT: 'http://127.0.0.1:1' }, log)(order);

    // THEN the client got its order; the event waits in the outbox
    expect(res.status).toBe(201);
    expect(await outbox()).toEqual([{ id: expect.anything(), published: 0 }]);
    // AND the line CloudWatch turns into the EventsLeft metric the sweep watches
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        FunctionName: 'OrderService-staging-Api',
        EventsLeft: 1,
        _aws: expect.objectContaining({ CloudWatchMetrics: [{ Namespace: 'OrderService/Outbox', Dimensions: [['FunctionName']], Metrics: [{ Name: 'EventsLeft', Unit: 'Count' }] }] }),
      }),
    );

    // WHEN the sweep runs with the queue back
    await new Promise((resolve) => setTimeout(resolve, 50));
    const sweep = createRelayHandler({ ...database.env, NODE_ENV: 'test', QUEUE_URL: queue.url, SQS_ENDPOINT: emulator.endpoint });
    try {
      expect(await sweep(undefined, invocationContext('OrderService-staging-RelaySweep', 60_000))).toEqual({ swept: true, sent: 1 });
    } finally {
      await sweep.close();
    }
    // THEN the event is on the queue
    expect(bodiesOf(await emulator.drain(queue.url))[0].event).toMatchObject({ orderId: res.json.id, type: 'created' });
  });

  test('when the queue is too slow, then the answer goes out after the relay budget and the event is left for the sweep', async () => {
    // GIVEN a relay budget shorter than any publish can take
    const log = capturedLogger();
    const handler = createApiHandler(
      { ...database.env, ...(onPostgres && { DB_POOL_SIZE: '1' }), NODE_ENV: 'test', LOG_LEVEL: 'warn', QUEUE_URL: queue.url, SQS_ENDPOINT: emulator.endpoint, AWS_LAMBDA_FUNCTION_NAME: 'api' },
      { relayBudgetMs: 1, logDestination: log.stream },
    );
    handlers.push(handler);

    const res = asResponse(await handler(httpApiEvent(order), lambdaContext()));

    expect(res.status).toBe(201);
    expect(log.entries).toContainEqual(expect.objectContaining({ EventsLeft: 1, reason: 'the relay took longer than 1 ms' }));
  });
});
