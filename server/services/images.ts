import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, ImageRow, TaskRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import type { ImageEvent, PubSub } from '../events/pubsub.ts';
import { ConflictError, NotFoundError, PermissionError, ValidationError } from '../errors.ts';
import { inspectIso } from '../hypervisor/iso-check.ts';
import { ImageRejectedError, inspectImage, sha256File } from '../hypervisor/qemu-img.ts';
import { enqueueImageJob, ensureImageQueue } from '../queue/image-queue.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { keysetOrder, pageByKeyset, type KeysetPage, type KeysetPageArgs } from './keyset.ts';
import { addressAllowed, refusedAddressOf } from './outbound-address.ts';
import { insertTask, publishTask } from './tasks.ts';
import { parseInput } from './validation.ts';
import { OPERATIONS } from '../operations/registry.ts';

export type ImageVisibility = 'private' | 'shared' | 'public';
export type ImageStatus = 'uploading' | 'ready' | 'error';
/** disk: VMs are made from it; iso: a CD/DVD image for a VM's CD-ROM (the ISO library). */
export type ImageKind = 'disk' | 'iso';

const IMAGE_IMPORT = OPERATIONS['image.import'];

const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);
const shortText = (what: string, max: number) =>
  z.string().trim().max(max, `${what} has at most ${max} characters`).refine(noControl, `${what} is one line of printable characters`);

const metadataShape = {
  name: shortText('An image name', 100).pipe(z.string().min(1, 'An image name is required')),
  osFamily: shortText('An OS family', 64).nullish(),
  osVersion: shortText('An OS version', 64).nullish(),
  minDiskGb: z.number().int().min(1, 'At least 1 GiB').max(16 * 1024, 'At most 16 TiB').nullish(),
  minMemoryMb: z.number().int().min(64, 'At least 64 MiB').max(1024 * 1024, 'At most 1 TiB').nullish(),
  cloudInit: z.boolean().nullish(),
  defaultUser: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'A user name is 1 to 32 lowercase letters, digits, dashes and underscores, starting with a letter')
    .nullish(),
};
const metadataSchema = z.object(metadataShape);
const metadataUpdateSchema = z.object({ ...metadataShape, name: metadataShape.name.nullish() });

export type ImageMetadata = z.input<typeof metadataSchema> & { kind?: ImageKind | null };
export type ImageMetadataUpdate = z.input<typeof metadataUpdateSchema>;

type MetadataColumns = Partial<{
  name: string;
  os_family: string | null;
  os_version: string | null;
  min_disk_gb: number | null;
  min_memory_mb: number | null;
  cloud_init: boolean;
  default_user: string | null;
}>;

/** Metadata columns from parsed input: only what was given (null clears an optional field). */
function metadataColumns(input: z.output<typeof metadataUpdateSchema>): MetadataColumns {
  const c: MetadataColumns = {};
  if (input.name != null) c.name = input.name;
  if (input.osFamily !== undefined) c.os_family = input.osFamily || null;
  if (input.osVersion !== undefined) c.os_version = input.osVersion || null;
  if (input.minDiskGb !== undefined) c.min_disk_gb = input.minDiskGb;
  if (input.minMemoryMb !== undefined) c.min_memory_mb = input.minMemoryMb;
  if (input.cloudInit != null) c.cloud_init = input.cloudInit;
  if (input.defaultUser !== undefined) c.default_user = input.defaultUser;
  return c;
}

// ---- who sees what ----

/** The owner, users it is shared with (visibility shared), everyone for public, and Image.Manage. */
export function canSeeImage(viewer: Viewer | null, image: Pick<ImageRow, 'owner_id' | 'visibility'>, sharedWithViewer: boolean): boolean {
  if (!viewer) return false;
  if (image.owner_id === viewer.userId || hasPrivilege(viewer, 'Image.Manage')) return true;
  if (image.visibility === 'public') return true;
  return image.visibility === 'shared' && sharedWithViewer;
}

