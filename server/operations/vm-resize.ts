import { z } from 'zod';
import { domainXml } from '../hypervisor/domain-xml.ts';
import { defineOperation, GiB } from './define.ts';
import { domainDisksOf } from './disks.ts';
import { shutDownCleanly } from './power.ts';
import { diskVolumeName, seedVolumeName, specOf } from './volumes.ts';

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
      const disk = await hypervisor.volumePath(settings.diskPool, diskVolumeName(vm.id));
      if (!disk) throw new Error('The VM has no disk on its host');
      const seed = await hypervisor.volumePath(settings.diskPool, seedVolumeName(vm.id));
      await hypervisor.define(domainXml({ ...specOf(ctx, disk, await domainDisksOf(ctx, disk)), seedPath: seed }));
    });
    await ctx.step('Grow the disk', () => hypervisor.resizeVolume(settings.diskPool, diskVolumeName(vm.id), vm.disk_gb * GiB));
    if (wasRunning) await ctx.step('Start the VM', () => hypervisor.start(vm.id));
    else await ctx.skip('Start the VM', 'It was not running');
  },
});
