// Layers that only point down (issue 17): every server/ and db/ file's imports are read, and an
// import that runs against the allowed directions between folders, or a cycle between files, fails.
//
//   http → graphql → services → (queue, operations) → hypervisor; collector → hypervisor;
//   db below all; everything may use db, config, errors, log.
//
// The worker (jobs/) and the collector are processes, like http: they may call services. app.ts
// and main.ts put everything together and may import anything.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The layer a file belongs to: its folder under server/ or db/, or a named root file. */
function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'db') return parts[1] === 'migrations' ? 'db/migrations' : 'db';
  if (parts.length === 2) {
    const name = parts[1]!.replace(/\.ts$/, '');
    // config, errors and log are the base everyone may use; node-flags only sets process flags.
    if (['config', 'errors', 'log', 'node-flags'].includes(name)) return 'base';
    return name; // app, main: the composition roots
  }
  return parts[1]!;
}

/** Direct downward edges between layers; a layer may import any layer it reaches through them. */
const DOWN: Record<string, string[]> = {
  main: ['app', 'http', 'jobs', 'collector', 'graphql', 'services', 'queue', 'operations', 'events', 'hypervisor'],
  app: ['http', 'jobs', 'collector', 'graphql', 'services', 'queue', 'operations', 'events', 'hypervisor'],
  http: ['graphql'],
  graphql: ['services'],
  jobs: ['services'], // the worker: serves hosts, runs tasks, recovers
  collector: ['services', 'hypervisor'],
  services: ['queue', 'operations', 'events'],
  queue: ['hypervisor'],
  operations: ['hypervisor', 'events'],
  events: [],
  hypervisor: [],
  base: [],
  db: ['db/migrations'],
  'db/migrations': [],
};

/** Layers everyone may use, besides those reached through DOWN. */
const SHARED = ['db', 'base'];

/** The one import the base may make upward: config checks HANGAR_LOCAL_LIBVIRT_URI with the host-URI parser. */
const EXCEPTIONS = new Set(['server/config.ts -> server/hypervisor/uri.ts']);

function reachable(layer: string): Set<string> {
  const seen = new Set<string>([layer]);
  const todo = [layer];
  while (todo.length > 0) {
    for (const next of DOWN[todo.pop()!] ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen;
}

function allowed(from: string, to: string): boolean {
  const a = layerOf(from);
  const b = layerOf(to);
  if (a === 'db/migrations') return b === 'db/migrations'; // frozen: nothing live, not even db/types
  if (a === 'db' || a === 'base') return b === 'db' || b === 'db/migrations' || b === 'base' || EXCEPTIONS.has(`${from} -> ${to}`);
  if (SHARED.includes(b)) return true;
  return reachable(a).has(b);
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Relative specifiers a file imports: static and type imports, re-exports, side-effect and dynamic imports. */
export function importsOf(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  const patterns = [
    /(?:^|[;}\n])\s*(?:import|export)\s[^;'"]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /(?:^|[;}\n])\s*import\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]!);
  return specs.filter((s) => s.startsWith('.'));
}

function graph(): Map<string, string[]> {
  const files = [...filesUnder('server'), ...filesUnder('db')].sort();
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(readFileSync(join(ROOT, file), 'utf8')).map((s) =>
      relative(ROOT, normalize(join(ROOT, dirname(file), s))).split('\\').join('/'),
    );
    edges.set(file, [...new Set(targets)]);
  }
  return edges;
}

/** Strongly connected components with more than one file (or a file importing itself). */
function cycles(edges: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test('the import reader sees every form of import', () => {
  const src = [
    "import a from './a.ts';",
    "import type { B } from '../b.ts';",
    'import {\n  c,\n  type D,\n} from "./c.ts";',
    "export { e } from './e.ts';",
    "export * from './f.ts';",
    "import './g.ts';",
    "const h = await import('./h.ts');",
    "// import z from './commented.ts';",
    "import x from 'kysely';",
  ].join('\n');
  assert.deepEqual(importsOf(src).sort(), ['../b.ts', './a.ts', './c.ts', './e.ts', './f.ts', './g.ts', './h.ts']);
});

test('every import between server/ and db/ folders points down', () => {
  const edges = graph();
  const bad: string[] = [];
  for (const [from, targets] of edges) {
    for (const to of targets) {
      if (!to.startsWith('server/') && !to.startsWith('db/')) {
        if (layerOf(from) === 'db/migrations' || layerOf(from) === 'db') bad.push(`${from} -> ${to} (outside server/ and db/)`);
        continue;
      }
      if (!edges.has(to)) bad.push(`${from} -> ${to} (no such file)`);
      else if (!allowed(from, to)) bad.push(`${from} (${layerOf(from)}) -> ${to} (${layerOf(to)})`);
    }
  }
  assert.deepEqual(bad, [], `imports against the layers:\n  ${bad.join('\n  ')}`);
});

test('every file belongs to a known layer', () => {
  const unknown = [...graph().keys()].filter((f) => !(layerOf(f) in DOWN));
  assert.deepEqual(unknown, [], 'add the new folder to DOWN in test/unit/layers.test.ts');
});

test('no import cycles between files', () => {
  const found = cycles(graph());
  assert.deepEqual(found, [], `import cycles:\n  ${found.map((c) => c.join(' <-> ')).join('\n  ')}`);
});

test('only hypervisor/ runs programs (virsh, qemu-img, …): nothing else spawns or imports its runners', () => {
  const runners = new Set(['server/hypervisor/command.ts', 'server/hypervisor/virsh-shell.ts']);
  const bad: string[] = [];
  for (const [from, targets] of graph()) {
    if (layerOf(from) === 'hypervisor') continue;
    if (/['"]node:child_process['"]|['"]child_process['"]/.test(readFileSync(join(ROOT, from), 'utf8'))) bad.push(`${from} uses child_process`);
    for (const to of targets) if (runners.has(to)) bad.push(`${from} -> ${to}`);
  }
  assert.deepEqual(bad, []);
});
