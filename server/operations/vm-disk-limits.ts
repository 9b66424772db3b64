import { z } from 'zod';
import { defineOperation } from './define.ts';
import { diskRow, runsNow } from './disks.ts';

/** Applies a disk's I/O limits as its row holds them: to the running guest and its definition, or the definition alone. */
export const vmDiskLimits = defineOperation({
  name: 'vm.disk-limits',
  steps: ['Set the I/O limits'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused'],
  needsOnlineHost: true,
  failure: 'keep',
  // The limits are on the disk's row already.
  cancellable: false,
  params: z.object({ diskId: z.uuid() }),
  action: { action: 'SET_DISK_LIMITS', label: 'Set disk I/O limits', description: 'Bytes and operations per second a disk may do, changed while the VM runs' },
  async run(ctx) {
    const disk = await diskRow(ctx, ctx.params.diskId);
    await ctx.step('Set the I/O limits', async (progress) => {
      const live = await runsNow(ctx);
      await ctx.hypervisor.setIoLimits(ctx.vm.id, disk.target, disk.io_limits ?? {}, live);
      await progress(100, live ? 'Held from now' : 'Held from the next start');
    });
  },
});
