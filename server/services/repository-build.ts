// `hangar repository build DIR`: a folder of images made into a simplestreams repository that any
// web server can serve. Each image is inspected like an upload (a file Hangar would refuse is left
// out) and hashed; a `<file>.json` beside it may describe it (title, os, release, arch,
// default_user, min_disk_gb, min_memory_mb, product).
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { ImageRejectedError, inspectImage, sha256File } from '../hypervisor/qemu-img.ts';
import { INDEX_PATH, PRODUCTS_PATH, repositoryDocuments, type BuiltProduct } from './simplestreams.ts';

const IMAGE_FILE = /\.(qcow2|img|raw)$/;
const SAFE_PATH = /^[A-Za-z0-9_][A-Za-z0-9._+~-]*(\/[A-Za-z0-9_][A-Za-z0-9._+~-]*)*$/;

const sidecarSchema = z.object({
  product: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:+~-]{0,199}$/).optional(),
  title: z.string().max(100).optional(),
  os: z.string().max(64).optional(),
  release: z.string().max(64).optional(),
  arch: z.string().max(32).optional(),
  default_user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/).optional(),
  min_disk_gb: z.number().int().min(1).optional(),
  min_memory_mb: z.number().int().min(64).optional(),
});

export interface BuildReport {
  products: BuiltProduct[];
  /** Files left out, with why. */
  skipped: Array<{ path: string; reason: string }>;
}

async function imageFiles(dir: string, under = dir): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(under, { withFileTypes: true })) {
    const path = join(under, entry.name);
    if (entry.isDirectory() && entry.name !== 'streams' && !entry.name.startsWith('.')) found.push(...(await imageFiles(dir, path)));
    else if (entry.isFile() && IMAGE_FILE.test(entry.name)) found.push(path);
  }
  return found.sort();
}

/** The version of a file: when it last changed (UTC), so a replaced image is a new version. */
const versionOf = (mtime: Date) => mtime.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 13);

/** Writes streams/v1/index.json and streams/v1/images.json for the images under dir. */
export async function buildRepository(dir: string, onFile: (path: string) => void = () => {}): Promise<BuildReport> {
  const products: BuiltProduct[] = [];
  const skipped: BuildReport['skipped'] = [];
  for (const file of await imageFiles(dir)) {
    const path = relative(dir, file).split(sep).join('/');
    if (!SAFE_PATH.test(path)) {
      skipped.push({ path, reason: 'its path has characters a repository path may not have (letters, digits, . _ + ~ - only)' });
      continue;
    }
    onFile(path);
    let meta: z.infer<typeof sidecarSchema> = {};
    const sidecar = await readFile(`${file}.json`, 'utf8').catch(() => null);
    if (sidecar !== null) {
      const parsed = sidecarSchema.safeParse(JSON.parse(sidecar));
      if (!parsed.success) {
        skipped.push({ path, reason: `${path}.json: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}` });
        continue;
      }
      meta = parsed.data;
    }
    try {
      const info = await inspectImage(file);
      const { mtime } = await stat(file);
      products.push({
        product: meta.product ?? path.replace(IMAGE_FILE, '').replace(/\//g, ':'),
        version: versionOf(mtime),
        path,
        format: info.format,
        sizeBytes: info.fileSizeBytes,
        sha256: await sha256File(file),
        title: meta.title,
        os: meta.os,
        release: meta.release,
        arch: meta.arch,
        defaultUser: meta.default_user,
        minDiskGb: meta.min_disk_gb,
        minMemoryMb: meta.min_memory_mb,
      });
    } catch (error) {
      if (!(error instanceof ImageRejectedError)) throw error;
      skipped.push({ path, reason: error.message });
    }
  }
  const { index, images } = repositoryDocuments(products);
  await mkdir(join(dir, 'streams', 'v1'), { recursive: true });
  // Written beside and renamed, so a web server never serves half an index.
  for (const [path, document] of [[PRODUCTS_PATH, images], [INDEX_PATH, index]] as const) {
    await writeFile(join(dir, `${path}.new`), `${JSON.stringify(document, null, 2)}\n`);
    await rename(join(dir, `${path}.new`), join(dir, path));
  }
  return { products, skipped };
}
