import { z } from 'zod';
import { defineOperation } from './define.ts';
import { recordCurrentSnapshot } from './snapshot-records.ts';

/** How long a reverted guest's agent gets to answer the thaw (it was frozen when its memory was saved). */
const THAW_WAIT_MS = 120_000;

/**
 * Puts the VM back to a snapshot, in place: running with the memory it had when that was saved
 * (its file systems thawed again when they were frozen for it), or stopped for a disk-only one.
 */
export const vmSnapshotRevert = defineOperation({
  name: 'vm.snapshot-revert',
  steps: ['Revert the VM', 'Thaw the file systems', 'Record the current snapshot'],
  privileges: ['VM.Snapshot'],
  from: ['running', 'paused', 'stopped', 'crashed'],
  needsOnlineHost: true,
  // Reverting is whole or not done: the VM shows what its host reports.
  failure: 'keep',
  params: z.object({ snapshotId: z.uuid() }),
  action: { action: 'SNAPSHOT_REVERT', label: 'Revert to a snapshot', description: 'Puts the VM\u2019s disk (and memory, when saved) back as they were in a snapshot' },
  async run(ctx) {
    const { hypervisor, vm } = ctx;
    const { snapshotId } = ctx.params;
    const snapshot = await ctx.services.snapshotRecord(snapshotId);
    if (!snapshot) throw new Error('The snapshot no longer exists');
    await ctx.step('Revert the VM', () => hypervisor.revertSnapshot(vm.id, snapshotId));
    if (snapshot.quiesced && (await hypervisor.domainState(vm.id)) === 'running') {
      await ctx.step('Thaw the file systems', async () => {
        await hypervisor.waitForGuestAgent(vm.id, THAW_WAIT_MS, ctx.signal);
        await hypervisor.thawFileSystems(vm.id);
      });
    } else await ctx.skip('Thaw the file systems', snapshot.quiesced ? 'The VM is not running' : 'The snapshot was taken without freezing');
    await ctx.step('Record the current snapshot', () => recordCurrentSnapshot(ctx));
  },
  afterHook: (ctx) => recordCurrentSnapshot(ctx),
});
