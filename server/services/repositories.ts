// Image repositories (issue 22): indexes of OS images to install with one click. A refresh reads
// the index through the same address policy as any import and keeps one row per product at its
// newest version; an install is an image import verified against the index's checksum.
import { randomUUID } from 'node:crypto';
import { readFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { ImageRepositoryRow, ImageRow, RepositoryImageRow, TaskRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { VENDOR_KEYS_DIR, builtinImages, offeredBuiltin, type BuiltinImage } from './builtin-repository.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { DownloadError, downloadFile } from './downloads.ts';
import { checkImportUrl, deleteUnusedImage, importRepositoryImage, incomingDir, publishImage, removeImageFiles, type ImageWithTask } from './images.ts';
import { checkedSigningKey, verifiedDetached, verifiedText } from './signatures.ts';
import { INDEX_PATH, RepositoryIndexError, baseOf, offeredImages, productFileUrls, signedUrlOf, urlInside, type OfferedImage } from './simplestreams.ts';
import { parseInput } from './validation.ts';

export { RepositoryIndexError };

/** An index or checksum file larger than this is not one. */
const MAX_DOCUMENT_BYTES = 32 * 1024 ** 2;

type Deps = { db: Db; config: Config; pubsub?: PubSub };

// ---- reading an index ----

async function fetchBytes(config: Config, url: string): Promise<Buffer> {
  const dir = incomingDir(config);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `repository-${randomUUID()}.download`);
  try {
    await downloadFile(url, temp, { allowedNetworks: config.importAllowedNetworks, maxBytes: MAX_DOCUMENT_BYTES });
    return await readFile(temp);
  } catch (error) {
    if (error instanceof DownloadError) throw new RepositoryIndexError('UNREACHABLE', `${url}: ${error.message}`);
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

const fetchText = async (config: Config, url: string) => (await fetchBytes(config, url)).toString('utf8');

/** A document of the repository: its clearsigned form checked against the key when it has one. */
async function fetchJson(config: Config, url: URL, signingKey: string | null = null): Promise<unknown> {
  const text = signingKey ? await verifiedText(await fetchText(config, signedUrlOf(url).href), signingKey, signedUrlOf(url).href) : await fetchText(config, url.href);
  try {
    return JSON.parse(text);
  } catch {
    throw new RepositoryIndexError('INVALID_INDEX', `${url} is not JSON`);
  }
}

/** What the repository offers now, read from its index (or, built in, from the vendors' checksum files). */
export async function readRepository(config: Config, repository: Pick<ImageRepositoryRow, 'url' | 'builtin' | 'signing_key'>): Promise<OfferedImage[]> {
  if (repository.builtin) return readBuiltin(config);
  const base = baseOf(new URL(repository.url));
  const key = repository.signing_key;
  const offered = new Map<string, OfferedImage>();
  for (const productsUrl of productFileUrls(base, await fetchJson(config, urlInside(base, INDEX_PATH), key))) {
    for (const image of offeredImages(base, await fetchJson(config, productsUrl, key))) offered.set(image.product, image);
  }
  return [...offered.values()];
}

async function readBuiltin(config: Config): Promise<OfferedImage[]> {
  const { offered, refused } = await readBuiltinImages(config);
  // One vendor's mirror being down (or its signature failing) hides its images, not everyone's.
  if (!offered.length && refused.length) throw refused[0]!.error;
  return offered;
}

export interface BuiltinRead {
  offered: OfferedImage[];
  /** Entries left out, with why: their checksum file unreachable, unsigned where a signature is declared, or silent about the file. */
  refused: { product: string; error: RepositoryIndexError }[];
}

/** What the built-in entries offer, each trusted only once its vendor's checksum file (and its signature, where declared) checked out. */
export async function readBuiltinImages(config: Config, entries: BuiltinImage[] = builtinImages(), keysDir = VENDOR_KEYS_DIR): Promise<BuiltinRead> {
  // Each vendor's checksum file once, all at a time.
  const files = new Map<string, Promise<string>>();
  const checksumFile = (checksums: BuiltinImage['checksums']) => {
    const id = JSON.stringify(checksums);
    if (!files.has(id)) files.set(id, verifiedChecksumFile(config, checksums, keysDir));
    return files.get(id)!;
  };
  const results = await Promise.allSettled(entries.map(async (entry) => offeredBuiltin(entry, await checksumFile(entry.checksums))));
  const read: BuiltinRead = { offered: [], refused: [] };
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') read.offered.push(r.value);
    else read.refused.push({ product: entries[i]!.product, error: r.reason instanceof RepositoryIndexError ? r.reason : new RepositoryIndexError('INVALID_INDEX', (r.reason as Error).message) });
  });
  return read;
}

/**
 * The vendor's checksum file as text, verified with the vendor's key where the entry declares a
 * signature: a clearsigned file gives only its signed text; a detached signature must be there and
 * sign the file's exact bytes. Anything else is BAD_SIGNATURE.
 */
async function verifiedChecksumFile(config: Config, checksums: BuiltinImage['checksums'], keysDir: string): Promise<string> {
  const { signature } = checksums;
  if (!signature) return fetchText(config, checksums.url);
  const keys = await readFile(join(keysDir, `${signature.key}.asc`), 'utf8');
  const whose = `the vendor's key (${signature.key}.asc)`;
  if (signature.type === 'clearsigned') return verifiedText(await fetchText(config, checksums.url), keys, checksums.url, whose);
  const file = await fetchBytes(config, checksums.url);
  const detached = await fetchBytes(config, signature.url).catch((error: RepositoryIndexError) => {
    throw new RepositoryIndexError('BAD_SIGNATURE', `${checksums.url} has no signature at ${signature.url}: ${error.message}`);
  });
  return verifiedDetached(file, detached, keys, checksums.url, whose);
}

// ---- repositories ----

export async function listRepositories(db: Db): Promise<ImageRepositoryRow[]> {
  return db.selectFrom('image_repositories').selectAll().orderBy('builtin', 'desc').orderBy('name').execute();
}

export async function repositoryById(db: Db, id: string): Promise<ImageRepositoryRow> {
  const row = await db.selectFrom('image_repositories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('The repository');
  return row;
}

export interface RefreshResult {
  repository: ImageRepositoryRow;
  /** Products offered for the first time. */
  added: number;
  /** Products with a new version. */
  updated: number;
}

/**
 * Reads the repository's index and keeps what it offers. A refused index changes nothing offered;
 * its reason is kept on the repository (and thrown).
 */
export async function refreshRepository(deps: Deps, id: string): Promise<RefreshResult> {
  const repository = await repositoryById(deps.db, id);
  let offered: OfferedImage[];
  try {
    offered = await readRepository(deps.config, repository);
  } catch (error) {
    const reason = error instanceof RepositoryIndexError ? error.reason : 'INVALID_INDEX';
    await deps.db.updateTable('image_repositories').set({ refresh_error: (error as Error).message.slice(0, 2000), refresh_error_reason: reason }).where('id', '=', id).execute();
    throw error instanceof RepositoryIndexError ? error : new RepositoryIndexError('INVALID_INDEX', (error as Error).message);
  }
  return deps.db.transaction().execute(async (trx) => {
    const known = await trx.selectFrom('repository_images').select(['product', 'version']).where('repository_id', '=', id).execute();
    const versions = new Map(known.map((k) => [k.product, k.version]));
    let added = 0;
    let updated = 0;
    for (const o of offered) {
      const before = versions.get(o.product);
      if (before === undefined) added++;
      else if (before !== o.version) updated++;
      const values = {
        version: o.version,
        name: o.name,
        os_family: o.osFamily,
        os_version: o.osVersion,
        arch: o.arch,
        default_user: o.defaultUser,
        min_disk_gb: o.minDiskGb,
        min_memory_mb: o.minMemoryMb,
        cloud_init: o.cloudInit,
        url: o.url,
        format: o.format,
        size_bytes: o.sizeBytes,
        checksum_algorithm: o.checksumAlgorithm,
        checksum: o.checksum,
      };
      await trx
        .insertInto('repository_images')
        .values({ repository_id: id, product: o.product, ...values })
        .onConflict((oc) =>
          oc.columns(['repository_id', 'product']).doUpdateSet({
            ...values,
            // A new version is news, and an old refusal says nothing about it.
            version_seen_at: sql`case when repository_images.version = excluded.version then repository_images.version_seen_at else now() end`,
            install_error: sql`case when repository_images.version = excluded.version then repository_images.install_error else null end`,
            install_error_reason: sql`case when repository_images.version = excluded.version then repository_images.install_error_reason else null end`,
          }),
        )
        .execute();
    }
    const gone = known.map((k) => k.product).filter((p) => !offered.some((o) => o.product === p));
    if (gone.length) await trx.deleteFrom('repository_images').where('repository_id', '=', id).where('product', 'in', gone).execute();
    const row = await trx
      .updateTable('image_repositories')
      .set({ refreshed_at: new Date(), refresh_error: null, refresh_error_reason: null })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { repository: row, added, updated };
  }).then(async (result) => {
    if (deps.pubsub) await removeSupersededImages({ ...deps, pubsub: deps.pubsub });
    return result;
  });
}

/**
 * An older version installed from a repository goes once the current one is installed and no VM
 * (nor a running task) uses it; one still in use stays until it is not. Returns how many went.
 */
export async function removeSupersededImages(deps: Deps & { pubsub: PubSub }): Promise<number> {
  const superseded = await deps.db
    .selectFrom('images as i')
    .innerJoin('repository_images as e', 'e.id', 'i.repository_image_id')
    .select('i.id')
    .where('i.status', '=', 'ready')
    .whereRef('i.repository_version', '!=', 'e.version')
    .where((eb) =>
      eb.exists(eb.selectFrom('images as current').select('current.id').whereRef('current.repository_image_id', '=', 'e.id').whereRef('current.repository_version', '=', 'e.version').where('current.status', '=', 'ready')),
    )
    .execute();
  let removed = 0;
  for (const { id } of superseded) {
    const before = await deps.db
      .transaction()
      .execute(async (trx) => {
        const image = await trx.selectFrom('images').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        return image ? await deleteUnusedImage(trx, image) : null;
      })
      .catch((error: unknown) => {
        if (error instanceof ConflictError) return null; // in use: kept
        throw error;
      });
    if (!before) continue;
    await removeImageFiles(deps.config, id);
    await publishImage(deps.db, deps.pubsub, null, before);
    removed++;
  }
  return removed;
}

const newRepositorySchema = z.object({
  name: z.string().trim().min(1, 'A repository name is required').max(100, 'A repository name has at most 100 characters').refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'A repository name is one line of printable characters'),
  url: z.string(),
  signingKey: z.string().nullish(),
});

/**
 * Adds a simplestreams repository and reads its index; one whose index is refused is not added.
 * With a signing key, only the clearsigned documents (.sjson) that key signed are read.
 */
export async function addRepository(ctx: ServiceContext, input: { name: string; url: string; signingKey?: string | null }): Promise<RefreshResult> {
  actorOf(ctx);
  const { name } = parseInput(newRepositorySchema, input);
  const url = baseOf(checkImportUrl(input.url, ctx.config.importAllowedNetworks));
  const signingKey = input.signingKey?.trim() ? await checkedSigningKey(input.signingKey) : null;
  const taken = await ctx.db.selectFrom('image_repositories').select('id').where('name', '=', name).executeTakeFirst();
  if (taken) throw new ConflictError(`A repository named ${name} exists`);
  const row = await ctx.db.insertInto('image_repositories').values({ name, url: url.href, signing_key: signingKey }).returningAll().executeTakeFirstOrThrow();
  try {
    return await refreshRepository(ctx, row.id);
  } catch (error) {
    await ctx.db.deleteFrom('image_repositories').where('id', '=', row.id).execute();
    throw error;
  }
}

export async function setRepositoryEnabled(ctx: ServiceContext, id: string, enabled: boolean): Promise<ImageRepositoryRow> {
  actorOf(ctx);
  const row = await ctx.db.updateTable('image_repositories').set({ enabled }).where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw new NotFoundError('The repository');
  return row;
}

/** Removes a repository and what it offers; images installed from it stay. The built-in one is only disabled. */
export async function deleteRepository(ctx: ServiceContext, id: string): Promise<ImageRepositoryRow> {
  actorOf(ctx);
  const row = await repositoryById(ctx.db, id);
  if (row.builtin) throw new ConflictError('The built-in repository cannot be deleted: disable it instead');
  await ctx.db.deleteFrom('image_repositories').where('id', '=', id).execute();
  return row;
}

/** Refreshes every enabled repository; a refused one keeps its reason and the others go on. */
export async function refreshEnabledRepositories(deps: Deps, onError: (repository: ImageRepositoryRow, error: Error) => void): Promise<void> {
  const rows = await deps.db.selectFrom('image_repositories').selectAll().where('enabled', '=', true).execute();
  for (const row of rows) await refreshRepository(deps, row.id).catch((error: Error) => onError(row, error));
}

// ---- what they offer ----

export interface RepositoryImageView {
  entry: RepositoryImageRow;
  repository: ImageRepositoryRow;
  /** Images installed from this entry, newest first (any version, any status). */
  images: ImageRow[];
}

/** The entry's current version, ready in the store. */
export const installedImageOf = (view: RepositoryImageView) => view.images.find((i) => i.repository_version === view.entry.version && i.status === 'ready') ?? null;
/** An import of the entry that is still running. */
export const installingImageOf = (view: RepositoryImageView) => view.images.find((i) => i.status === 'uploading') ?? null;
/** An older version is installed, the current one is not. */
export const updateAvailable = (view: RepositoryImageView) => !installedImageOf(view) && view.images.some((i) => i.status === 'ready');

/** What the enabled repositories offer (or one repository's, enabled or not), by name. */
export async function listRepositoryImages(db: Db, repositoryId?: string): Promise<RepositoryImageView[]> {
  let query = db.selectFrom('repository_images as e').innerJoin('image_repositories as r', 'r.id', 'e.repository_id').selectAll('e');
  query = repositoryId ? query.where('r.id', '=', repositoryId) : query.where('r.enabled', '=', true);
  const entries = await query.orderBy('e.name').orderBy('e.id').execute();
  return viewsOf(db, entries);
}

async function viewsOf(db: Db, entries: RepositoryImageRow[]): Promise<RepositoryImageView[]> {
  if (!entries.length) return [];
  const repositories = await db.selectFrom('image_repositories').selectAll().where('id', 'in', [...new Set(entries.map((e) => e.repository_id))]).execute();
  const images = await db.selectFrom('images').selectAll().where('repository_image_id', 'in', entries.map((e) => e.id)).orderBy('created_at', 'desc').execute();
  return entries.map((entry) => ({ entry, repository: repositories.find((r) => r.id === entry.repository_id)!, images: images.filter((i) => i.repository_image_id === entry.id) }));
}

export async function repositoryImageById(db: Db, id: string): Promise<RepositoryImageView> {
  const entry = await db.selectFrom('repository_images').selectAll().where('id', '=', id).executeTakeFirst();
  if (!entry) throw new NotFoundError('The repository image');
  return (await viewsOf(db, [entry]))[0]!;
}

/** The entry's last install task. */
export async function lastInstallTask(db: Db, repositoryImageId: string): Promise<TaskRow | undefined> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('operation', '=', 'image.import')
    .where(sql<string>`params->>'repositoryImageId'`, '=', repositoryImageId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface RepositoryInstall extends ImageWithTask {
  repositoryImageId: string;
}

/**
 * Installs the entry's current version as a public image: an import task (Download, Inspect)
 * whose download must match the index's checksum. An older version stays next to it.
 */
export async function installRepositoryImage(ctx: ServiceContext, id: string): Promise<RepositoryInstall> {
  actorOf(ctx);
  const view = await repositoryImageById(ctx.db, id);
  const { entry, repository } = view;
  if (!repository.enabled) throw new ConflictError(`The repository ${repository.name} is disabled`);
  if (installingImageOf(view)) throw new ConflictError(`${entry.name} is being installed: follow its task`);
  if (installedImageOf(view)) throw new ConflictError(`${entry.name} ${entry.version} is installed already`);
  await ctx.db.updateTable('repository_images').set({ install_error: null, install_error_reason: null }).where('id', '=', id).execute();
  const input = {
    name: entry.name,
    osFamily: entry.os_family,
    osVersion: entry.os_version,
    minDiskGb: entry.min_disk_gb,
    minMemoryMb: entry.min_memory_mb,
    cloudInit: entry.cloud_init,
    defaultUser: entry.default_user,
  };
  const expected = { algorithm: entry.checksum_algorithm as 'sha256', checksum: entry.checksum, sizeBytes: entry.size_bytes === null ? null : Number(entry.size_bytes) };
  try {
    const started = await importRepositoryImage(ctx, input, entry.url, { repositoryImageId: entry.id, version: entry.version, expected });
    return { ...started, repositoryImageId: entry.id };
  } catch (error) {
    if (error instanceof ValidationError) throw new ConflictError(`The repository's file cannot be downloaded: ${error.fieldErrors[0]?.message ?? error.message}`);
    throw error;
  }
}
