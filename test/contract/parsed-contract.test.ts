import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { CONTRACT_PATH, loadContract, PARSED_CONTRACT_FILE } from '../../service/contract';

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'write-parsed-contract.mjs');

/** The Lambda bundle carries openapi.yaml parsed at bundling; openapi.yaml stays the one source. */
describe('the contract parsed at bundling (scripts/write-parsed-contract.mjs)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-parsed-contract-'));
    fs.copyFileSync(CONTRACT_PATH, path.join(dir, 'openapi.yaml'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const writeParsedCopy = () =>
    execFileSync(process.execPath, [SCRIPT, path.join(dir, 'openapi.yaml'), path.join(dir, PARSED_CONTRACT_FILE)], { stdio: 'pipe' });

  test('when the copy was made from the openapi.yaml beside it, then it is that document, and the served text is the file', () => {
    writeParsedCopy();
    const copy = JSON.parse(fs.readFileSync(path.join(dir, PARSED_CONTRACT_FILE), 'utf8'));
    copy.document.info.title = 'taken from the copy';
    fs.writeFileSync(path.join(dir, PARSED_CONTRACT_FILE), JSON.stringify(copy));

    const contract = loadContract(path.join(dir, 'openapi.yaml'));

    expect(contract.document()).toMatchObject({ info: { title: 'taken from the copy' } });
    expect(contract.text).toBe(fs.readFileSync(CONTRACT_PATH, 'utf8'));
  });

  test('when openapi.yaml changed after the copy was made, then the YAML is parsed and the copy ignored', () => {
    writeParsedCopy();
    const changed = fs.readFileSync(CONTRACT_PATH, 'utf8').replace(/^ {2}title: .*$/m, '  title: Changed after bundling');
    fs.writeFileSync(path.join(dir, 'openapi.yaml'), changed);

    expect(loadContract(path.join(dir, 'openapi.yaml')).document()).toEqual(parse(changed));
  });

  test('the copy holds exactly what parsing openapi.yaml gives', () => {
    writeParsedCopy();
    expect(JSON.parse(fs.readFileSync(path.join(dir, PARSED_CONTRACT_FILE), 'utf8')).document).toEqual(parse(fs.readFileSync(CONTRACT_PATH, 'utf8')));
  });

  test('without a copy, the YAML is parsed, and each call gives a fresh object', () => {
    const contract = loadContract(path.join(dir, 'openapi.yaml'));
    const first = contract.document();

    expect(first).toEqual(parse(fs.readFileSync(CONTRACT_PATH, 'utf8')));
    expect(contract.document()).not.toBe(first);
  });

  test('a document JSON cannot carry fails the build instead of changing on the way', () => {
    fs.writeFileSync(path.join(dir, 'openapi.yaml'), 'openapi: 3.0.3\nx-limit: .inf\n');
    expect(writeParsedCopy).toThrow(/does not survive a round trip through JSON/);
  });
});
