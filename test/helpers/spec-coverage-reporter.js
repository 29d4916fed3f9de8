const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * After a full run, fails it unless every documented response status of every operation in
 * openapi.yaml was received by some test, and lists any response that broke the contract.
 * It counts as one test in the totals, so CI's "N passed, M failed" line includes it.
 */
class SpecCoverageReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
    this.error = undefined;
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.SPEC_COVERAGE_DIR;
    if (!dir || this.isPartialRun()) {
      console.log('\nspec coverage: not checked (only part of the suite ran)');
      return;
    }
    const seen = readRecordings(dir);
    const exercised = new Set(seen.filter((r) => r.operationId).map((r) => `${r.operationId} ${r.status}`));
    const documented = documentedResponses();
    const missing = documented.filter((key) => !exercised.has(key));
    const violations = seen.filter((r) => r.violations.length > 0);

    const lines = [
      `\nspec coverage: ${documented.length - missing.length}/${documented.length} documented responses exercised by ${seen.length} requests; ${violations.length} off-contract`,
    ];
    for (const key of missing) lines.push(`  never exercised: ${key}`);
    for (const v of violations.slice(0, 20)) lines.push(`  off-contract in ${v.test}: ${v.violations.join('; ')}`);
    const half = process.env.POSTGRES_HALF ?? '';
    lines.push(half.startsWith('skipped') ? `PostgreSQL half ${half} (set TEST_DATABASE_URL to run it)` : 'ran on SQLite and PostgreSQL');
    console.log(lines.join('\n'));

    results.numTotalTests += 1;
    if (missing.length === 0 && violations.length === 0) {
      results.numPassedTests += 1;
    } else {
      results.numFailedTests += 1;
      results.success = false;
      this.error = new Error('openapi.yaml is not fully exercised, or a response broke it (see above)');
    }
  }

  getLastError() {
    return this.error;
  }

  isPartialRun() {
    const g = this.globalConfig;
    return Boolean(
      g.testPathPatterns?.isSet?.() || g.testNamePattern || g.onlyChanged || g.findRelatedTests || g.lastCommit || g.selectProjects?.length,
    );
  }
}

function documentedResponses() {
  const spec = parse(fs.readFileSync(path.join(__dirname, '..', '..', 'openapi.yaml'), 'utf8'));
  return Object.values(spec.paths).flatMap((item) =>
    METHODS.filter((m) => item[m]).flatMap((m) => Object.keys(item[m].responses).map((status) => `${item[m].operationId} ${status}`)),
  );
}

function readRecordings(dir) {
  return fs
    .readdirSync(dir)
    .flatMap((file) => fs.readFileSync(path.join(dir, file), 'utf8').split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

module.exports = SpecCoverageReporter;
