import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const COMMITTED = path.join(ROOT, 'service', 'generated', 'openapi.d.ts');

describe('types generated from openapi.yaml', () => {
  test('when the contract changes, then service/generated/openapi.d.ts has been regenerated (npm run generate:types)', () => {
    const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'openapi-types-')), 'openapi.d.ts');
    const cli = path.join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

    execFileSync(process.execPath, [cli, 'openapi.yaml', '-o', fresh], { cwd: ROOT, stdio: 'pipe' });

    expect(fs.readFileSync(COMMITTED, 'utf8')).toBe(fs.readFileSync(fresh, 'utf8'));
  });
});
