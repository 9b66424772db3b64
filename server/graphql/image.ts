import type { ScalarRef } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError, Kind } from 'graphql';
import type { ImageRow } from '../../db/types.ts';
import { ValidationError } from '../errors.ts';
import { filtered } from '../events/pubsub.ts';
import { ImageRejectedError } from '../hypervisor/qemu-img.ts';
import * as images from '../services/images.ts';
import { builder, NO_MEMO } from './builder.ts';
import type { Context, UploadedFile } from './context.ts';
import { ErrorInterface, idOf } from './errors.ts';
import { resolveKeysetConnection } from './keyset.ts';
import { TaskRef } from './task.ts';
import { canSeeUser, UserRef } from './user.ts';

const ImageFormatEnum = builder.enumType('ImageFormat', { values: { QCOW2: { value: 'qcow2' }, RAW: { value: 'raw' }, ISO: { value: 'iso' } } as const });

const ImageKindEnum = builder.enumType('ImageKind', {
  values: {
    DISK: { value: 'disk', description: 'A disk image (qcow2 or raw) VMs are deployed from' },
    ISO: { value: 'iso', description: 'A CD/DVD image (ISO 9660 or UDF) for a VM\u2019s CD-ROM, or to install a VM from' },
  } as const,
});

const ImageVisibilityEnum = builder.enumType('ImageVisibility', {
  values: {
    PRIVATE: { value: 'private', description: 'Only its owner (and image managers)' },
    SHARED: { value: 'shared', description: 'Its owner and the users it is shared with' },
    PUBLIC: { value: 'public', description: 'Every signed-in user' },
  } as const,
});

const ImageStatusEnum = builder.enumType('ImageStatus', {
  values: {
    UPLOADING: { value: 'uploading', description: 'Being imported or captured; see its task' },
    READY: { value: 'ready', description: 'Checked and in the store: VMs can be deployed from it' },
    ERROR: { value: 'error', description: 'Making it failed; see statusMessage' },
  } as const,
});

/** Why a file is not an image Hangar accepts (also a reason an install from a repository fails). */
export const IMAGE_REJECTIONS = {
  NOT_AN_IMAGE: { value: 'NOT_AN_IMAGE', description: 'Neither qcow2 nor a raw disk with a partition table' },
  UNSUPPORTED_FORMAT: { value: 'UNSUPPORTED_FORMAT', description: 'A disk format other than qcow2 or raw (or compressed, encrypted…)' },
  BACKING_FILE: { value: 'BACKING_FILE', description: 'A qcow2 image that depends on a backing file' },
  DATA_FILE: { value: 'DATA_FILE', description: 'A qcow2 image that keeps its data in an external file' },
  CORRUPT: { value: 'CORRUPT', description: 'Damaged or unreadable' },
} as const;

const ImageRejectionEnum = builder.enumType('ImageRejection', { values: IMAGE_REJECTIONS });

builder.objectType(ImageRejectedError, {
  name: 'ImageRejectedError',
  description: 'The file is not an image Hangar accepts; it was deleted and nothing was created',
  interfaces: [ErrorInterface],
  fields: (t) => ({ reason: t.field({ type: ImageRejectionEnum, resolve: (e) => e.reason }) }),
});

// ---- the Upload scalar ----

/**
 * What an Upload variable holds while the operation runs: an opaque token from the multipart
 * request. Scalars cannot see the context, so fileOf() looks it up in this request's files.
 */
class UploadToken {
  readonly #token: string;
  constructor(token: string) {
    this.#token = token;
  }
  get token(): string {
    return this.#token;
  }
}

