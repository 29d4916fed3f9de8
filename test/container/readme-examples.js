'use strict';
/**
 * The README's curl examples, run as written (with curl, through the published port) against a
 * fresh stack, each answer checked. When the README's examples change, EXPECTATIONS must follow:
 * the check fails when the number of examples differs.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./engine');
const { assert, check } = require('./report');
const { runCommand } = require('./run-command');

const TRACKING = { shippingProvider: 'USPS', trackingNumber: '23987239825' };

/** One per example, in the README's order: what its comment says it answers. */
const EXPECTATIONS = [
  ['create', (r) => {
    expectStatus(r, 201);
    assert(r.headers.location === '/orders/1', `Location is ${r.headers.location}`);
    assert(r.json.id === 1 && r.json.userId === 1 && r.json.status === 'pending' && r.json.total === 3622, `body ${r.body}`);
    return '201, Location: /orders/1, total 3622';
  }],
  ['list', (r) => {
    assert(r.json.data?.length === 1 && r.json.data[0].id === 1 && r.json.nextCursor === null, `body ${r.body}`);
    return 'order 1, nextCursor null';
  }],
  ['tracking', (r) => {
    assert(r.json.shipment?.shippingProvider === TRACKING.shippingProvider && r.json.shipment?.trackingNumber === TRACKING.trackingNumber, `body ${r.body}`);
    return 'shipment USPS 23987239825';
  }],
  ['unknown user', (r) => {
    expectStatus(r, 401);
    assert(/^application\/problem\+json/.test(r.headers['content-type'] ?? ''), `Content-Type ${r.headers['content-type']}`);
    assert(r.headers['www-authenticate'], 'no WWW-Authenticate header');
    return '401 problem+json with WWW-Authenticate';
  }],
  ['status', (r) => {
    assert(r.json.status === 'processing', `body ${r.body}`);
    return 'processing';
  }],
  ['cancel', (r) => {
    assert(r.json.status === 'cancelled' && r.json.shipment === null, `body ${r.body}`);
    return 'cancelled, shipment null';
  }],
  ['marketplaces', (r) => {
    const codes = r.json.data?.map((m) => `${m.code} ${m.currency}`).join(', ');
    assert(codes === 'de EUR, jp JPY, us USD', `marketplaces ${codes}`);
    return codes;
  }],
  ['German order', (r) => {
    assert(r.json.marketplace === 'de' && r.json.currency === 'EUR' && r.json.locale === 'de-DE' && r.json.total === 1957, `body ${r.body}`);
    return 'de, EUR 1957, de-DE';
  }],
  ['Japanese order', (r) => {
    assert(r.json.marketplace === 'jp' && r.json.currency === 'JPY' && r.json.total === 2750, `body ${r.body}`);
    return 'jp, JPY 2750';
  }],
];

/** The commands of the README's "### Examples" bash block, each with its comment line. */
function readmeExamples() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Examples'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const examples = [];
  let comment = '';
  for (const line of block.replace(/\\\n\s*/g, '').split('\n')) {
    if (line.startsWith('#')) comment = line.replace(/^#\s*/, '');
    else if (line.startsWith('curl ')) examples.push({ comment, command: line });
  }
  return examples;
}

/** Runs each example against http://localhost:<port> (the README's port 3000 when it is free). */
async function checkReadmeExamples(port) {
  const examples = readmeExamples();
  const counted = await check(`the README has ${EXPECTATIONS.length} curl examples`, () => {
    assert(examples.length === EXPECTATIONS.length, `found ${examples.length}: update EXPECTATIONS in ${path.relative(ROOT, __filename)}`);
  });
  if (!counted) return;
  for (const [index, { comment, command }] of examples.entries()) {
    const runnable = command.replaceAll('http://localhost:3000', `http://localhost:${port}`);
    await check(`README: ${comment}`, async () => {
      const { stdout } = await runCommand('bash', ['-c', `${runnable} --silent --show-error --max-time 10`]);
      return EXPECTATIONS[index][1](parse(stdout, command.includes(' -i ')));
    });
  }
}

/** curl's output: with -i a status line and headers, then the body. */
function parse(output, withHeaders) {
  let head = '';
  let body = output;
  if (withHeaders) {
    const end = output.indexOf('\r\n\r\n');
    head = output.slice(0, end);
    body = output.slice(end + 4);
  }
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  let json = {};
  try {
    json = JSON.parse(body);
  } catch {
    // left empty: the expectation reports the body
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.slice(0, 300), json };
}

function expectStatus(response, status) {
  assert(response.status === status, `status ${response.status}, expected ${status}: ${response.body}`);
}

module.exports = { checkReadmeExamples, readmeExamples };
