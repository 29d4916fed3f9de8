'use strict';
/**
 * Prints what the container test does as it goes, counts its checks, and writes the counts for
 * .ci/run. A failed check is recorded and the run goes on; a failed step (something later checks
 * depend on, such as building the image) ends the run.
 */
const fs = require('node:fs');

const started = Date.now();
const counts = { passed: 0, failed: 0 };
const failures = [];

const clock = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s]`;

/** One line of progress. */
function say(message) {
  console.log(`${clock()} ${message}`);
}

/** A prerequisite: runs fn, and ends the run (by throwing) when it fails. */
async function step(title, fn) {
  say(`▶ ${title}`);
  try {
    return await fn();
  } catch (error) {
    counts.failed += 1;
    failures.push(`${title}: ${message(error)}`);
    say(`✘ ${title}: ${message(error)}`);
    throw new StepFailed(title);
  }
}

/** An assertion: runs fn; a failure is recorded and the run continues. */
async function check(title, fn) {
  try {
    const detail = await fn();
    counts.passed += 1;
    say(`✔ ${title}${detail ? ` (${detail})` : ''}`);
    return true;
  } catch (error) {
    counts.failed += 1;
    failures.push(`${title}: ${message(error)}`);
    say(`✘ ${title}: ${message(error)}`);
    return false;
  }
}

class StepFailed extends Error {}

/** Prints the summary, writes CONTAINER_TEST_RESULTS when set, and returns the exit code. */
function finish({ skipped = false } = {}) {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  for (const failure of failures) console.log(`  failed: ${failure}`);
  console.log(`container test: ${counts.passed} passed, ${counts.failed} failed${skipped ? ', skipped' : ''} in ${seconds} s`);
  if (process.env.CONTAINER_TEST_RESULTS) {
    fs.writeFileSync(process.env.CONTAINER_TEST_RESULTS, JSON.stringify({ ...counts, skipped, seconds: Number(seconds) }));
  }
  return counts.failed === 0 ? 0 : 1;
}

function message(error) {
  return error instanceof Error ? error.message : String(error);
}

/** Throws with `text` unless `condition` holds. */
function assert(condition, text) {
  if (!condition) throw new Error(text);
}

module.exports = { say, step, check, finish, assert, StepFailed };
