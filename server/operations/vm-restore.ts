import { dirname, join } from 'node:path';
import { z } from 'zod';
import { defineOperation, type OperationContext } from './define.ts';
import { shutDownCleanly } from './power.ts';
import { copyChains, restorableDisks, verifyCopies } from './restore-chain.ts';

// Puts a backup back onto the VM it was taken from: each disk's chain is copied beside the disk,
// checked, and only then swapped in; the old disk is set aside until every disk is swapped, then
// removed. A failure before that puts the old disks back (rollback), so the VM keeps its data.

const staged = (path: string, vmId: string, target: string) => join(dirname(path), `${vmId}-restore-${target}.qcow2`);
const setAside = (path: string) => `${path}.pre-restore`;

type Ctx = OperationContext<string, { backupId: string }>;

/** Each backed-up disk with the VM's disk of the same target it replaces. */
async function pairs(ctx: Ctx) {
  const disks = await restorableDisks(ctx, ctx.params.backupId);
  const { disks: current } = await ctx.hypervisor.backupDisks(ctx.vm.id, true);
  return disks.map((disk) => {
    const into = current.find((d) => d.target === disk.target);
    if (!into) throw new Error(`The VM has no disk ${disk.target} to restore into`);
    return { disk, into: into.path, to: staged(into.path, ctx.vm.id, disk.target) };
  });
}

export const vmRestore = defineOperation({
  name: 'vm.restore',
  steps: ['Check the backup', 'Power off', 'Copy the backup', 'Verify the copy', 'Swap the disks', 'Start the VM'],
  privileges: ['Backup.Restore'],
  from: ['running', 'stopped', 'paused', 'crashed'],
  needsOnlineHost: true,
  failure: 'rollback',
  cancellable: false,
  params: z.object({ backupId: z.uuid() }),
  action: { action: 'RESTORE', label: 'Restore', description: 'Replaces the VM\u2019s disks with a backup of them (the VM is powered off)' },
  async run(ctx) {
    const { hypervisor, vm } = ctx;
    const copies = await ctx.step('Check the backup', () => pairs(ctx));
    const wasRunning = await shutDownCleanly(ctx, 'Power off');
    await ctx.step('Copy the backup', (progress) => copyChains(ctx, copies, progress));
    await ctx.step('Verify the copy', () => verifyCopies(ctx, copies));
    await ctx.step('Swap the disks', async () => {
      for (const c of copies) {
        await hypervisor.moveFile(c.into, setAside(c.into));
        await hypervisor.moveFile(c.to, c.into);
      }
      // The restored disks carry none of the checkpoints' bitmaps: the next backup is full.
      for (const name of await hypervisor.listCheckpoints(vm.id)) await hypervisor.deleteCheckpoint(vm.id, name);
      for (const c of copies) await hypervisor.removeFile(setAside(c.into));
      await hypervisor.refreshPool(ctx.settings.diskPool).catch(() => {});
      await ctx.line(`Restored ${copies.map((c) => c.disk.target).join(', ')}; the old disks are removed`);
    });
    if (wasRunning) await ctx.step('Start the VM', () => hypervisor.start(vm.id));
    else await ctx.skip('Start the VM', 'It was not running');
  },
  async rollback(ctx) {
    const { hypervisor, vm } = ctx;
    const { disks: current } = await hypervisor.backupDisks(vm.id, true).catch(() => ({ disks: [] as Array<{ target: string; path: string }> }));
    for (const d of current) {
      // An old disk set aside goes back in place of whatever a half-done swap put there.
      if (await hypervisor.fileExists(setAside(d.path))) await hypervisor.moveFile(setAside(d.path), d.path);
      await hypervisor.removeFile(staged(d.path, vm.id, d.target));
    }
    await hypervisor.refreshPool(ctx.settings.diskPool).catch(() => {});
  },
});
