// The simplestreams layout of image repositories (Incus/LXD image servers, Ubuntu's cloud images):
// streams/v1/index.json names product files; each product has versions, each version items (files)
// with a path, a size and a sha256. An index is someone else's document: every name shown and every
// path fetched is checked here, and an index with one hostile name or path is refused whole.
import { z } from 'zod';
import { NamedError } from '../errors.ts';

export const INDEX_PATH = 'streams/v1/index.json';

/** Where simplestreams keeps the clearsigned form of a document (index.json → index.sjson). */
export const signedUrlOf = (url: URL): URL => new URL(url.href.replace(/\.json$/, '.sjson'));

export type RepositoryRefusal = 'UNREACHABLE' | 'INVALID_INDEX' | 'UNSAFE_NAME' | 'UNSAFE_PATH' | 'BAD_SIGNATURE';

/** A repository index that cannot be used; nothing of it was kept. */
export class RepositoryIndexError extends NamedError {
  readonly reason: RepositoryRefusal;
  constructor(reason: RepositoryRefusal, message: string) {
    super(message);
    this.reason = reason;
  }
}

export type ChecksumAlgorithm = 'sha256' | 'sha512';

/** One image a repository offers: a product at its newest version. */
export interface OfferedImage {
  product: string;
  version: string;
  name: string;
  osFamily: string | null;
  osVersion: string | null;
  arch: string | null;
  defaultUser: string | null;
  minDiskGb: number | null;
  minMemoryMb: number | null;
  cloudInit: boolean;
  url: string;
  format: 'qcow2' | 'raw' | null;
  sizeBytes: number | null;
  checksumAlgorithm: ChecksumAlgorithm;
  checksum: string;
}

// ---- what is safe ----

const PRODUCT_NAME = /^[A-Za-z0-9][A-Za-z0-9._:+~-]{0,199}$/;
const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._:+~-]{0,63}$/;
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._:+~-]{0,254}$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
// Control characters and the bidirectional overrides that make a name read as another.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const MAX_PRODUCTS = 5000;

const refuseName = (what: string, value: string): never => {
  throw new RepositoryIndexError('UNSAFE_NAME', `The index has an unsafe ${what}: ${JSON.stringify(value.slice(0, 80))}`);
};

function checkedName(what: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) refuseName(what, value);
  return value;
}

