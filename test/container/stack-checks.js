'use strict';
/** The compose stacks, up for real: PostgreSQL (docker-compose.yml) and SQLite (docker-compose.sqlite.yml). */
const { setTimeout: delay } = require('node:timers/promises');
const { checkReadmeExamples } = require('./readme-examples');
const { assert, check, step } = require('./report');
const { startSlowRequest } = require('./slow-request');

/** What the README promises of `docker compose up`, then a graceful stop and a restart. */
async function checkPostgresStack(stack) {
  await step(`docker-compose.yml up (project ${stack.project}, http://localhost:${stack.port})`, async () => {
    await stack.compose(['up', '-d']);
    await stack.waitReady();
  });
  const app = await stack.containerId('app');

  await check('the migrate service applied the migrations and exited 0 before the app started', async () => {
    const migrate = await stack.containerId('migrate');
    const exitCode = await stack.inspect(migrate, '{{.State.ExitCode}}');
    assert(exitCode === '0', `migrate exited ${exitCode}`);
    const applied = (await stack.logEntries(migrate)).find((entry) => entry.msg === 'migrations applied');
    assert(applied, 'migrate did not log "migrations applied"');
    const appLogs = (await stack.logEntries(app)).map((entry) => entry.msg);
    assert(appLogs.includes('schema up to date'), 'the app found migrations still to apply');
    assert(appLogs.includes('development seed loaded'), 'the app did not load the development seed');
    return `applied ${applied.applied.join(', ')}`;
  });

  await check('the app container runs as a non-root user, under an init, on a read-only root filesystem', async () => {
    const uid = (await stack.cli(['exec', app, 'id', '-u'])).stdout.trim();
    assert(uid !== '0' && uid !== '', `id -u printed "${uid}"`);
    const [init, readOnly] = (await stack.inspect(app, '{{.HostConfig.Init}} {{.HostConfig.ReadonlyRootfs}}')).split(' ');
    assert(init === 'true', 'init: true is not in effect');
    assert(readOnly === 'true', 'the root filesystem is writable');
    return `uid ${uid}`;
  });

  await checkReadmeExamples(stack.port);

  await check('the README\'s order reached its owner by email: the worker sent it through the queue, maildev shows it', async () => {
    const wanted = 'We received your order #1';
    let mails = [];
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await delay(500)) {
      mails = await fetch(`${stack.mailUrl}/api/email`).then((res) => (res.ok ? res.json() : []), () => []);
      if (mails.some((mail) => mail.subject === wanted)) break;
    }
    const mail = mails.find((m) => m.subject === wanted);
    if (!mail) {
      // What the path's three processes said, so a failure here can be read from the CI record alone.
      const said = async (service) => (await stack.compose(['logs', '--tail=25', service], { allowFailure: true, echo: false })).stdout;
      const logs = (await Promise.all(['app', 'worker', 'queue', 'mail'].map(said))).join('\n');
      assert(false, `maildev at ${stack.mailUrl} holds: ${mails.map((m) => m.subject).join('; ') || 'nothing'}; logs:\n${logs}`);
    }
    const to = (mail.to ?? []).map((address) => address.address);
    assert(to.includes('ada@example.com'), `sent to ${to.join(', ')}`);
    const worker = (await stack.logEntries(await stack.containerId('worker'))).map((entry) => entry.msg);
    assert(worker.includes('worker consuming order events'), 'the worker never started consuming');
    return `"${wanted}" to ${to.join(', ')}; ${mails.length} email(s) in maildev`;
  });

  const order = await checkShutdownWithRequestInFlight(stack, app);

  await check('after a restart on the same volume, the order created during the shutdown is there and nothing is seeded twice', async () => {
    assert(order, 'no order was created during the shutdown');
    await stack.cli(['start', app]);
    await stack.waitReady();
    const list = await stack.request('GET', '/orders', 2);
    assert(list.status === 200 && list.json.data.some((o) => o.id === order.id), `GET /orders as user 2: ${JSON.stringify(list.json)}`);
    const seeded = (await stack.logEntries(app)).filter((entry) => entry.msg === 'development seed loaded');
    assert(seeded.length === 1, `the seed was loaded ${seeded.length} times`);
    return `order ${order.id}`;
  });

  await check('down -v removes the containers and the database volume', async () => {
    await stack.down();
    const left = await stack.volumes();
    assert(left.length === 0, `volumes left: ${left.join(', ')}`);
  });
}

/**
 * SIGTERM arrives while a POST is in flight (headers sent, body not yet complete, so the server
 * cannot have answered): the request must still get its 201, and the container exit 0 within 10 s,
 * by the graceful shutdown rather than a SIGKILL.
 */
