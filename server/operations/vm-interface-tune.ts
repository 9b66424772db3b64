import { z } from 'zod';
import { defineOperation, type OperationInterface } from './define.ts';
import { domainInterface, domainRuns, interfaceOf, redefine } from './vm-hardware.ts';

/** Applies a NIC's bandwidth limits (recorded by setInterfaceBandwidth) to the running VM and its definition. */
export const vmInterfaceTune = defineOperation({
  name: 'vm.interface-tune',
  steps: ['Apply the limits'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused', 'crashed'],
  needsOnlineHost: true,
  // A limit the host refuses (its kernel lacks tc's police action, say) is taken back from the record.
  failure: 'rollback',
  cancellable: false,
  params: z.object({ interfaceId: z.uuid(), previous: z.any().nullish() }),
  action: { action: 'TUNE_INTERFACE', label: 'Limit an interface\u2019s bandwidth', description: 'Sets a network interface\u2019s inbound and outbound limits, on the running VM too' },
  async run(ctx) {
    const row = await interfaceOf(ctx, ctx.params.interfaceId);
    if (!row) throw new Error('The interface is gone (detached meanwhile)');
    await ctx.step('Apply the limits', async () => {
      if (await domainRuns(ctx)) await ctx.hypervisor.tuneInterfaceLive(ctx.vm.id, domainInterface(row));
      await redefine(ctx);
    });
  },
  async rollback(ctx) {
    await ctx.services.restoreInterfaceBandwidth(ctx.vm.id, ctx.params.interfaceId, (ctx.params.previous ?? null) as OperationInterface['bandwidth']);
    const row = await interfaceOf(ctx, ctx.params.interfaceId);
    if (!row) return;
    if (await domainRuns(ctx)) await ctx.hypervisor.tuneInterfaceLive(ctx.vm.id, domainInterface(row)).catch(() => {});
    await redefine(ctx);
  },
});
