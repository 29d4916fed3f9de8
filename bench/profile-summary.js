#!/usr/bin/env node
'use strict';
/**
 * node bench/profile-summary.js <file.cpuprofile> [--top N]
 *
 * The top costs of a V8 CPU profile (from `npm run bench -- --profile`): self time per package
 * (node_modules/<name>, node internals, the service's own code, GC, idle), then per function, and
 * the inclusive time of the service's and the main libraries' entry points.
 */
const fs = require('node:fs');
const path = require('node:path');

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.js <file.cpuprofile> [--top N]');
  process.exit(2);
}
const top = Number(rest[rest.indexOf('--top') + 1]) || 25;
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

// Sample counts per node, weighted by the time between samples.
const selfMicros = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i + 1] ?? 0;
  selfMicros.set(profile.samples[i], (selfMicros.get(profile.samples[i]) ?? 0) + delta);
}
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
const idle = [...selfMicros].filter(([id]) => byId.get(id).callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
const busy = total - idle;

function packageOf(url) {
  if (!url) return '(native/V8)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.includes('/dist/service/')) return `service: ${url.slice(url.indexOf('/dist/service/') + 14).split('/')[0]}`;
  return path.basename(url);
}

const label = (frame) => `${frame.functionName || '(anonymous)'} ${packageOf(frame.url)}:${frame.lineNumber + 1}`;
const add = (map, key, value) => map.set(key, (map.get(key) ?? 0) + value);

const perPackage = new Map();
const perFunction = new Map();
for (const [id, micros] of selfMicros) {
  const frame = byId.get(id).callFrame;
  if (frame.functionName === '(idle)') continue;
  const special = ['(garbage collector)', '(program)'].includes(frame.functionName) ? frame.functionName : null;
  add(perPackage, special ?? packageOf(frame.url), micros);
  add(perFunction, label(frame), micros);
}

// Inclusive time: each sample counts once for every distinct package on its stack.
const inclusive = new Map();
for (const [id, micros] of selfMicros) {
  const seen = new Set();
  for (let at = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at).callFrame;
    if (frame.functionName === '(idle)') break;
    const key = packageOf(frame.url);
    if (frame.url && !seen.has(key)) {
      seen.add(key);
      add(inclusive, key, micros);
    }
  }
}

const pct = (micros) => `${((100 * micros) / busy).toFixed(1).padStart(5)}%`;
const print = (title, map, n = top) => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`  ${pct(micros)}  ${key}`);
};
console.log(`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages are of busy time)`);
print('Self time by package', perPackage, 20);
print('Inclusive time by package (on the stack)', inclusive, 20);
print('Self time by function', perFunction);
