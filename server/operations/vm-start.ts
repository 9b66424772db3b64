import { z } from 'zod';
import { defineOperation } from './define.ts';
import { redefine } from './vm-hardware.ts';

export const vmStart = defineOperation({
  name: 'vm.start',
  steps: ['Start the VM'],
  privileges: ['VM.PowerMgmt'],
  from: ['stopped', 'crashed', 'error', 'unknown'],
  needsOnlineHost: true,
  failure: 'keep',
  during: 'starting',
  params: z.object({}),
  action: { action: 'START', label: 'Start', description: 'Starts the VM', power: { mutation: 'startVm' } },
  run: (ctx) =>
    ctx.step('Start the VM', async () => {
      if (!(await ctx.services.vmHardware(ctx.vm.id)).bootOnce) return ctx.hypervisor.start(ctx.vm.id);
      // Boot once from the CD-ROM (a rescue): started from a definition that boots it first, then
      // the persistent definition goes back to the VM's boot order for the start after this one.
      await ctx.line('Booting the CD-ROM this once');
      await redefine(ctx, { bootCdromFirst: true });
      await ctx.hypervisor.start(ctx.vm.id);
      await redefine(ctx);
      await ctx.services.bootedOnce(ctx.vm.id);
    }),
});
