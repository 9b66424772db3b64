import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT_DIST = fileURLToPath(new URL('../../client/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Serves the built client; unknown paths get index.html so client-side routes work on reload. */
export function serveClient(path: string, res: ServerResponse): void {
  const index = join(CLIENT_DIST, 'index.html');
  if (!existsSync(index)) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web client is not built: run `npm run build` (npm start does it for you).\n');
    return;
  }
  const candidate = normalize(join(CLIENT_DIST, decodeURIComponent(path)));
  const file = candidate.startsWith(CLIENT_DIST + sep) && existsSync(candidate) && statSync(candidate).isFile() ? candidate : index;
  const immutable = file !== index && file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  createReadStream(file).pipe(res);
}
