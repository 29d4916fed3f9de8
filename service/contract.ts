import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The contract, openapi.yaml at the repository (or image) root, found from here or from dist/. */
export const CONTRACT_PATH = findUp('openapi.yaml', __dirname);
/** The events' contract beside it: asyncapi.yaml, whose schemas refer to openapi.yaml's. */
export const EVENTS_CONTRACT_PATH = findUp('asyncapi.yaml', __dirname);
/**
 * Beside openapi.yaml in the Lambda bundle only: the same document already parsed, with the hash of
 * the text it came from (written by scripts/write-parsed-contract.mjs at bundling).
 */
export const PARSED_CONTRACT_FILE = 'openapi.parsed.json';

export interface Contract {
  /** The file as written, served at GET /openapi.yaml. */
  readonly text: string;
  /** A fresh parsed copy; the validator may change the object it is given. */
  document(): Record<string, unknown>;
}

export function loadContract(file = CONTRACT_PATH): Contract {
  const text = fs.readFileSync(file, 'utf8');
  // Parsed once: the app asks twice (the validator, the docs page), and on Lambda every
  // container's first request pays for it. A copy is cheaper than a second parse.
  let parsed: Record<string, unknown> | undefined;
  return { text, document: () => structuredClone((parsed ??= parsedAtBundling(file, text) ?? parseYaml(text))) };
}

/** The bundle's parsed copy, when there is one and it was made from this very text. */
function parsedAtBundling(file: string, text: string): Record<string, unknown> | undefined {
  const parsedFile = path.join(path.dirname(file), PARSED_CONTRACT_FILE);
  if (!fs.existsSync(parsedFile)) return undefined;
  const copy = JSON.parse(fs.readFileSync(parsedFile, 'utf8')) as { sha256?: string; document?: Record<string, unknown> };
  return copy.sha256 === createHash('sha256').update(text).digest('hex') ? copy.document : undefined;
}

function parseYaml(text: string): Record<string, unknown> {
  // Required here, not at the top: a bundle with the parsed copy never loads the YAML parser.
  const { parse } = require('yaml') as typeof import('yaml');
  return parse(text) as Record<string, unknown>;
}

function findUp(file: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${file} not found above ${from}`);
  }
}