const scalarType = builder.scalarType.bind(builder) as unknown as (name: string, options: object) => ScalarRef<never, never, UploadToken>;
const UploadScalar = scalarType('Upload', {
  description:
    'A file sent with the GraphQL multipart request spec (https://github.com/jaydenseric/graphql-multipart-request-spec) ' +
    'as multipart/form-data with the x-hangar-csrf header. It is streamed to disk, never held in memory; the client ' +
    'shows progress from its own upload (XHR upload progress events). Only usable as a variable.',
  serialize: () => {
    throw new GraphQLError('Upload is an input-only type');
  },
  parseValue: (value: unknown) => {
    if (typeof value !== 'string') throw new GraphQLError('An Upload is sent as a file of a multipart request', { extensions: { code: 'BAD_USER_INPUT' } });
    return new UploadToken(value);
  },
  parseLiteral: (ast: { kind: string }) => {
    if (ast.kind === Kind.NULL) return null;
    throw new GraphQLError('An Upload is given through a variable of a multipart request', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

/** The file a token names, in this request only: a token from elsewhere (or a JSON request) is refused. */
function fileOf(ctx: Context, upload: UploadToken, field: string): UploadedFile {
  const file = ctx.uploads?.get(upload.token);
  if (!file) throw ValidationError.forField(field, `${field} must be a file sent with this request (multipart/form-data)`);
  return file;
}

// ---- Image ----

export const ImageRef = builder.loadableNode('Image', {
  description: 'An OS disk image VMs are deployed from',
  loaderOptions: NO_MEMO,
  id: { resolve: (image: ImageRow) => image.id },
  authScopes: { authenticated: true },
  load: (ids: string[], ctx) => images.imagesForViewer(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    osFamily: t.exposeString('os_family', { nullable: true, description: 'e.g. debian, ubuntu, windows' }),
    osVersion: t.exposeString('os_version', { nullable: true }),
    kind: t.field({ type: ImageKindEnum, resolve: (i) => i.kind as 'disk' }),
    format: t.field({ type: ImageFormatEnum, nullable: true, description: 'null until the file is in the store', resolve: (i) => i.format as 'qcow2' | null }),
    virtualSizeBytes: t.float({ nullable: true, description: 'The size of the disk it holds', resolve: (i) => (i.virtual_size_bytes === null ? null : Number(i.virtual_size_bytes)) }),
    fileSizeBytes: t.float({ nullable: true, description: 'The size of the file in the store', resolve: (i) => (i.file_size_bytes === null ? null : Number(i.file_size_bytes)) }),
    sha256: t.exposeString('sha256', { nullable: true }),
    minDiskGb: t.exposeInt('min_disk_gb', { nullable: true }),
    minMemoryMb: t.exposeInt('min_memory_mb', { nullable: true }),
    cloudInit: t.exposeBoolean('cloud_init', { description: 'The guest runs cloud-init: deploys configure it' }),
    defaultUser: t.exposeString('default_user', { nullable: true, description: 'The login user cloud-init creates when the deploy names none' }),
    owner: t.field({
      type: UserRef,
      nullable: true,
      description: 'null when the owner is gone or you may not see users',
      resolve: (i, _args, ctx) => (i.owner_id && canSeeUser(ctx.viewer, i.owner_id) ? i.owner_id : null),
    }),
    visibility: t.field({ type: ImageVisibilityEnum, resolve: (i) => i.visibility as 'private' }),
    sharedWith: t.field({
      type: [UserRef],
      description: 'The users a SHARED image is shared with (only its owner and image managers see the list; users you may not see are left out)',
      resolve: async (i, _args, ctx) => {
        if (!images.canManageImage(ctx.viewer, i)) return [];
        const [userIds] = await images.sharesOfImages(ctx.db, [i.id]);
        return userIds.filter((userId) => canSeeUser(ctx.viewer, userId));
      },
    }),
    status: t.field({ type: ImageStatusEnum, resolve: (i) => i.status as 'ready' }),
    statusMessage: t.exposeString('status_message', { nullable: true }),
    source: t.exposeString('source', { nullable: true, description: 'upload:<file name>, the URL it was imported from, or vm:<id> for a capture' }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    updatedAt: t.expose('updated_at', { type: 'DateTime' }),
  }),
});

const ImageFilter = builder.inputType('ImageFilter', {
  fields: (t) => ({
    search: t.string({ description: 'In the name, OS family and version', validate: { maxLength: 100 } }),
    visibility: t.field({ type: ImageVisibilityEnum }),
    status: t.field({ type: ImageStatusEnum }),
    ownerId: t.id(),
    kind: t.field({ type: ImageKindEnum, description: 'Only disk images, or only ISOs' }),
  }),
});

builder.queryFields((t) => ({
  images: t.connection({
    type: ImageRef,
    description: 'The images you may use: yours, those shared with you and public ones (every image with Image.Manage)',
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: ImageFilter, required: false }) },
    resolve: (_root, args, ctx) => {
      const f = args.filter ?? {};
      const filter = { search: f.search, visibility: f.visibility, status: f.status, ownerId: f.ownerId ? idOf(String(f.ownerId), 'User', 'filter.ownerId') : null, kind: f.kind };
      return resolveKeysetConnection(args, images.IMAGE_ORDER, { defaultSize: 50, maxSize: 200 }, (page) => images.listImages(ctx.db, ctx.viewer!, filter, page));
    },
  }),
}));

// ---- changes ----

const ImageInput = builder.inputType('ImageInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: { maxLength: 200 } }),
    osFamily: t.string({ validate: { maxLength: 100 } }),
    osVersion: t.string({ validate: { maxLength: 100 } }),
    minDiskGb: t.int({ description: 'Default: the image\u2019s own size' }),
    minMemoryMb: t.int(),
    cloudInit: t.boolean({ description: 'The guest runs cloud-init (default false)' }),
    defaultUser: t.string({ validate: { maxLength: 64 } }),
    kind: t.field({ type: ImageKindEnum, description: 'DISK (default) or ISO: an ISO is checked to be an ISO 9660 or UDF image' }),
  }),
});

const UpdateImageInput = builder.inputType('UpdateImageInput', {
  fields: (t) => ({
    name: t.string({ validate: { maxLength: 200 } }),
    osFamily: t.string({ description: 'null or empty clears it', validate: { maxLength: 100 } }),
    osVersion: t.string({ validate: { maxLength: 100 } }),
    minDiskGb: t.int(),
    minMemoryMb: t.int(),
    cloudInit: t.boolean(),
    defaultUser: t.string({ validate: { maxLength: 64 } }),
  }),
});