/** A short one-line text to show (an OS name, a title), or null when absent. */
function checkedText(what: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') throw new RepositoryIndexError('INVALID_INDEX', `The index's ${what} is not text`);
  const text = String(value).trim();
  if (text.length > 100 || UNPRINTABLE.test(text)) refuseName(what, text);
  return text;
}

/**
 * A path from the index made a URL under the repository's base: relative, plain segments only (no
 * '..', no '%', no query), and the result still under the base, or UNSAFE_PATH.
 */
export function urlInside(base: URL, path: string): URL {
  const unsafe = () => new RepositoryIndexError('UNSAFE_PATH', `The index has an unsafe path: ${JSON.stringify(path.slice(0, 120))}`);
  const segments = path.split('/');
  if (path.length > 1024 || segments.length > 32 || !segments.every((s) => PATH_SEGMENT.test(s))) throw unsafe();
  const root = baseOf(base);
  const url = new URL(segments.join('/'), root);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname) || url.search || url.hash) throw unsafe();
  return url;
}

/** The repository's URL as a folder (ending in '/'), without query or fragment. */
export function baseOf(url: URL): URL {
  const base = new URL(url.href);
  base.search = '';
  base.hash = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

// ---- the documents ----

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const itemSchema = z.object({
  ftype: z.string().max(64).optional(),
  path: z.string().min(1),
  sha256: sha256Hex.optional(),
  size: z.number().int().min(0).max(2 ** 50).optional(),
});
const productSchema = z.object({
  versions: z.record(z.string(), z.object({ items: z.record(z.string(), itemSchema) })),
  arch: z.unknown().optional(),
  os: z.unknown().optional(),
  release: z.unknown().optional(),
  release_title: z.unknown().optional(),
  version: z.unknown().optional(),
  title: z.unknown().optional(),
  default_user: z.string().optional(),
  min_disk_gb: z.number().int().min(1).max(16 * 1024).optional(),
  min_memory_mb: z.number().int().min(64).max(1024 * 1024).optional(),
  cloud_init: z.boolean().optional(),
});
const productsSchema = z.object({
  format: z.literal('products:1.0'),
  products: z.record(z.string(), productSchema),
});
const indexSchema = z.object({
  format: z.literal('index:1.0'),
  index: z.record(z.string(), z.object({ datatype: z.string().optional(), format: z.string().optional(), path: z.string().min(1) })),
});

function parsed<T>(schema: z.ZodType<T>, document: unknown, what: string): T {
  const result = schema.safeParse(document);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new RepositoryIndexError('INVALID_INDEX', `The ${what} is not a simplestreams document: ${issue?.path.join('.') || 'top'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** The product files an index names (image downloads only), as URLs under the base. */
export function productFileUrls(base: URL, document: unknown): URL[] {
  const index = parsed(indexSchema, document, 'index');
  return Object.values(index.index)
    .filter((entry) => (entry.datatype ?? 'image-downloads') === 'image-downloads' && (entry.format ?? 'products:1.0') === 'products:1.0')
    .map((entry) => urlInside(base, entry.path));
}

// Disk files a VM boots from, in order of preference (LXD's VM disk, Ubuntu's cloud image, plain).
const DISK_TYPES: Record<string, 'qcow2' | 'raw'> = { 'disk-kvm.img': 'qcow2', 'disk1.img': 'qcow2', qcow2: 'qcow2', 'disk.qcow2': 'qcow2', raw: 'raw', 'disk.raw': 'raw' };

/** What a product file offers: each product at its newest version that has a disk with a sha256. */
export function offeredImages(base: URL, document: unknown): OfferedImage[] {
  const file = parsed(productsSchema, document, 'product file');
  const entries = Object.entries(file.products);
  if (entries.length > MAX_PRODUCTS) throw new RepositoryIndexError('INVALID_INDEX', `The index offers more than ${MAX_PRODUCTS} products`);
  const offered: OfferedImage[] = [];
  for (const [product, p] of entries) {
    checkedName('product name', product, PRODUCT_NAME);
    const versions = Object.keys(p.versions).map((v) => checkedName('version', v, VERSION_NAME));
    const texts = {
      os: checkedText('OS name', p.os),
      release: checkedText('release', p.release_title ?? p.version ?? p.release),
      arch: checkedText('architecture', p.arch),
      title: checkedText('title', p.title),
    };
    const defaultUser = p.default_user === undefined ? null : checkedName('default user', p.default_user, USER_NAME);
    // simplestreams versions sort as text (serials, dates); the newest with a usable disk wins.
    for (const version of versions.sort().reverse()) {
      const items = Object.values(p.versions[version]!.items);
      for (const item of items) urlInside(base, item.path);
      const disk = Object.keys(DISK_TYPES)
        .map((type) => items.find((item) => item.ftype === type && item.sha256))
        .find(Boolean);
      if (!disk) continue;
      offered.push({
        product,
        version,
        name: texts.title ?? ([texts.os, texts.release, texts.arch].filter(Boolean).join(' ') || product),
        osFamily: texts.os?.toLowerCase() ?? null,
        osVersion: texts.release,
        arch: texts.arch,
        defaultUser,
        minDiskGb: p.min_disk_gb ?? null,
        minMemoryMb: p.min_memory_mb ?? null,
        cloudInit: p.cloud_init ?? true,
        url: urlInside(base, disk.path).href,
        format: DISK_TYPES[disk.ftype!] ?? null,
        sizeBytes: disk.size ?? null,
        checksumAlgorithm: 'sha256',
        checksum: disk.sha256!,
      });
      break;
    }
  }
  return offered;
}

// ---- writing one (hangar repository build) ----

export interface BuiltProduct {
  product: string;
  version: string;
  /** Relative to the repository's folder. */
  path: string;
  format: 'qcow2' | 'raw';
  sizeBytes: number;
  sha256: string;
  title?: string;
  os?: string;
  release?: string;
  arch?: string;
  defaultUser?: string;
  minDiskGb?: number;
  minMemoryMb?: number;
}

export const PRODUCTS_PATH = 'streams/v1/images.json';

/** The index and the product file for these images (paths relative to the repository's folder). */
export function repositoryDocuments(products: readonly BuiltProduct[], updated = new Date()): { index: object; images: object } {
  const stamp = updated.toUTCString();
  const images = {
    content_id: 'images',
    datatype: 'image-downloads',
    format: 'products:1.0',
    updated: stamp,
    products: Object.fromEntries(
      products.map((p) => [
        p.product,
        {
          ...(p.title && { title: p.title }),
          ...(p.os && { os: p.os }),
          ...(p.release && { release_title: p.release }),
          ...(p.arch && { arch: p.arch }),
          ...(p.defaultUser && { default_user: p.defaultUser }),
          ...(p.minDiskGb && { min_disk_gb: p.minDiskGb }),
          ...(p.minMemoryMb && { min_memory_mb: p.minMemoryMb }),
          versions: { [p.version]: { items: { [p.format]: { ftype: p.format, path: p.path, size: p.sizeBytes, sha256: p.sha256 } } } },
        },
      ]),
    ),
  };
  const index = {
    format: 'index:1.0',
    updated: stamp,
    index: { images: { datatype: 'image-downloads', format: 'products:1.0', path: PRODUCTS_PATH, products: products.map((p) => p.product) } },
  };
  return { index, images };
}