async function checkShutdownWithRequestInFlight(stack, app) {
  let order;
  await check('SIGTERM with a request in flight: the request completes with 201, the container exits 0 within 10 s', async () => {
    const slow = await startSlowRequest({ port: stack.port, path: '/orders', headers: { user_id: 2 }, body: { products: [{ id: 3, quantity: 2 }] } });
    await delay(500);
    const signalled = Date.now();
    await stack.cli(['kill', '--signal', 'SIGTERM', app]);
    const exited = stack.cli(['wait', app], { timeoutMs: 15_000 }).then(
      ({ stdout }) => ({ code: stdout.trim(), at: Date.now() }),
      () => ({ code: 'nothing: it was still running 15 s after SIGTERM', at: Date.now() }),
    );
    await delay(1500);
    assert((await stack.inspect(app, '{{.State.Running}}')) === 'true', 'the container stopped before the request in flight completed');
    assert(slow.unanswered(), 'the request was answered before its body was complete');

    const response = await slow.finish();
    const exit = await exited;
    const seconds = ((exit.at - signalled) / 1000).toFixed(1);
    assert(response.status === 201, `the request in flight got ${response.status}: ${response.body.slice(0, 200)}`);
    order = JSON.parse(response.body);
    assert(exit.code === '0', `the container exited ${exit.code}`);
    assert(Number(seconds) < 10, `the container took ${seconds} s to exit`);

    const logs = await stack.logEntries(app);
    const draining = logs.find((entry) => entry.msg === 'shutting down: draining');
    const completed = logs.find((entry) => entry.msg === 'request completed' && entry.userId === 2 && entry.res?.statusCode === 201);
    assert(draining && completed && completed.time > draining.time, 'the app did not log the 201 after it began shutting down');
    assert(logs.some((entry) => entry.msg === 'shutdown complete'), 'the app did not log "shutdown complete"');
    assert(!logs.some((entry) => /cutting off/.test(entry.msg)), 'requests were cut off');
    return `201 for order ${order.id} after the signal; exit 0 ${seconds} s after SIGTERM`;
  });
  return order;
}

/** docker-compose.sqlite.yml: SQLite in a volume, on a read-only root filesystem. */
async function checkSqliteStack(stack) {
  await step(`docker-compose.sqlite.yml up (project ${stack.project})`, async () => {
    await stack.compose(['up', '-d']);
    await stack.waitReady();
  });
  const app = await stack.containerId('app');

  await check('SQLite variant: the root filesystem is read-only, and orders are stored in the /data volume', async () => {
    assert((await stack.inspect(app, '{{.HostConfig.ReadonlyRootfs}}')) === 'true', 'the root filesystem is writable');
    const write = await stack.cli(['exec', app, 'touch', '/app/probe'], { allowFailure: true });
    assert(write.code !== 0 && /read-only/i.test(write.stderr + write.stdout), `writing to /app: exit ${write.code} ${write.stderr}`);
    const created = await stack.request('POST', '/orders', 1, { products: [{ id: 9, quantity: 7 }, { id: 1, quantity: 1 }] });
    assert(created.status === 201 && created.json.total === 3622, `POST /orders: ${created.status} ${JSON.stringify(created.json)}`);
    const read = await stack.request('GET', `/orders/${created.json.id}`, 1);
    assert(read.status === 200, `GET /orders/${created.json.id}: ${read.status}`);
    const files = (await stack.cli(['exec', app, 'ls', '/data'])).stdout.trim().split('\n');
    assert(files.includes('orders.sqlite'), `/data holds ${files.join(', ')}`);
    return `/data: ${files.join(', ')}`;
  });

  await check('SQLite variant: without a queue the service mails in-process, as .eml files in the volume', async () => {
    let mails = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await delay(500)) {
      const listed = await stack.cli(['exec', app, 'ls', '/data/mail'], { allowFailure: true, echo: false });
      mails = listed.code === 0 ? listed.stdout.trim().split('\n').filter((file) => file.endsWith('.eml')) : [];
      if (mails.length) break;
    }
    assert(mails.length === 1, `/data/mail holds ${mails.join(', ') || 'nothing'}`);
    const content = (await stack.cli(['exec', app, 'cat', `/data/mail/${mails[0]}`], { echo: false })).stdout;
    assert(/^Subject: We received your order #\d+/m.test(content), `the mail's head: ${content.slice(0, 300)}`);
    return `/data/mail/${mails[0]}`;
  });

  await check('SQLite variant: down -v removes its volume', async () => {
    await stack.down();
    const left = await stack.volumes();
    assert(left.length === 0, `volumes left: ${left.join(', ')}`);
  });
}

module.exports = { checkPostgresStack, checkSqliteStack };