type InputShape = { [key: string]: unknown };
/** GraphQL leaves absent fields undefined and explicit ones null; the service treats null as "clear". */
const metadataOf = (input: InputShape) => input as unknown as images.ImageMetadata;

const ImportImagePayload = builder.objectRef<images.ImageWithTask>('ImportImagePayload').implement({
  description: 'The new image (status UPLOADING) and the task that downloads and checks it (follow it with taskUpdated)',
  fields: (t) => ({
    image: t.field({ type: ImageRef, resolve: (p) => p.image }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
  }),
});

builder.mutationFields((t) => ({
  uploadImage: t.field({
    type: ImageRef,
    errors: { types: [ImageRejectedError] },
    description:
      'Adds a private image from a qcow2 or raw file sent in this multipart request (see the Upload scalar). The file is checked ' +
      '(no backing or data files, not corrupt) before it is accepted; a refused file is deleted. Progress is the client\u2019s ' +
      '(XHR upload progress); a file over HANGAR_IMAGE_MAX_BYTES ends the request with HTTP 413 (code PAYLOAD_TOO_LARGE).',
    authScopes: { privilege: 'Image.Create' },
    extensions: { auditCreates: 'Image' },
    args: { input: t.arg({ type: ImageInput, required: true }), file: t.arg({ type: UploadScalar, required: true }) },
    resolve: (_root, { input, file }, ctx) => images.createUploadedImage(ctx, metadataOf(input), fileOf(ctx, file, 'file')),
  }),
  importImage: t.field({
    type: ImportImagePayload,
    errors: {},
    description:
      'Adds a private image downloaded from an http or https URL by a worker (task image.import: Download, Inspect). ' +
      'Private, loopback and link-local addresses are refused unless an administrator allowed their network (HANGAR_IMPORT_ALLOWED_NETWORKS)',
    authScopes: { privilege: 'Image.Create' },
    args: { input: t.arg({ type: ImageInput, required: true }), url: t.arg.string({ required: true, validate: { maxLength: images.IMPORT_URL_MAX_LENGTH } }) },
    resolve: (_root, { input, url }, ctx) => images.importImage(ctx, metadataOf(input), url),
  }),
  updateImage: t.field({
    type: ImageRef,
    errors: {},
    description: 'Changes the image\u2019s description (its owner, or Image.Manage)',
    authScopes: { anyPrivilege: ['Image.Create', 'Image.Manage'] },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateImageInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => images.updateImage(ctx, idOf(String(id), 'Image'), metadataOf(input)),
  }),
  shareImage: t.field({
    type: ImageRef,
    errors: {},
    description: 'Sets who sees the image. SHARED (Image.Share, your own image) replaces the list of users; PUBLIC needs Image.Manage; PRIVATE and PUBLIC clear the list',
    authScopes: { anyPrivilege: ['Image.Share', 'Image.Manage'] },
    args: {
      id: t.arg.id({ required: true }),
      visibility: t.arg({ type: ImageVisibilityEnum, required: true }),
      userIds: t.arg.idList({ description: 'With SHARED: the users who may see and deploy it', validate: { maxLength: 1000 } }),
    },
    resolve: (_root, { id, visibility, userIds }, ctx) =>
      images.shareImage(
        ctx,
        idOf(String(id), 'Image'),
        visibility,
        (userIds ?? []).map((u) => idOf(String(u), 'User', 'userIds')),
      ),
  }),
  deleteImage: t.field({
    type: ImageRef,
    errors: {},
    description: 'Deletes the image and its file (its owner, or Image.Manage); refused while a VM uses it',
    authScopes: { anyPrivilege: ['Image.Create', 'Image.Manage'] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => images.deleteImage(ctx, idOf(String(id), 'Image')),
  }),
}));

// ---- live ----

interface ImageChange {
  id: string;
  image: ImageRow | null;
}

const ImageChangeRef = builder.objectRef<ImageChange>('ImageChange').implement({
  description: 'An image that was added, changed or deleted; image is null when it is gone from your view (deleted, or no longer shared with you)',
  fields: (t) => ({
    id: t.id({ description: 'The image\u2019s id (as Image.id)', resolve: (change) => encodeGlobalID('Image', change.id) }),
    image: t.field({ type: ImageRef, nullable: true, resolve: (change) => change.image }),
  }),
});

builder.subscriptionFields((t) => ({
  imagesUpdated: t.field({
    type: ImageChangeRef,
    description: 'Every image you may see (as in images), each time one is added, changed, shared or deleted',
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => filtered(ctx.pubsub.subscribe('images:updated'), (event) => images.canHearOfImage(ctx.viewer, event)),
    resolve: async (event, _args, ctx) => {
      const [image] = await images.imagesForViewer(ctx.db, ctx.viewer, [event.id]);
      return { id: event.id, image: image instanceof Error ? null : image };
    },
  }),
}));
