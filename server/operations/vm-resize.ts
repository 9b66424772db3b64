import { z } from 'zod';
import { defineOperation, GiB } from './define.ts';
import { shutDownCleanly } from './power.ts';
import { redefine } from './vm-hardware.ts';
import { diskVolumeName } from './volumes.ts';

/** New vCPUs and memory (the domain is redefined while off) and a bigger disk; restarts it if it ran. */
export const vmResize = defineOperation({
  name: 'vm.resize',
  steps: ['Power off', 'Change the domain', 'Grow the disk', 'Start the VM'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused', 'stopping', 'crashed'],
  needsOnlineHost: true,
  failure: 'keep',
  cancellable: false,
  // The new size is on the VM's row already; these are for the record.
  params: z.object({ vcpus: z.number().int(), memoryMb: z.number().int(), diskGb: z.number().int() }),
  action: { action: 'RESIZE', label: 'Resize', description: 'New vCPUs and memory (the VM restarts when running) and a bigger disk' },
  async run(ctx) {
    const { hypervisor, settings, vm } = ctx;
    const wasRunning = await shutDownCleanly(ctx, 'Power off');
    await ctx.step('Change the domain', async () => {
      // Its whole hardware as its rows say (every NIC, the CD-ROM's medium, the boot order).
      await redefine(ctx);
    });
    await ctx.step('Grow the disk', () => hypervisor.resizeVolume(settings.diskPool, diskVolumeName(vm.id), vm.disk_gb * GiB));
    if (wasRunning) await ctx.step('Start the VM', () => hypervisor.start(vm.id));
    else await ctx.skip('Start the VM', 'It was not running');
  },
});
