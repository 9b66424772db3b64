import { z } from 'zod';
import { defineOperation } from './define.ts';
import { recordDeletedSnapshot } from './snapshot-records.ts';

/** Deletes a snapshot from the VM's disk (in the running VM too); its children hang from its parent. */
export const vmSnapshotDelete = defineOperation({
  name: 'vm.snapshot-delete',
  steps: ['Delete the snapshot', 'Record the snapshot tree'],
  privileges: ['VM.Snapshot'],
  from: ['running', 'paused', 'stopped', 'crashed', 'error'],
  needsOnlineHost: true,
  failure: 'rollback',
  // Asking for it marked the snapshot as being deleted.
  cancellable: false,
  params: z.object({ snapshotId: z.uuid() }),
  action: { action: 'SNAPSHOT_DELETE', label: 'Delete a snapshot', description: 'Removes a snapshot from the VM\u2019s disk, running or not' },
  async run(ctx) {
    const { hypervisor, vm } = ctx;
    await ctx.step('Delete the snapshot', () => hypervisor.deleteSnapshot(vm.id, ctx.params.snapshotId));
    await ctx.step('Record the snapshot tree', () => recordDeletedSnapshot(ctx, ctx.params.snapshotId));
  },
  async afterHook(ctx) {
    if (await ctx.hypervisor.snapshotInfo(ctx.vm.id, ctx.params.snapshotId)) throw new Error('The hook ended but libvirt still has the snapshot');
    await recordDeletedSnapshot(ctx, ctx.params.snapshotId);
  },
  // Not deleted after all: it shows as it is again, or goes when libvirt no longer has it.
  async rollback(ctx) {
    if (await ctx.hypervisor.snapshotInfo(ctx.vm.id, ctx.params.snapshotId)) await ctx.services.recordSnapshotKept(ctx.params.snapshotId);
    else await recordDeletedSnapshot(ctx, ctx.params.snapshotId);
  },
});
