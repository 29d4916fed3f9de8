#!/usr/bin/env node
// Writes openapi.yaml as parsed JSON, with the SHA-256 of the text it came from, for the Lambda
// bundle: parsing the YAML is about a fifth of a cold start, JSON.parse of the same document takes
// about a millisecond. openapi.yaml stays the one source: service/contract.ts uses this copy only
// while its hash matches the openapi.yaml beside it, and parses the YAML otherwise.
//
//   node scripts/write-parsed-contract.mjs <openapi.yaml> <out.json>
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const [source, out] = process.argv.slice(2);
if (!source || !out) {
  console.error('usage: node scripts/write-parsed-contract.mjs <openapi.yaml> <out.json>');
  process.exit(2);
}

const text = fs.readFileSync(source, 'utf8');
const document = parse(text);
const json = JSON.stringify({ sha256: createHash('sha256').update(text).digest('hex'), document });
// A value JSON cannot carry (a date, .inf) would make the copy differ from the YAML: fail the build instead.
assert.deepStrictEqual(JSON.parse(json).document, document, `${source} does not survive a round trip through JSON`);

fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
fs.writeFileSync(out, json);
console.log(`${out}: ${source} parsed (${json.length} bytes)`);
