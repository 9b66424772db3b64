import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ImageRepositoryRow } from '../../db/types.ts';
import { hasPrivilege } from '../services/auth.ts';
import * as repositories from '../services/repositories.ts';
import { RepositoryIndexError } from '../services/repositories.ts';
import { builder } from './builder.ts';
import { ErrorInterface, idOf } from './errors.ts';
import { IMAGE_REJECTIONS, ImageRef } from './image.ts';
import { TaskRef } from './task.ts';

const RepositoryRefusalEnum = builder.enumType('RepositoryRefusal', {
  values: {
    UNREACHABLE: { value: 'UNREACHABLE', description: 'The index (or a vendor checksum file) could not be downloaded, or its address is not allowed' },
    INVALID_INDEX: { value: 'INVALID_INDEX', description: 'Not a simplestreams index (or a checksum file without the image)' },
    UNSAFE_NAME: { value: 'UNSAFE_NAME', description: 'A product, version, user or text in the index is not a safe name' },
    UNSAFE_PATH: { value: 'UNSAFE_PATH', description: 'A path in the index leaves the repository (.., absolute, another host, escapes)' },
    BAD_SIGNATURE: { value: 'BAD_SIGNATURE', description: 'The repository has a signing key and the index is not clearsigned by it, or a vendor checksum file of the built-in repository is not signed by the vendor key shipped with Hangar' },
  } as const,
});

builder.objectType(RepositoryIndexError, {
  name: 'RepositoryIndexError',
  description: 'The repository\u2019s index was refused; nothing of it was kept',
  interfaces: [ErrorInterface],
  fields: (t) => ({ reason: t.field({ type: RepositoryRefusalEnum, resolve: (e) => e.reason }) }),
});

const InstallRefusalEnum = builder.enumType('InstallRefusal', {
  values: {
    CHECKSUM_MISMATCH: { value: 'CHECKSUM_MISMATCH', description: 'The downloaded file\u2019s checksum is not the one the index gives' },
    SIZE_MISMATCH: { value: 'SIZE_MISMATCH', description: 'The downloaded file\u2019s size is not the one the index gives' },
    DOWNLOAD_FAILED: { value: 'DOWNLOAD_FAILED', description: 'The download failed (unreachable, refused address, broken off)' },
    ...IMAGE_REJECTIONS,
  } as const,
});

interface Refusal {
  reason: string;
  message: string;
}

const RefreshRefusalRef = builder.objectRef<Refusal>('RepositoryRefreshFailure').implement({
  description: 'Why the last refresh was refused (what was offered before stays)',
  fields: (t) => ({ reason: t.field({ type: RepositoryRefusalEnum, resolve: (r) => r.reason as 'UNREACHABLE' }), message: t.exposeString('message') }),
});

const InstallFailureRef = builder.objectRef<Refusal>('RepositoryInstallFailure').implement({
  description: 'Why the last install of this version was refused; nothing of it was kept',
  fields: (t) => ({ reason: t.field({ type: InstallRefusalEnum, resolve: (r) => r.reason as 'CHECKSUM_MISMATCH' }), message: t.exposeString('message') }),
});

export const ImageRepositoryRef = builder.objectRef<ImageRepositoryRow>('ImageRepository');
export const RepositoryImageRef = builder.objectRef<repositories.RepositoryImageView>('RepositoryImage');

ImageRepositoryRef.implement({
  description: 'An index of OS images (simplestreams), or the built-in list of vendors\u2019 cloud images',
  fields: (t) => ({
    id: t.id({ resolve: (r) => encodeGlobalID('ImageRepository', r.id) }),
    name: t.exposeString('name'),
    url: t.exposeString('url', { description: 'The folder holding streams/v1/index.json; builtin:cloud-images for the built-in one' }),
    builtin: t.exposeBoolean('builtin'),
    signed: t.boolean({ description: 'Only indexes clearsigned by its OpenPGP key are read', resolve: (r) => !!r.signing_key }),
    enabled: t.exposeBoolean('enabled', { description: 'A disabled repository offers nothing and is not refreshed' }),
    refreshedAt: t.expose('refreshed_at', { type: 'DateTime', nullable: true, description: 'The last refresh that was accepted' }),
    refreshFailure: t.field({
      type: RefreshRefusalRef,
      nullable: true,
      resolve: (r) => (r.refresh_error ? { reason: r.refresh_error_reason ?? 'INVALID_INDEX', message: r.refresh_error } : null),
    }),
    images: t.field({ type: [RepositoryImageRef], description: 'What it offers', resolve: (r, _args, ctx) => repositories.listRepositoryImages(ctx.db, r.id) }),
  }),
});

