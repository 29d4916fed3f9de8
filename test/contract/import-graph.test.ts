import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The seams the layout promises, checked on the import graph itself: the database layer depends
 * on no domain and not on HTTP, the error vocabulary on neither, and no module depends on itself
 * through others.
 */
const SERVICE = path.resolve(__dirname, '..', '..', 'service');
const DOMAINS = ['auth', 'catalogue', 'docs', 'health', 'messaging', 'notifications', 'orders', 'outbox', 'shipments', 'worker'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

/** Each service module (relative to service/) and the service modules it imports, type-only imports included. */
const graph = new Map(
  sourceFiles(SERVICE).map((file) => {
    const imported = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles.map((i) => i.fileName);
    const local = imported.filter((name) => name.startsWith('.')).map((name) => resolveModule(path.resolve(path.dirname(file), name)));
    return [path.relative(SERVICE, file), local.map((target) => path.relative(SERVICE, target))];
  }),
);

function resolveModule(base: string): string {
  const candidate = [`${base}.ts`, `${base}.d.ts`, path.join(base, 'index.ts')].find((file) => fs.existsSync(file));
  if (!candidate) throw new Error(`cannot resolve ${base}`);
  return candidate;
}

const topFolder = (module: string) => module.split(path.sep)[0];

function arrows(from: (module: string) => boolean, to: (module: string) => boolean): string[] {
  return [...graph].flatMap(([module, targets]) => (from(module) ? targets.filter(to).map((target) => `${module} -> ${target}`) : []));
}

function cycles(): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (module: string) => {
    state.set(module, 'open');
    stack.push(module);
    for (const target of graph.get(module) ?? []) {
      if (state.get(target) === 'open') found.push([...stack.slice(stack.indexOf(target)), target].join(' -> '));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(module, 'done');
  };
  for (const module of graph.keys()) if (!state.has(module)) visit(module);
  return found;
}

describe('the import graph of service/', () => {
  test('has every module it should (the walk found the tree)', () => {
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['main.ts', 'errors.ts', path.join('db', 'database.ts'), path.join('orders', 'order-service.ts')]));
  });

  test('db/ imports neither http/ nor a domain folder', () => {
    expect(arrows((m) => topFolder(m) === 'db', (t) => ['http', ...DOMAINS].includes(topFolder(t)))).toEqual([]);
  });

  test('errors.ts, the error vocabulary, imports neither http/ nor a domain nor db/', () => {
    expect(arrows((m) => m === 'errors.ts', (t) => ['http', 'db', ...DOMAINS].includes(topFolder(t)))).toEqual([]);
  });

  test('has no cycle', () => {
    expect(cycles()).toEqual([]);
  });
});
