import { z } from 'zod';
import { defineOperation } from './define.ts';
import { diskAllocation, recordDeletedSnapshot, recordTakenSnapshot } from './snapshot-records.ts';

/**
 * Takes an internal snapshot in the VM's qcow2 disk: with its memory when it runs (libvirt 9 takes
 * a running VM's internal snapshot only so), of the disk alone when it is stopped. When the guest
 * agent answers, the file systems are frozen while it is taken, and the snapshot says so.
 */
export const vmSnapshotCreate = defineOperation({
  name: 'vm.snapshot-create',
  steps: ['Freeze the file systems', 'Take the snapshot', 'Thaw the file systems', 'Record the snapshot'],
  privileges: ['VM.Snapshot'],
  from: ['running', 'paused', 'stopped'],
  needsOnlineHost: true,
  failure: 'rollback',
  // Asking for it wrote the snapshot's row (it counts against the quota at once).
  cancellable: false,
  refuses: (vm) => (vm.iso_path ? 'A VM booting an ISO cannot take snapshots (its CD-ROM is not a qcow2 disk)' : null),
  params: z.object({ snapshotId: z.uuid() }),
  action: { action: 'SNAPSHOT_CREATE', label: 'Take a snapshot', description: 'Saves the VM\u2019s disk (and memory when it runs) so that it can be reverted to' },
  async run(ctx) {
    const { hypervisor, vm } = ctx;
    const { snapshotId } = ctx.params;
    let quiesced = false;
    // The VM's record says whether to ask its agent at all (a paused guest's would only time out).
    if (vm.state === 'running' && (await hypervisor.guestAgentAnswers(vm.id))) {
      quiesced = await ctx.step('Freeze the file systems', async () => {
        await hypervisor.freezeFileSystems(vm.id);
        return true;
      });
    } else {
      const why = vm.state === 'running' ? 'The guest agent does not answer: the snapshot is taken without freezing the file systems (crash-consistent disk)' : vm.state === 'paused' ? 'The VM is paused: its agent cannot answer' : 'The VM is not running: its disk is at rest';
      await ctx.skip('Freeze the file systems', why);
    }
    let before: number | null = null;
    // A failure from here on rolls back, and the rollback thaws the guest first.
    await ctx.step('Take the snapshot', async () => {
      const [taken, allocation] = await Promise.all([hypervisor.snapshotInfo(vm.id, snapshotId), diskAllocation(ctx)]);
      before = allocation;
      // Taken already (a retried task): libvirt would refuse the name.
      if (!taken) await hypervisor.createSnapshot(vm.id, snapshotId);
    });
    if (quiesced) await ctx.step('Thaw the file systems', () => hypervisor.thawFileSystems(vm.id));
    else await ctx.skip('Thaw the file systems', 'Nothing was frozen');
    await ctx.step('Record the snapshot', () => recordTakenSnapshot(ctx, snapshotId, { quiesced, allocationBefore: before }));
  },
  // A hook took it its own way: recorded as libvirt has it (whether it froze the guest is the hook's secret).
  afterHook: (ctx) => recordTakenSnapshot(ctx, ctx.params.snapshotId, { quiesced: false, allocationBefore: null }),
  async rollback(ctx) {
    const { hypervisor, vm } = ctx;
    // Never leave a guest frozen; then nothing of the snapshot, on the host or in the database.
    await hypervisor.thawFileSystems(vm.id);
    await hypervisor.deleteSnapshot(vm.id, ctx.params.snapshotId);
    await recordDeletedSnapshot(ctx, ctx.params.snapshotId);
  },
});
