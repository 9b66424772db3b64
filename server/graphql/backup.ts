import type { BackupDisk, BackupTargetRow } from '../../db/types.ts';
import { HostConnectionError, NoCapacityError, NotFoundError, QuotaExceededError } from '../errors.ts';
import * as backups from '../services/backups.ts';
import { hasPrivilege } from '../services/auth.ts';
import { builder, NO_MEMO } from './builder.ts';
import { idOf } from './errors.ts';
import { HostRef } from './host.ts';
import { TaskRef } from './task.ts';
import { VmRef } from './vm.ts';

export const BackupTargetRef = builder.loadableNode('BackupTarget', {
  description: 'Where backups go: a libvirt storage pool on one host, or a path every host sees',
  loaderOptions: NO_MEMO,
  id: { resolve: (t: BackupTargetRow) => t.id },
  // Who backs up picks a target; who manages targets sees them.
  authScopes: { anyPrivilege: ['VM.Backup', 'BackupTarget.Manage', 'Backup.Restore'] },
  load: async (ids: string[], ctx) => {
    const rows = await backups.backupTargetsByIds(ctx.db, ids);
    return ids.map((id) => rows.find((r) => r.id === id) ?? new NotFoundError('The backup target'));
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    host: t.field({ type: HostRef, nullable: true, description: 'Null: a shared path every host sees', resolve: (p, _args, ctx) => (p.host_id && hasPrivilege(ctx.viewer, 'Host.View') ? p.host_id : null) }),
    shared: t.boolean({ resolve: (p) => p.host_id === null }),
    pool: t.exposeString('pool', { description: 'The libvirt storage pool the files go into' }),
    path: t.exposeString('path'),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
  }),
});

const BackupKindEnum = builder.enumType('BackupKind', {
  values: { FULL: { value: 'full', description: 'Every disk whole' }, INCREMENTAL: { value: 'incremental', description: 'What changed since its parent' } },
});

const BackupStatusEnum = builder.enumType('BackupStatus', {
  values: {
    QUEUED: { value: 'queued' },
    RUNNING: { value: 'running' },
    READY: { value: 'ready', description: 'Written and verified: it can be restored' },
    FAILED: { value: 'failed', description: 'See error; nothing of it is left on the target' },
  },
});

const BackupDiskRef = builder.objectRef<BackupDisk>('BackupDisk').implement({
  fields: (t) => ({
    target: t.exposeString('target', { description: 'The disk in the domain (vda, vdb…)' }),
    virtualSizeBytes: t.float({ resolve: (d) => d.virtualSizeBytes }),
  }),
});

