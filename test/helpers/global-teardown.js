const fs = require('node:fs');

module.exports = async function globalTeardown() {
  const dir = process.env.SPEC_COVERAGE_DIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
