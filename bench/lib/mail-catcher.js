'use strict';
/** An SMTP server in the benchmark's process: when each order's email arrived, by order id. */
const { SMTPServer } = require('smtp-server');

const ORDER_IN_SUBJECT = /^Subject:.*#(\d+)/im;

async function startMailCatcher() {
  const arrivals = new Map();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk) => {
        if (head.length < 4096) head += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const match = ORDER_IN_SUBJECT.exec(head);
        if (match && !arrivals.has(Number(match[1]))) arrivals.set(Number(match[1]), Date.now());
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.server.address().port,
    arrivals,
    reset: () => arrivals.clear(),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

module.exports = { startMailCatcher };