RepositoryImageRef.implement({
  description: 'An OS image a repository offers, at its newest version',
  fields: (t) => ({
    id: t.id({ resolve: (v) => encodeGlobalID('RepositoryImage', v.entry.id) }),
    repository: t.field({ type: ImageRepositoryRef, resolve: (v) => v.repository }),
    product: t.string({ description: 'The product\u2019s name in the index', resolve: (v) => v.entry.product }),
    version: t.string({ resolve: (v) => v.entry.version }),
    name: t.string({ resolve: (v) => v.entry.name }),
    osFamily: t.string({ nullable: true, resolve: (v) => v.entry.os_family }),
    osVersion: t.string({ nullable: true, resolve: (v) => v.entry.os_version }),
    arch: t.string({ nullable: true, resolve: (v) => v.entry.arch }),
    defaultUser: t.string({ nullable: true, resolve: (v) => v.entry.default_user }),
    minDiskGb: t.int({ nullable: true, resolve: (v) => v.entry.min_disk_gb }),
    minMemoryMb: t.int({ nullable: true, resolve: (v) => v.entry.min_memory_mb }),
    sizeBytes: t.float({ nullable: true, description: 'The download\u2019s size, when the index gives it', resolve: (v) => (v.entry.size_bytes === null ? null : Number(v.entry.size_bytes)) }),
    checksumAlgorithm: t.string({ description: 'sha256 or sha512: what the download is verified with', resolve: (v) => v.entry.checksum_algorithm }),
    versionSeenAt: t.field({ type: 'DateTime', description: 'When this version was first seen: what is new', resolve: (v) => v.entry.version_seen_at }),
    installed: t.boolean({ description: 'This version is in the image store', resolve: (v) => !!repositories.installedImageOf(v) }),
    updateAvailable: t.boolean({ description: 'An older version is installed and this one is not', resolve: (v) => repositories.updateAvailable(v) }),
    image: t.field({
      type: ImageRef,
      nullable: true,
      description: 'The installed image of this version, or the one being installed, or the newest older one',
      resolve: (v) => repositories.installedImageOf(v) ?? repositories.installingImageOf(v) ?? v.images.find((i) => i.status === 'ready') ?? null,
    }),
    installTask: t.field({
      type: TaskRef,
      nullable: true,
      description: 'The last install of this entry (image managers only)',
      resolve: async (v, _args, ctx) => {
        if (!hasPrivilege(ctx.viewer, 'Image.Manage')) return null;
        return (await repositories.lastInstallTask(ctx.db, v.entry.id)) ?? null;
      },
    }),
    installFailure: t.field({
      type: InstallFailureRef,
      nullable: true,
      resolve: (v) => (v.entry.install_error ? { reason: v.entry.install_error_reason ?? 'DOWNLOAD_FAILED', message: v.entry.install_error } : null),
    }),
  }),
});

const RefreshPayload = builder.objectRef<repositories.RefreshResult>('RefreshImageRepositoryPayload').implement({
  fields: (t) => ({
    repository: t.field({ type: ImageRepositoryRef, resolve: (p) => p.repository }),
    added: t.exposeInt('added', { description: 'Products offered for the first time' }),
    updated: t.exposeInt('updated', { description: 'Products with a new version' }),
  }),
});

const InstallPayload = builder.objectRef<repositories.RepositoryInstall>('InstallRepositoryImagePayload').implement({
  description: 'The new public image (UPLOADING) and its import task (follow it with taskUpdated)',
  fields: (t) => ({
    image: t.field({ type: ImageRef, resolve: (p) => p.image }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
    repositoryImage: t.field({ type: RepositoryImageRef, resolve: (p, _args, ctx) => repositories.repositoryImageById(ctx.db, p.repositoryImageId) }),
  }),
});

builder.queryFields((t) => ({
  imageRepositories: t.field({
    type: [ImageRepositoryRef],
    description: 'Every repository, enabled or not',
    authScopes: { privilege: 'Image.Manage' },
    resolve: (_root, _args, ctx) => repositories.listRepositories(ctx.db),
  }),
  repositoryImages: t.field({
    type: [RepositoryImageRef],
    description: 'What the enabled repositories offer, by name, with whether each is installed or has an update',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => repositories.listRepositoryImages(ctx.db),
  }),
}));

builder.mutationFields((t) => ({
  addImageRepository: t.field({
    type: RefreshPayload,
    errors: { types: [RepositoryIndexError] },
    description:
      'Adds a simplestreams repository (the folder holding streams/v1/index.json) and reads its index; a refused index adds nothing. ' +
      'Private addresses are refused unless HANGAR_IMPORT_ALLOWED_NETWORKS allows them. With signingKey, an index not signed by it is refused (BAD_SIGNATURE)',
    authScopes: { privilege: 'Image.Manage' },
    args: {
      name: t.arg.string({ required: true, validate: { maxLength: 200 } }),
      url: t.arg.string({ required: true, validate: { maxLength: 2048 } }),
      signingKey: t.arg.string({ description: 'An ASCII-armoured OpenPGP public key: then only streams/v1/*.sjson documents it clearsigned are read', validate: { maxLength: 65536 } }),
    },
    resolve: (_root, args, ctx) => repositories.addRepository(ctx, args),
  }),
  refreshImageRepository: t.field({
    type: RefreshPayload,
    errors: { types: [RepositoryIndexError] },
    description: 'Reads the repository\u2019s index again; a refused index changes nothing offered (its reason is kept as refreshFailure)',
    authScopes: { privilege: 'Image.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => repositories.refreshRepository(ctx, idOf(String(id), 'ImageRepository')),
  }),
  setImageRepositoryEnabled: t.field({
    type: ImageRepositoryRef,
    errors: {},
    authScopes: { privilege: 'Image.Manage' },
    args: { id: t.arg.id({ required: true }), enabled: t.arg.boolean({ required: true }) },
    resolve: (_root, { id, enabled }, ctx) => repositories.setRepositoryEnabled(ctx, idOf(String(id), 'ImageRepository'), enabled),
  }),
  deleteImageRepository: t.field({
    type: ImageRepositoryRef,
    errors: {},
    description: 'Removes a repository; images installed from it stay. The built-in one can only be disabled',
    authScopes: { privilege: 'Image.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => repositories.deleteRepository(ctx, idOf(String(id), 'ImageRepository')),
  }),
  installRepositoryImage: t.field({
    type: InstallPayload,
    errors: {},
    description:
      'Installs the image\u2019s current version as a public image: task image.import (Download, Inspect), the download verified against ' +
      'the index\u2019s checksum. A refused file leaves nothing; its reason is the entry\u2019s installFailure. An older version stays installed',
    authScopes: { privilege: 'Image.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => repositories.installRepositoryImage(ctx, idOf(String(id), 'RepositoryImage')),
  }),
}));
