import { z } from 'zod';
import { defineOperation, GiB } from './define.ts';
import { diskRow, poolOf, runsNow } from './disks.ts';

/** Grows one disk to the size its row holds now: in place while the VM runs (the guest sees it at once), its volume otherwise. */
export const vmDiskResize = defineOperation({
  name: 'vm.disk-resize',
  steps: ['Grow the disk'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused'],
  needsOnlineHost: true,
  failure: 'keep',
  // The new size is on the disk's row already.
  cancellable: false,
  params: z.object({ diskId: z.uuid(), sizeGiB: z.number().int() }),
  action: { action: 'RESIZE_DISK', label: 'Resize a disk', description: 'Grows a disk, online while the VM runs' },
  async run(ctx) {
    const { hypervisor, vm } = ctx;
    const disk = await diskRow(ctx, ctx.params.diskId);
    await ctx.step('Grow the disk', async (progress) => {
      const bytes = disk.size_gb * GiB;
      if (await runsNow(ctx)) {
        await hypervisor.blockResize(vm.id, disk.target, bytes);
        return progress(100, `${disk.target} is ${disk.size_gb} GiB; the guest sees it now`);
      }
      await hypervisor.resizeVolume(poolOf(ctx, disk), disk.volume, bytes);
      await progress(100, `${disk.target} is ${disk.size_gb} GiB`);
    });
  },
});
