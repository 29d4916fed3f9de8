import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The contract, openapi.yaml at the repository (or image) root, found from here or from dist/. */
export const CONTRACT_PATH = findUp('openapi.yaml', __dirname);
/** The events' contract beside it: asyncapi.yaml, whose schemas refer to openapi.yaml's. */
export const EVENTS_CONTRACT_PATH = findUp('asyncapi.yaml', __dirname);

export interface Contract {
  /** The file as written, served at GET /openapi.yaml. */
  readonly text: string;
  /** A fresh parsed copy; the validator may change the object it is given. */
  document(): Record<string, unknown>;
}

export function loadContract(): Contract {
  const text = fs.readFileSync(CONTRACT_PATH, 'utf8');
  // Parsed once: the app asks twice (the validator, the docs page), and on Lambda every
  // container's first request pays for it. A copy is cheaper than a second parse.
  let parsed: Record<string, unknown> | undefined;
  return { text, document: () => structuredClone((parsed ??= parse(text) as Record<string, unknown>)) };
}

function findUp(file: string, from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, file);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${file} not found above ${from}`);
  }
}
