// VM snapshots: who may take, revert to and delete them, the per-VM quota, and what a request may
// say. Each change is a task on the VM's host queue (operations/vm-snapshot-*.ts), recorded with
// its row in one transaction; the rows mirror libvirt's snapshot tree (the operations keep them so).
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, VmRow, VmSnapshotRow } from '../../db/types.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { SnapshotFacts } from '../operations/define.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { checkSnapshotQuota } from './quotas.ts';
import { parseInput } from './validation.ts';
import { canSeeVm } from './vm-authority.ts';
import { announceQueued, lockedVmFor, scheduleTask, type VmWithTask } from './vms.ts';

export const snapshotSchema = z.object({
  name: z.string().trim().min(1, 'Give the snapshot a name').max(64, 'At most 64 characters'),
  description: z.string().trim().max(1000, 'At most 1000 characters').default(''),
  /** Unset: with memory when the VM runs, without when it is stopped. */
  includeMemory: z.boolean().nullish(),
});
export type SnapshotInput = z.input<typeof snapshotSchema>;

export interface SnapshotWithTask extends VmWithTask {
  snapshot: VmSnapshotRow;
}

/** A VM's snapshots (oldest first) for each VM; the caller has checked that the viewer may see the VMs. */
export async function snapshotsOfVms(db: Db, vmIds: readonly string[]): Promise<VmSnapshotRow[][]> {
  if (!vmIds.length) return [];
  const rows = await db.selectFrom('vm_snapshots').selectAll().where('vm_id', 'in', vmIds).orderBy('created_at').orderBy('id').execute();
  return vmIds.map((id) => rows.filter((r) => r.vm_id === id));
}

/** Snapshots by id, each only when the viewer may see its VM (otherwise NotFound, which reveals nothing). */
export async function visibleSnapshots(db: Db, viewer: ServiceContext['viewer'], ids: readonly string[]): Promise<(VmSnapshotRow | NotFoundError)[]> {
  if (!ids.length) return [];
  const rows = await db.selectFrom('vm_snapshots as s').innerJoin('vms as v', 'v.id', 's.vm_id').selectAll('s').select('v.owner_id').where('s.id', 'in', ids).where('v.deleted_at', 'is', null).execute();
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    if (!row || !canSeeVm(viewer, row)) return new NotFoundError('The snapshot');
    const { owner_id: _owner, ...snapshot } = row;
    return snapshot;
  });
}

/**
 * Queues a snapshot of the VM. A running (or paused) VM's snapshot holds its memory, a stopped
 * VM's its disk alone: asking otherwise is refused with why. The VM's row is locked and its
 * owner's quota counted in the same transaction that records the snapshot, so two requests cannot
 * both take the last one.
 */
export async function createSnapshot(ctx: ServiceContext, vmId: string, raw: SnapshotInput): Promise<SnapshotWithTask> {
  const input = parseInput(snapshotSchema, raw);
  const actor = actorOf(ctx);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, actor, vmId, 'vm.snapshot-create');
    const active = vm.state === 'running' || vm.state === 'paused';
    const includeMemory = input.includeMemory ?? active;
    if (includeMemory && !active) throw ValidationError.forField('includeMemory', 'A stopped VM has no memory to save: take its snapshot without memory');
    if (!includeMemory && active) throw ValidationError.forField('includeMemory', 'A running VM\u2019s snapshot includes its memory (libvirt takes an internal snapshot of a running VM only with it): stop the VM for a disk-only snapshot');
    const taken = await trx.selectFrom('vm_snapshots').select('id').where('vm_id', '=', vm.id).where('name', '=', input.name).executeTakeFirst();
    if (taken) throw ValidationError.forField('name', `This VM already has a snapshot called ${input.name}`);
    await checkSnapshotQuota(trx, vm.owner_id, vm.id);
    const snapshot = await trx
      .insertInto('vm_snapshots')
      .values({ vm_id: vm.id, name: input.name, description: input.description, created_by: actor.userId || null, includes_memory: includeMemory, status: 'creating' })
      .returningAll()
      .executeTakeFirstOrThrow();
    const task = await scheduleTask(trx, ctx, 'vm.snapshot-create', vm, vm.host_id!, { snapshotId: snapshot.id });
    return { vm, task, snapshot };
  });
  return announceQueued(ctx, result, false);
}

/** Queues putting the VM back to one of its snapshots (ready ones only). */
export async function revertToSnapshot(ctx: ServiceContext, snapshotId: string): Promise<SnapshotWithTask> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const { vm, snapshot } = await lockedSnapshot(trx, ctx, snapshotId, 'vm.snapshot-revert');
    const task = await scheduleTask(trx, ctx, 'vm.snapshot-revert', vm, vm.host_id!, { snapshotId: snapshot.id });
    return { vm, task, snapshot };
  });
  return announceQueued(ctx, result, false);
}

