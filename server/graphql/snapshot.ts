import type { VmRow, VmSnapshotRow } from '../../db/types.ts';
import { QuotaExceededError } from '../errors.ts';
import { OPERATIONS } from '../operations/registry.ts';
import * as snapshots from '../services/snapshots.ts';
import { builder, NO_MEMO } from './builder.ts';
import { idOf } from './errors.ts';
import { TaskRef } from './task.ts';
import { UserRef } from './user.ts';
import { VmRef } from './vm.ts';

const SnapshotStatusEnum = builder.enumType('VmSnapshotStatus', {
  values: {
    CREATING: { value: 'creating', description: 'Its task is taking it' },
    READY: { value: 'ready' },
    DELETING: { value: 'deleting', description: 'A delete is queued or running' },
  } as const,
});

export const VmSnapshotRef = builder.loadableNode('VmSnapshot', {
  loaderOptions: NO_MEMO,
  description: 'A saved state of a VM (an internal qcow2 snapshot in its disk) that it can be reverted to',
  id: { resolve: (s: VmSnapshotRow) => s.id },
  authScopes: { authenticated: true },
  load: (ids: string[], ctx) => snapshots.visibleSnapshots(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    status: t.field({ type: SnapshotStatusEnum, resolve: (s) => s.status }),
    vm: t.field({ type: VmRef, resolve: (s) => s.vm_id }),
    parent: t.field({ type: 'VmSnapshot' as never, nullable: true, description: 'The snapshot it was taken on top of (the VM\u2019s current one then); null for a root', resolve: (s: VmSnapshotRow) => s.parent_id as never }),
    isCurrent: t.exposeBoolean('is_current', { description: 'The VM runs on from this one: a new snapshot becomes its child' }),
    includesMemory: t.exposeBoolean('includes_memory', { description: 'Its memory was saved (the VM ran): reverting resumes the guest where it was' }),
    quiesced: t.exposeBoolean('quiesced', { description: 'The guest agent froze the file systems while it was taken' }),
    sizeBytes: t.float({ nullable: true, description: 'What taking it added to the VM\u2019s disk file (its memory state and tables); blocks changed later and kept for it are not counted', resolve: (s) => (s.size_bytes === null ? null : Number(s.size_bytes)) }),
    createdBy: t.field({ type: UserRef, nullable: true, description: 'Who took it', resolve: (s) => s.created_by }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
  }),
});

builder.objectField(VmRef, 'snapshots', (t) =>
  t.loadableList({
    type: VmSnapshotRef,
    loaderOptions: NO_MEMO,
    description: 'Its snapshots, oldest first; parent links make the tree',
    resolve: (vm: VmRow) => vm.id,
    load: (ids: string[], ctx) => snapshots.snapshotsOfVms(ctx.db, ids),
  }),
);

const VmSnapshotTaskPayload = builder.objectRef<snapshots.SnapshotWithTask>('VmSnapshotTaskPayload').implement({
  description: 'The snapshot, its VM and the task that carries the operation out (follow it with taskUpdated)',
  fields: (t) => ({
    snapshot: t.field({ type: VmSnapshotRef, resolve: (p) => p.snapshot }),
    vm: t.field({ type: VmRef, resolve: (p) => p.vm }),
    task: t.field({ type: TaskRef, resolve: (p) => p.task }),
  }),
});

const CreateSnapshotInput = builder.inputType('CreateSnapshotInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Unique among the VM\u2019s snapshots', validate: { maxLength: 64 } }),
    description: t.string({ validate: { maxLength: 1000 } }),
    includeMemory: t.boolean({ description: 'Unset: with memory when the VM runs (libvirt saves a running VM\u2019s memory with its internal snapshot), without when it is stopped' }),
  }),
});

const scopesOf = (name: keyof typeof OPERATIONS) => ({ allPrivileges: OPERATIONS[name].privileges });

builder.mutationFields((t) => ({
  createSnapshot: t.field({
    type: VmSnapshotTaskPayload,
    errors: { types: [QuotaExceededError] },
    description: OPERATIONS['vm.snapshot-create'].action.description,
    authScopes: scopesOf('vm.snapshot-create'),
    args: { vmId: t.arg.id({ required: true }), input: t.arg({ type: CreateSnapshotInput, required: true }) },
    resolve: (_root, { vmId, input }, ctx) => snapshots.createSnapshot(ctx, idOf(String(vmId), 'Vm', 'vmId'), { name: input.name, description: input.description ?? undefined, includeMemory: input.includeMemory }),
  }),
  revertToSnapshot: t.field({
    type: VmSnapshotTaskPayload,
    errors: {},
    description: OPERATIONS['vm.snapshot-revert'].action.description,
    authScopes: scopesOf('vm.snapshot-revert'),
    args: { id: t.arg.id({ required: true, description: 'The snapshot' }) },
    resolve: (_root, { id }, ctx) => snapshots.revertToSnapshot(ctx, idOf(String(id), 'VmSnapshot')),
  }),
  deleteSnapshot: t.field({
    type: VmSnapshotTaskPayload,
    errors: {},
    description: OPERATIONS['vm.snapshot-delete'].action.description,
    authScopes: scopesOf('vm.snapshot-delete'),
    args: { id: t.arg.id({ required: true, description: 'The snapshot' }) },
    resolve: (_root, { id }, ctx) => snapshots.deleteSnapshot(ctx, idOf(String(id), 'VmSnapshot')),
  }),
}));
