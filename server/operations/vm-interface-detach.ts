import { z } from 'zod';
import { defineOperation } from './define.ts';
import { refreshSeed } from './install.ts';
import { domainInterface, domainRuns, interfaceOf, redefine } from './vm-hardware.ts';

const UNPLUG_TIMEOUT_MS = 60_000;

/** Removes a NIC: unplugged from the running VM (the guest must let it go), then its row and its address. */
export const vmInterfaceDetach = defineOperation({
  name: 'vm.interface-detach',
  steps: ['Detach the interface', 'Release the address'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused', 'crashed'],
  needsOnlineHost: true,
  // Each step is whole; run again, it goes on from where it stopped.
  failure: 'keep',
  params: z.object({ interfaceId: z.uuid() }),
  action: { action: 'DETACH_INTERFACE', label: 'Detach a network interface', description: 'Removes a network interface (hot-unplugged while the VM runs) and releases its address' },
  async run(ctx) {
    const row = await interfaceOf(ctx, ctx.params.interfaceId);
    if (!row) {
      await ctx.skip('Detach the interface', 'It is gone already');
      return ctx.skip('Release the address', 'It is gone already');
    }
    await ctx.step('Detach the interface', async (progress) => {
      if (await domainRuns(ctx)) {
        await progress(0, 'Waiting for the guest to release it');
        await ctx.hypervisor.detachInterfaceLive(ctx.vm.id, domainInterface(row), UNPLUG_TIMEOUT_MS);
      }
      await redefine(ctx, { without: row.id });
    });
    await ctx.step('Release the address', async () => {
      await ctx.services.removeInterface(ctx.vm.id, row.id);
      await refreshSeed(ctx, await domainRuns(ctx));
    });
  },
});
