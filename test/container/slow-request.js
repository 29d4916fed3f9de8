'use strict';
/**
 * A request that is honestly in flight for as long as the test wants: the headers go out at once,
 * the body only when `finish()` is called, and the server cannot answer before it has the body.
 */
const net = require('node:net');
const { once } = require('node:events');

/**
 * Opens the connection and sends `POST path` with its headers and the first bytes of `body`.
 * Resolves with finish(), which sends the rest and resolves with { status, headers, body }.
 */
async function startSlowRequest({ port, path, headers, body }) {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  const payload = Buffer.from(JSON.stringify(body));
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: localhost:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${payload.length}`,
    // The server closes the connection after answering, which tells us the answer is complete.
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  const chunks = [];
  socket.on('data', (chunk) => chunks.push(chunk));
  const closed = new Promise((resolve, reject) => {
    socket.once('close', resolve);
    socket.once('error', reject);
  });
  socket.setTimeout(30_000, () => socket.destroy(new Error('no answer within 30 s')));
  socket.write(`${head}\r\n\r\n`);
  socket.write(payload.subarray(0, 5));

  return {
    /** True while no byte of an answer has arrived (the server is still waiting for the body). */
    unanswered: () => chunks.length === 0 && !socket.destroyed,
    async finish() {
      socket.write(payload.subarray(5));
      await closed;
      return parseResponse(Buffer.concat(chunks).toString('utf8'));
    },
  };
}

function parseResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no HTTP answer (received ${JSON.stringify(text.slice(0, 200))})`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: text.slice(end + 4) };
}

module.exports = { startSlowRequest };
