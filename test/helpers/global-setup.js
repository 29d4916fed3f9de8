const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** A fresh folder where every test worker records the responses it saw (see spec-recorder.ts). */
module.exports = async function globalSetup() {
  process.env.SPEC_COVERAGE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-spec-coverage-'));
};