/** The owner and holders of Image.Manage may change or delete an image. */
export function canManageImage(viewer: Viewer | null, image: Pick<ImageRow, 'owner_id'>): boolean {
  return !!viewer && (image.owner_id === viewer.userId || hasPrivilege(viewer, 'Image.Manage'));
}

// ---- live changes ----

/** Who may see the image now (see ImageEvent); the share list is read only for a SHARED image. */
export async function imageAudience(db: Db | Transaction<Database>, image: Pick<ImageRow, 'id' | 'owner_id' | 'visibility'>): Promise<ImageEvent> {
  const sharedWith = image.visibility === 'shared' ? (await sharesOfImages(db, [image.id]))[0] : [];
  return { id: image.id, ownerId: image.owner_id, public: image.visibility === 'public', sharedWith };
}

/** canSeeImage for an image known only by its event: the rule above, applied to either audience. */
export function canHearOfImage(viewer: Viewer | null, event: ImageEvent): boolean {
  return canSeeImage(viewer, { owner_id: event.ownerId, visibility: event.public ? 'public' : 'shared' }, !!viewer && event.sharedWith.includes(viewer.userId));
}

/**
 * Tells subscribers the image changed, after its transaction committed. `before` is its audience
 * until this change (visibility, shares, deletion), so those who lose the image hear of it too.
 */
export async function publishImage(db: Db, pubsub: PubSub, image: Pick<ImageRow, 'id' | 'owner_id' | 'visibility'> | null, before?: ImageEvent): Promise<void> {
  // The change is committed: a failed read of the shares narrows who hears of it, never fails the change.
  const now = image ? await imageAudience(db, image).catch(() => ({ id: image.id, ownerId: image.owner_id, public: image.visibility === 'public', sharedWith: [] })) : undefined;
  const event = now && before ? { ...now, public: now.public || before.public, sharedWith: [...new Set([...now.sharedWith, ...before.sharedWith])] } : (now ?? before);
  if (event) pubsub.publish('images:updated', event);
}

async function isSharedWith(db: Db | Transaction<Database>, imageId: string, userId: string): Promise<boolean> {
  return !!(await db.selectFrom('image_shares').select('image_id').where('image_id', '=', imageId).where('user_id', '=', userId).executeTakeFirst());
}

/** The image when the viewer may see it; otherwise NotFoundError, so ids reveal nothing. */
export async function visibleImage(db: Db | Transaction<Database>, viewer: Viewer, id: string, lock = false): Promise<ImageRow> {
  let query = db.selectFrom('images').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  const image = await query.executeTakeFirst();
  if (!image || !canSeeImage(viewer, image, image.visibility === 'shared' && (await isSharedWith(db, id, viewer.userId)))) throw new NotFoundError('The image');
  return image;
}

/** An image the viewer may deploy: visible and ready. */
export async function visibleReadyImage(db: Db, viewer: Viewer, id: string): Promise<ImageRow> {
  const image = await visibleImage(db, viewer, id);
  if (image.status !== 'ready') throw new ConflictError('The image is not ready');
  return image;
}

/** For the loader: each id's row, or NotFoundError when the viewer may not see it. */
export async function imagesForViewer(db: Db, viewer: Viewer | null, ids: readonly string[]): Promise<Array<ImageRow | NotFoundError>> {
  const rows = ids.length && viewer ? await db.selectFrom('images').selectAll().where('id', 'in', ids).execute() : [];
  const shared = rows.some((r) => r.visibility === 'shared')
    ? new Set((await db.selectFrom('image_shares').select('image_id').where('image_id', 'in', ids).where('user_id', '=', viewer!.userId).execute()).map((r) => r.image_id))
    : new Set<string>();
  return ids.map((id) => {
    const image = rows.find((r) => r.id === id);
    return image && canSeeImage(viewer, image, shared.has(id)) ? image : new NotFoundError('The image');
  });
}

/** User ids each image is shared with. */
export async function sharesOfImages(db: Db | Transaction<Database>, ids: readonly string[]): Promise<string[][]> {
  const rows = ids.length ? await db.selectFrom('image_shares').select(['image_id', 'user_id']).where('image_id', 'in', ids).orderBy('user_id').execute() : [];
  return ids.map((id) => rows.filter((r) => r.image_id === id).map((r) => r.user_id));
}

