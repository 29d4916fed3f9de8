import fs from 'node:fs';
import path from 'node:path';
import { onPostgres } from './test-database';

const DIR = path.resolve(__dirname, '..', '..', 'test-artifacts');

/**
 * Adds a scenario's counts to test-artifacts/reliability-figures-<database>.json, the numbers
 * docs/reliability.md reports (requests sent, invariants checked, faults injected, orders lost).
 */
export function recordFigures(scenario: string, figures: Record<string, unknown>): void {
  fs.mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `reliability-figures-${onPostgres ? 'postgres' : 'sqlite'}.json`);
  const all = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[scenario] = { ...figures, at: new Date().toISOString() };
  fs.writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}
