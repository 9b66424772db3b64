// The web client's initial JavaScript: what index.html makes the browser fetch before any screen
// loads lazily (the entry chunk and everything it imports statically), gzip-compressed as a server
// would send it. Builds the client first, as `npm run build` does, into a temporary folder (a running
// Hangar keeps serving its client/dist).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { BenchContext } from './lib/context.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** Files the page loads at start: module scripts and modulepreloads named by index.html, and their static imports. */
export function initialScripts(dist: string): string[] {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const named = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="\/?([^"]+\.js)"/g)].map((m) => normalize(join(dist, m[1])));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    // Static imports only (`import … from "./x.js"`, `import "./x.js"`); `import("./x.js")` loads later.
    for (const m of code.matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)) visit(normalize(join(dirname(file), m[1])));
  };
  named.forEach(visit);
  return [...seen];
}

export async function benchClientBundle(ctx: BenchContext): Promise<void> {
  const dist = mkdtempSync(join(tmpdir(), 'hangar-client-bench-'));
  try {
    await measureBuild(ctx, dist);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}

async function measureBuild(ctx: BenchContext, dist: string): Promise<void> {
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  await run(vite, ['build', '--config', join(ROOT, 'client', 'vite.config.ts'), '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const files = initialScripts(dist);
  let raw = 0;
  let gzipped = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzipped += gzipSync(bytes).length;
  }
  ctx.note(`client: ${files.length} initial scripts, ${(raw / 1024).toFixed(1)} KB raw (${files.map((f) => f.slice(dist.length + 1)).join(', ')})`);
  ctx.figure('client_initial_js_gzip_kb', gzipped / 1024, 'KB');
}

// Run alone: `node scripts/bench/client-bundle.ts`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { createBenchContext } = await import('./lib/context.ts');
  await benchClientBundle(createBenchContext());
}