export const BackupRef = builder.loadableNode('Backup', {
  description: 'A copy of every disk of a VM at one moment: full, or incremental on top of its parent',
  loaderOptions: NO_MEMO,
  id: { resolve: (b: backups.VisibleBackup) => b.id },
  authScopes: { authenticated: true },
  load: async (ids: string[], ctx) => {
    const rows = await backups.backupsByIds(ctx.db, ids);
    return ids.map((id) => rows.find((r) => r.id === id && backups.canSeeBackup(ctx.viewer, r)) ?? new NotFoundError('The backup'));
  },
  fields: (t) => ({
    kind: t.expose('kind', { type: BackupKindEnum }),
    status: t.expose('status', { type: BackupStatusEnum }),
    chainLength: t.exposeInt('chain_length', { description: 'Files a restore reads: 1 for a full backup' }),
    checkpoint: t.exposeString('checkpoint', { nullable: true, description: 'The libvirt checkpoint it made: the next incremental starts there' }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why a full backup was full' }),
    error: t.exposeString('error', { nullable: true }),
    sizeBytes: t.float({ nullable: true, description: 'What its files take on the target', resolve: (b) => (b.size_bytes === null ? null : Number(b.size_bytes)) }),
    readBytes: t.float({ nullable: true, description: 'What the backup read from the disks', resolve: (b) => (b.read_bytes === null ? null : Number(b.read_bytes)) }),
    disks: t.field({ type: [BackupDiskRef], resolve: (b) => b.disks as BackupDisk[] }),
    vm: t.field({ type: VmRef, nullable: true, description: 'Null once the VM is deleted (its backups stay)', resolve: (b) => (b.vm_id && !b.vm_deleted ? b.vm_id : null) }),
    vmName: t.exposeString('vm_name', { description: 'The VM\u2019s name when it was backed up' }),
    vmDeleted: t.boolean({ resolve: (b) => b.vm_deleted || b.vm_id === null }),
    target: t.field({ type: BackupTargetRef, resolve: (b) => b.target_id }),
    task: t.field({ type: TaskRef, nullable: true, resolve: (b) => b.task_id }),
    scheduleId: t.exposeString('schedule_id', { nullable: true, description: 'The schedule that asked for it, if any' }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
    finishedAt: t.expose('finished_at', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectField(BackupRef, 'parent', (t) => t.field({ type: BackupRef, nullable: true, description: 'The backup an incremental is built on', resolve: (b) => b.parent_id }));

builder.objectField(VmRef, 'backups', (t) =>
  t.loadableList({
    type: BackupRef,
    description: 'Its backups, newest first, if you may see them',
    loaderOptions: NO_MEMO,
    resolve: (vm) => vm.id,
    load: (ids: string[], ctx) => backups.backupsOfVms(ctx.db, ctx.viewer, ids),
  }),
);

builder.queryFields((t) => ({
  backupTargets: t.field({
    type: [BackupTargetRef],
    description: 'Every backup target',
    authScopes: { anyPrivilege: ['VM.Backup', 'BackupTarget.Manage', 'Backup.Restore'] },
    resolve: (_root, _args, ctx) => backups.listBackupTargets(ctx.db),
  }),
  backups: t.field({
    type: [BackupRef],
    description: 'The backups you may see, newest first (your VMs\u2019, deleted ones\u2019 too; every one with VM.ViewAll), of one VM if given',
    authScopes: { authenticated: true },
    args: { vmId: t.arg.id(), limit: t.arg.int({ validate: { min: 1, max: 500 } }) },
    resolve: (_root, { vmId, limit }, ctx) => backups.listBackups(ctx.db, ctx.viewer!, { vmId: vmId ? idOf(String(vmId), 'Vm', 'vmId') : null, limit: limit ?? undefined }),
  }),
}));

const CreateBackupTargetInput = builder.inputType('CreateBackupTargetInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: { maxLength: 200 } }),
    hostId: t.id({ description: 'With pool: a storage pool of that host' }),
    pool: t.string({ validate: { maxLength: 200 } }),
    path: t.string({ description: 'Without hostId: a path every host sees (a directory pool is made there on each host)', validate: { maxLength: 1000 } }),
  }),
});

const BackupTaskPayload = builder.objectRef<backups.BackupWithTask>('BackupTaskPayload').implement({
  description: 'The backup being made and its task',
  fields: (t) => ({
    backup: t.field({ type: BackupRef, resolve: (p) => p.backup.id }),
    vm: t.field({ type: VmRef, resolve: (p) => p.vm }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
  }),
});

const RestorePayload = builder.objectRef<Awaited<ReturnType<typeof backups.restoreBackup>>>('RestoreBackupPayload').implement({
  description: 'The VM the backup is restored onto (a new one with asNewVm) and the task',
  fields: (t) => ({
    backup: t.field({ type: BackupRef, resolve: (p) => p.backup.id }),
    vm: t.field({ type: VmRef, resolve: (p) => p.vm }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
  }),
});

const RestoreAsNewVmInput = builder.inputType('RestoreAsNewVmInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: { maxLength: 200 } }),
    hostId: t.id({ description: 'Host.Manage only; a host-bound target restores on its own host' }),
  }),
});

const RestoreBackupInput = builder.inputType('RestoreBackupInput', {
  description: 'Exactly one of toVm and asNewVm',
  fields: (t) => ({
    toVm: t.boolean({ description: 'Replace the disks of the VM it was taken from (it is powered off)' }),
    asNewVm: t.field({ type: RestoreAsNewVmInput }),
  }),
});

const DeleteBackupPayload = builder.objectRef<{ deletedIds: string[] }>('DeleteBackupPayload').implement({
  fields: (t) => ({ deletedIds: t.idList({ description: 'The backups deleted (with its dependents when asked)', resolve: (p) => p.deletedIds }) }),
});

builder.mutationFields((t) => ({
  createBackupTarget: t.field({
    type: BackupTargetRef,
    errors: { types: [HostConnectionError] },
    description: 'Registers a backup target after checking it: a running pool with a directory on the host, or a path usable on every online host',
    authScopes: { privilege: 'BackupTarget.Manage' },
    extensions: { auditCreates: 'BackupTarget' },
    args: { input: t.arg({ type: CreateBackupTargetInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      backups.createBackupTarget(ctx, { name: input.name, hostId: input.hostId ? idOf(String(input.hostId), 'Host', 'hostId') : null, pool: input.pool, path: input.path }),
  }),
  deleteBackupTarget: t.field({
    type: BackupTargetRef,
    errors: {},
    description: 'Removes a target that holds no backup',
    authScopes: { privilege: 'BackupTarget.Manage' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => backups.deleteBackupTarget(ctx, idOf(String(id), 'BackupTarget')),
  }),
  backupVm: t.field({
    type: BackupTaskPayload,
    errors: {},
    description: 'Backs up every disk of the VM into the target: full the first time, then incremental from the last checkpoint',
    authScopes: { privilege: 'VM.Backup' },
    args: { vmId: t.arg.id({ required: true }), targetId: t.arg.id({ required: true }) },
    resolve: (_root, { vmId, targetId }, ctx) => backups.backupVm(ctx, idOf(String(vmId), 'Vm', 'vmId'), idOf(String(targetId), 'BackupTarget', 'targetId')),
  }),
  restoreBackup: t.field({
    type: RestorePayload,
    errors: { types: [QuotaExceededError, NoCapacityError] },
    description: 'Restores a backup onto its VM or as a new VM',
    authScopes: { privilege: 'Backup.Restore' },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: RestoreBackupInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      backups.restoreBackup(ctx, idOf(String(id), 'Backup'), {
        toVm: input.toVm,
        asNewVm: input.asNewVm ? { name: input.asNewVm.name, hostId: input.asNewVm.hostId ? idOf(String(input.asNewVm.hostId), 'Host', 'hostId') : null } : null,
      }),
  }),
  deleteBackup: t.field({
    type: DeleteBackupPayload,
    errors: {},
    description: 'Deletes a backup\u2019s files; refused while incrementals depend on it unless withDependents',
    authScopes: { privilege: 'VM.Backup' },
    args: { id: t.arg.id({ required: true }), withDependents: t.arg.boolean() },
    resolve: async (_root, { id, withDependents }, ctx) => ({ deletedIds: await backups.deleteBackup(ctx, idOf(String(id), 'Backup'), { withDependents: withDependents ?? false }) }),
  }),
}));