/** Queues deleting a snapshot; it shows as being deleted from now on, and can be neither reverted to nor deleted again. */
export async function deleteSnapshot(ctx: ServiceContext, snapshotId: string): Promise<SnapshotWithTask> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const { vm, snapshot } = await lockedSnapshot(trx, ctx, snapshotId, 'vm.snapshot-delete');
    const marked = await trx.updateTable('vm_snapshots').set({ status: 'deleting' }).where('id', '=', snapshot.id).returningAll().executeTakeFirstOrThrow();
    const task = await scheduleTask(trx, ctx, 'vm.snapshot-delete', vm, vm.host_id!, { snapshotId: snapshot.id });
    return { vm, task, snapshot: marked };
  });
  return announceQueued(ctx, result, false);
}

/** The snapshot and its VM (locked), when the viewer may ask for the operation on it now. */
async function lockedSnapshot(trx: Transaction<Database>, ctx: ServiceContext, snapshotId: string, operation: 'vm.snapshot-revert' | 'vm.snapshot-delete'): Promise<{ vm: VmRow; snapshot: VmSnapshotRow }> {
  const actor = actorOf(ctx);
  const found = await trx.selectFrom('vm_snapshots as s').innerJoin('vms as v', 'v.id', 's.vm_id').select(['s.vm_id', 'v.owner_id']).where('s.id', '=', snapshotId).where('v.deleted_at', 'is', null).executeTakeFirst();
  if (!found || !canSeeVm(actor, found)) throw new NotFoundError('The snapshot');
  const vm = await lockedVmFor(trx, actor, found.vm_id, operation);
  const snapshot = await trx.selectFrom('vm_snapshots').selectAll().where('id', '=', snapshotId).forUpdate().executeTakeFirst();
  if (!snapshot) throw new NotFoundError('The snapshot');
  if (snapshot.status !== 'ready') throw new ConflictError(`The snapshot ${snapshot.name} is ${snapshot.status === 'creating' ? 'still being taken' : 'being deleted'}`);
  return { vm, snapshot };
}

// What the snapshot operations record (OperationServices, given them by the worker).

export async function snapshotRecord(db: Db, snapshotId: string): Promise<{ quiesced: boolean } | null> {
  return (await db.selectFrom('vm_snapshots').select('quiesced').where('id', '=', snapshotId).executeTakeFirst()) ?? null;
}

export async function recordSnapshotTaken(db: Db, vmId: string, snapshotId: string, facts: SnapshotFacts, current: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // A parent made by hand outside Hangar is not one of ours: the snapshot shows as a root.
    const parent = facts.parent ? await trx.selectFrom('vm_snapshots').select('id').where('vm_id', '=', vmId).where('id', '=', facts.parent).executeTakeFirst() : undefined;
    await trx
      .updateTable('vm_snapshots')
      .set({ status: 'ready', parent_id: parent?.id ?? null, created_at: facts.createdAt, includes_memory: facts.withMemory, quiesced: facts.quiesced, size_bytes: facts.sizeBytes })
      .where('id', '=', snapshotId)
      .where('vm_id', '=', vmId)
      .execute();
    await markCurrent(trx, vmId, current);
  });
}

export async function recordSnapshotGone(db: Db, vmId: string, snapshotId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('vm_snapshots').select('parent_id').where('id', '=', snapshotId).where('vm_id', '=', vmId).forUpdate().executeTakeFirst();
    if (!row) return;
    await trx.updateTable('vm_snapshots').set({ parent_id: row.parent_id }).where('parent_id', '=', snapshotId).execute();
    await trx.deleteFrom('vm_snapshots').where('id', '=', snapshotId).execute();
  });
}

export async function recordSnapshotKept(db: Db, snapshotId: string): Promise<void> {
  await db.updateTable('vm_snapshots').set({ status: 'ready' }).where('id', '=', snapshotId).where('status', '=', 'deleting').execute();
}

export async function recordCurrentSnapshot(db: Db, vmId: string, current: string | null): Promise<void> {
  await db.transaction().execute((trx) => markCurrent(trx, vmId, current));
}

async function markCurrent(trx: Transaction<Database>, vmId: string, current: string | null): Promise<void> {
  await trx.updateTable('vm_snapshots').set({ is_current: sql<boolean>`(id = ${current}::uuid) is true` }).where('vm_id', '=', vmId).where((eb) => eb.or([eb('is_current', '=', true), eb('id', '=', current ?? '00000000-0000-0000-0000-000000000000')])).execute();
}