export interface ImageFilter {
  search?: string | null;
  visibility?: ImageVisibility | null;
  status?: ImageStatus | null;
  ownerId?: string | null;
  kind?: ImageKind | null;
}

/** By name. */
export const IMAGE_ORDER = keysetOrder('images', 'the image list', [
  { column: 'i.name', kind: 'text' },
  { column: 'i.id', kind: 'uuid' },
]);

export async function listImages(db: Db, viewer: Viewer, filter: ImageFilter, page: KeysetPageArgs): Promise<KeysetPage<ImageRow>> {
  let query = db.selectFrom('images as i').selectAll('i');
  if (!hasPrivilege(viewer, 'Image.Manage')) {
    query = query.where((eb) =>
      eb.or([
        eb('i.owner_id', '=', viewer.userId),
        eb('i.visibility', '=', 'public'),
        eb.and([
          eb('i.visibility', '=', 'shared'),
          eb.exists(eb.selectFrom('image_shares as s').select('s.image_id').whereRef('s.image_id', '=', 'i.id').where('s.user_id', '=', viewer.userId)),
        ]),
      ]),
    );
  }
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('i.name', 'ilike', pattern), eb('i.os_family', 'ilike', pattern), eb('i.os_version', 'ilike', pattern)]));
  }
  if (filter.visibility) query = query.where('i.visibility', '=', filter.visibility);
  if (filter.status) query = query.where('i.status', '=', filter.status);
  if (filter.ownerId) query = query.where('i.owner_id', '=', filter.ownerId);
  if (filter.kind) query = query.where('i.kind', '=', filter.kind);
  return pageByKeyset(query, IMAGE_ORDER, page);
}

// ---- the store ----

export function imageFilePath(config: Pick<Config, 'imageDir'>, image: Pick<ImageRow, 'id' | 'format'>): string {
  return join(config.imageDir, `${image.id}.${image.format === 'raw' || image.format === 'iso' ? image.format : 'qcow2'}`);
}

/** Removes the image's file from the store, whichever format it was kept in; absent is fine. */
export async function removeImageFiles(config: Pick<Config, 'imageDir'>, imageId: string): Promise<void> {
  for (const format of ['qcow2', 'raw', 'iso'] as const) await rm(imageFilePath(config, { id: imageId, format }), { force: true });
}

/** Where partial files wait (same file system as the store, so accepting one is a rename). */
export function incomingDir(config: Pick<Config, 'imageDir'>): string {
  return join(config.imageDir, 'incoming');
}

export interface NewImageFile extends Partial<ImageMetadata> {
  /** Fill in this existing row (an import or a capture) instead of inserting one. */
  imageId?: string;
  ownerId: string | null;
  /** 'upload:<filename>', the URL, or 'vm:<id>'. */
  source: string;
}

/**
 * Accepts a file into the store: inspects it (a refused file is deleted and the
 * ImageRejectedError thrown, nothing is written), hashes it unless the hash is known, moves it to
 * `<imageDir>/<id>.<format>` and writes the row as ready. The temp file is gone afterwards,
 * whatever happened.
 */
