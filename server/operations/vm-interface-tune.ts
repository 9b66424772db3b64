import { z } from 'zod';
import { defineOperation } from './define.ts';
import { domainInterface, domainRuns, interfaceOf, redefine } from './vm-hardware.ts';

/** Applies a NIC's bandwidth limits (recorded by setInterfaceBandwidth) to the running VM and its definition. */
export const vmInterfaceTune = defineOperation({
  name: 'vm.interface-tune',
  steps: ['Apply the limits'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused', 'crashed'],
  needsOnlineHost: true,
  failure: 'keep',
  cancellable: false,
  params: z.object({ interfaceId: z.uuid() }),
  action: { action: 'TUNE_INTERFACE', label: 'Limit an interface\u2019s bandwidth', description: 'Sets a network interface\u2019s inbound and outbound limits, on the running VM too' },
  async run(ctx) {
    const row = await interfaceOf(ctx, ctx.params.interfaceId);
    if (!row) throw new Error('The interface is gone (detached meanwhile)');
    await ctx.step('Apply the limits', async () => {
      if (await domainRuns(ctx)) await ctx.hypervisor.tuneInterfaceLive(ctx.vm.id, domainInterface(row));
      await redefine(ctx);
    });
  },
});
