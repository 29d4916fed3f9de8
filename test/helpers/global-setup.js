const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

module.exports = async function globalSetup() {
  // A fresh folder where every test worker records the responses it saw (see spec-recorder.ts).
  process.env.SPEC_COVERAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-spec-coverage-'));

  const half = process.env.POSTGRES_HALF ?? '';
  if (half.startsWith('skipped')) {
    if (process.env.CI) throw new Error(`CI needs PostgreSQL for the second half of the suite: ${half}`);
    console.log(
      `\nPostgreSQL half of the suite ${half}.\n` +
        'Run it with a reachable server: TEST_DATABASE_URL=postgres://user@host:5432/db npm test\n',
    );
  }
};