export async function registerImageFile(db: Db, config: Pick<Config, 'imageDir'>, image: NewImageFile, tempPath: string, options: { sha256?: string; onHashProgress?: (bytes: number) => void } = {}): Promise<ImageRow> {
  let target: string | null = null;
  try {
    const metadata = metadataColumns(parseInput(image.imageId ? metadataUpdateSchema : metadataSchema, stripIds(image)));
    // An import fills in a row that says its kind already.
    const kind = image.kind ?? (image.imageId ? (await db.selectFrom('images').select('kind').where('id', '=', image.imageId).executeTakeFirst())?.kind : null) ?? 'disk';
    const info = kind === 'iso' ? await inspectIso(tempPath) : await inspectImage(tempPath);
    const sha256 = options.sha256 ?? (await sha256File(tempPath, options.onHashProgress));
    const id = image.imageId ?? randomUUID();
    await mkdir(config.imageDir, { recursive: true });
    target = imageFilePath(config, { id, format: info.format });
    await rename(tempPath, target);
    const values = { format: info.format, virtual_size_bytes: info.virtualSizeBytes, file_size_bytes: info.fileSizeBytes, sha256, status: 'ready', status_message: null, updated_at: new Date() };
    if (image.imageId) {
      const row = await db.updateTable('images').set({ ...metadata, ...values }).where('id', '=', id).returningAll().executeTakeFirst();
      // Deleted while the file was on its way: the file goes too.
      if (!row) throw new NotFoundError('The image');
      return row;
    }
    return await db
      .insertInto('images')
      .values({ ...metadata, name: metadata.name!, id, owner_id: image.ownerId, visibility: 'private', source: image.source, kind, ...values })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (target) await rm(target, { force: true });
    throw error;
  } finally {
    await rm(tempPath, { force: true });
  }
}

function stripIds(image: NewImageFile): Partial<ImageMetadata> {
  const { imageId: _id, ownerId: _owner, source: _source, kind: _kind, ...metadata } = image;
  return metadata;
}

/** An uploaded file (already streamed to incoming/ and hashed) becomes a private image of the viewer. */
export async function createUploadedImage(ctx: ServiceContext, input: ImageMetadata, file: { path: string; filename: string; sha256: string }): Promise<ImageRow> {
  parseInput(metadataSchema, input);
  const image = await registerImageFile(ctx.db, ctx.config, { ...input, ownerId: actorOf(ctx).userId, source: `upload:${file.filename}` }, file.path, { sha256: file.sha256 });
  await publishImage(ctx.db, ctx.pubsub, image);
  return image;
}

// ---- imports from a URL ----

// The address rules live in outbound-address.ts; the import worker takes them from here too.
export { addressAllowed };

export const IMPORT_URL_MAX_LENGTH = 2048;

