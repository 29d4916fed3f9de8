'use strict';
/** The results table, on the terminal and in docs/reliability.md's "Game day" section. */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('../../bench/lib/databases');
const { statusText } = require('./verdict');

const DOC = path.join(ROOT, 'docs', 'reliability.md');
const BEGIN = '<!-- gameday:table -->';
const END = '<!-- /gameday:table -->';

function table(results) {
  const rows = results.map(({ scenario, figures, checks }) => [
    scenario.name,
    figures.requests.toLocaleString('en-US'),
    statusText(figures),
    figures.http500,
    figures.acknowledged.toLocaleString('en-US'),
    figures.lost,
    figures.duplicates,
    figures.unbalanced,
    figures.stale.length,
    `${(figures.fullServiceMs / 1000).toFixed(1)} s`,
    `${(figures.wholeMs / 1000).toFixed(1)} s`,
    `${checks.filter((one) => one.passed).length}/${checks.length}`,
  ]);
  const head = ['Scenario', 'Requests', 'Failed attempts', '500s', 'Orders 201', 'Lost', 'Duplicates', 'Stock off', 'Stale reads', 'Fault → last failed request', 'Fault → stage whole', 'Checks passed'];
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Replaces the table between the markers with this run's. */
function writeReport(results, seconds) {
  const doc = fs.readFileSync(DOC, 'utf8');
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < 0) return;
  const date = new Date().toISOString().slice(0, 10);
  const body = `${BEGIN}\nThe last full run (\`npm run gameday\`, ${date}, ${seconds} s):\n\n${table(results)}\n${END}`;
  fs.writeFileSync(DOC, doc.slice(0, from) + body + doc.slice(to + END.length));
}

module.exports = { table, writeReport };
