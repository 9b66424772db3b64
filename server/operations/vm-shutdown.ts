import { z } from 'zod';
import { defineOperation } from './define.ts';
import { waitForPowerOff } from './power.ts';

/** Asks the guest (ACPI) to shut down; powers it off when it has not within the timeout. */
export const vmShutdown = defineOperation({
  name: 'vm.shutdown',
  steps: ['Ask the guest to shut down', 'Wait for power-off'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'paused'],
  needsOnlineHost: true,
  failure: 'keep',
  during: 'stopping',
  params: z.object({ timeoutSeconds: z.number().int().min(1).max(3600).optional().describe('Default HANGAR_VM_SHUTDOWN_TIMEOUT_SECONDS') }),
  action: { action: 'SHUTDOWN', label: 'Shut down', description: 'Asks the guest to shut down (ACPI); powers it off when it has not within the timeout', power: { mutation: 'shutdownVm' } },
  async run(ctx) {
    const { hypervisor, vm } = ctx;
    if ((await hypervisor.domainState(vm.id)) !== 'running') {
      await ctx.skip('Ask the guest to shut down', 'The VM is not running');
      await ctx.skip('Wait for power-off', 'The VM is not running');
      return;
    }
    await ctx.step('Ask the guest to shut down', () => hypervisor.shutdown(vm.id));
    const timeoutMs = ctx.params.timeoutSeconds ? ctx.params.timeoutSeconds * 1000 : ctx.config.vmShutdownTimeoutMs;
    await ctx.step('Wait for power-off', (progress) => waitForPowerOff(ctx, timeoutMs, progress));
  },
});