/** Parses and checks an import URL; the message is meant for the user. */
export function checkImportUrl(raw: string, allowedNetworks: readonly string[]): URL {
  if (raw.length > IMPORT_URL_MAX_LENGTH) throw ValidationError.forField('url', `A URL has at most ${IMPORT_URL_MAX_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw ValidationError.forField('url', 'Not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw ValidationError.forField('url', 'Only http and https URLs can be imported');
  if (url.username || url.password) throw ValidationError.forField('url', 'A URL with a user name or password cannot be imported');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host) && !addressAllowed(host, allowedNetworks)) {
    throw ValidationError.forField('url', `${host} is a private, loopback or otherwise non-public address: an administrator must allow its network (HANGAR_IMPORT_ALLOWED_NETWORKS)`);
  }
  return url;
}

/** Resolves the URL's host name now, so an obviously private target is refused before anything is written. */
async function checkImportHost(url: URL, allowedNetworks: readonly string[]): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let refused: string | null;
  try {
    refused = await refusedAddressOf(host, allowedNetworks);
  } catch {
    throw ValidationError.forField('url', `The host name ${host} does not resolve`);
  }
  if (refused && refused !== host) throw ValidationError.forField('url', `${host} resolves to ${refused}, a private, loopback or otherwise non-public address`);
  if (refused) throw ValidationError.forField('url', `${host} is a private, loopback or otherwise non-public address: an administrator must allow its network (HANGAR_IMPORT_ALLOWED_NETWORKS)`);
}

export interface ImageWithTask {
  image: ImageRow;
  task: TaskRow;
}

/** Writes the image (UPLOADING), its task and its job in one transaction; the worker downloads it. */
export async function importImage(ctx: ServiceContext, input: ImageMetadata, rawUrl: string): Promise<ImageWithTask> {
  const viewer = actorOf(ctx);
  const metadata = metadataColumns(parseInput(metadataSchema, input));
  return startImport(ctx, { ...metadata, name: metadata.name!, owner_id: viewer.userId, visibility: 'private', kind: input.kind === 'iso' ? 'iso' : 'disk' }, rawUrl, {});
}

/** What an install from a repository adds to an import: the entry it is, and what its index says the file is. */
export interface RepositoryImport {
  repositoryImageId: string;
  version: string;
  expected: { algorithm: 'sha256' | 'sha512'; checksum: string; sizeBytes: number | null };
}

/** A public image (owned by no one) downloaded by a worker and verified against its repository's checksum. */
export async function importRepositoryImage(ctx: ServiceContext, input: ImageMetadata, rawUrl: string, from: RepositoryImport): Promise<ImageWithTask> {
  actorOf(ctx);
  const metadata = metadataColumns(parseInput(metadataSchema, input));
  const row: NewImportRow = { ...metadata, name: metadata.name!, owner_id: null, visibility: 'public', repository_image_id: from.repositoryImageId, repository_version: from.version };
  return startImport(ctx, row, rawUrl, { expected: from.expected, repositoryImageId: from.repositoryImageId });
}

type NewImportRow = MetadataColumns & { name: string; owner_id: string | null; visibility: ImageVisibility; repository_image_id?: string; repository_version?: string; kind?: ImageKind };

async function startImport(ctx: ServiceContext, row: NewImportRow, rawUrl: string, params: Record<string, unknown>): Promise<ImageWithTask> {
  const { db, boss, config } = ctx;
  const viewer = actorOf(ctx);
  const url = checkImportUrl(rawUrl, config.importAllowedNetworks);
  await checkImportHost(url, config.importAllowedNetworks);
  await ensureImageQueue(boss);
  const result = await db.transaction().execute(async (trx) => {
    const image = await trx
      .insertInto('images')
      .values({ ...row, status: 'uploading', source: url.href })
      .returningAll()
      .executeTakeFirstOrThrow();
    const task = await insertTask(trx, {
      operation: IMAGE_IMPORT.name,
      steps: IMAGE_IMPORT.steps,
      vmId: null,
      hostId: null,
      userId: viewer.userId,
      requestId: ctx.requestInfo.requestId,
      params: { imageId: image.id, url: url.href, ...params },
    });
    const jobId = await enqueueImageJob(boss, trx, { taskId: task.id });
    await trx.updateTable('tasks').set({ job_id: jobId }).where('id', '=', task.id).execute();
    return { image, task };
  });
  await publishImage(db, ctx.pubsub, result.image);
  publishTask(ctx.pubsub, { ...result.task, vm_owner_id: null });
  return result;
}

/** Records why an import (or another way of making the image) failed; the row, unless it is gone or was ready. */
export async function markImageFailed(db: Db, imageId: string, message: string): Promise<ImageRow | undefined> {
  return db.updateTable('images').set({ status: 'error', status_message: message.slice(0, 2000), updated_at: new Date() }).where('id', '=', imageId).where('status', '!=', 'ready').returningAll().executeTakeFirst();
}

// ---- changes ----

/** A change of who sees the image: the row after it, and its audience before it (see publishImage). */
interface ImageChanged {
  image: ImageRow;
  before: ImageEvent;
}

async function manageableImage(trx: Transaction<Database>, viewer: Viewer, id: string): Promise<ImageRow> {
  const image = await visibleImage(trx, viewer, id, true);
  if (!canManageImage(viewer, image)) throw new PermissionError('Only the owner of the image or an image manager (Image.Manage) may change it');
  return image;
}

export async function updateImage(ctx: ServiceContext, id: string, input: ImageMetadataUpdate): Promise<ImageRow> {
  const columns = metadataColumns(parseInput(metadataUpdateSchema, input));
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const image = await manageableImage(trx, actorOf(ctx), id);
    if (!Object.keys(columns).length) return image;
    return trx.updateTable('images').set({ ...columns, updated_at: new Date() }).where('id', '=', image.id).returningAll().executeTakeFirstOrThrow();
  });
  await publishImage(ctx.db, ctx.pubsub, updated);
  return updated;
}

/**
 * Sets who sees the image. SHARED replaces the list of users; PRIVATE and PUBLIC clear it.
 * Sharing needs Image.Share and ownership (or Image.Manage); PUBLIC needs Image.Manage.
 */
export async function shareImage(ctx: ServiceContext, id: string, visibility: ImageVisibility, userIds: readonly string[]): Promise<ImageRow> {
  const viewer = actorOf(ctx);
  const users = [...new Set(userIds)];
  if (users.length > 1000) throw ValidationError.forField('userIds', 'An image is shared with at most 1000 users');
  if (visibility !== 'shared' && users.length) throw ValidationError.forField('userIds', 'Users are given only with visibility SHARED');
  const manager = hasPrivilege(viewer, 'Image.Manage');
  if (visibility === 'public' && !manager) throw new PermissionError('Only image managers (Image.Manage) may make an image public');
  if (visibility === 'shared' && !manager && !hasPrivilege(viewer, 'Image.Share')) throw new PermissionError('Sharing an image needs Image.Share');
  const { image, before } = await ctx.db.transaction().execute(async (trx): Promise<ImageChanged> => {
    const image = await manageableImage(trx, viewer, id);
    const before = await imageAudience(trx, image);
    const targets = users.filter((u) => u !== image.owner_id);
    if (targets.length) {
      const found = await trx.selectFrom('users').select('id').where('id', 'in', targets).execute();
      if (found.length !== targets.length) throw ValidationError.forField('userIds', 'userIds holds an id that is not a user');
    }
    await trx.deleteFrom('image_shares').where('image_id', '=', image.id).execute();
    if (targets.length) await trx.insertInto('image_shares').values(targets.map((userId) => ({ image_id: image.id, user_id: userId }))).execute();
    return { image: await trx.updateTable('images').set({ visibility, updated_at: new Date() }).where('id', '=', image.id).returningAll().executeTakeFirstOrThrow(), before };
  });
  await publishImage(ctx.db, ctx.pubsub, image, before);
  return image;
}

/**
 * Deletes the row and its file. Refused while a VM that is not deleted uses the image, or while a
 * task that works on it (an import, a capture) has not finished. Deleted VMs forget it.
 * Returns the deleted row.
 */
export async function deleteImage(ctx: ServiceContext, id: string): Promise<ImageRow> {
  const { image, before } = await ctx.db.transaction().execute(async (trx): Promise<ImageChanged> => {
    const image = await manageableImage(trx, actorOf(ctx), id);
    return { image, before: await deleteUnusedImage(trx, image) };
  });
  await removeImageFiles(ctx.config, image.id);
  await publishImage(ctx.db, ctx.pubsub, null, before);
  return image;
}

/**
 * Deletes a locked image row unless a VM or a running task uses it (ConflictError); returns its
 * audience before (for publishImage). The caller removes its files once the transaction committed.
 */
export async function deleteUnusedImage(trx: Transaction<Database>, image: ImageRow): Promise<ImageEvent> {
  // Read before the shares go with the row: they are told it is gone.
  const before = await imageAudience(trx, image);
  const { n } = await trx.selectFrom('vms').select(sql<number>`count(*)::int`.as('n')).where('image_id', '=', image.id).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  if (n > 0) throw new ConflictError(`The image is used by ${n} VM${n === 1 ? '' : 's'}: delete or reinstall ${n === 1 ? 'it' : 'them'} from another image first`);
  const { inDrive } = await trx.selectFrom('vms').select(sql<number>`count(*)::int`.as('inDrive')).where('cdrom_image_id', '=', image.id).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  if (inDrive > 0) throw new ConflictError(`The ISO is in the CD-ROM of ${inDrive} VM${inDrive === 1 ? '' : 's'}: eject it first`);
  const busy = await trx
    .selectFrom('tasks')
    .select('id')
    .where('status', 'in', ['queued', 'running'])
    .where(sql<string>`params->>'imageId'`, '=', image.id)
    .executeTakeFirst();
  if (busy) throw new ConflictError('A task is still working on this image (an import, a capture or a deploy): wait for it to finish');
  await trx.updateTable('vms').set({ image_id: null }).where('image_id', '=', image.id).where('deleted_at', 'is not', null).execute();
  await trx.deleteFrom('images').where('id', '=', image.id).execute();
  return before;
}

export { ImageRejectedError };
