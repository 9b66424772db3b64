import type { Operation } from './operation.ts';
import { waitForPowerOff } from './power.ts';

/** Asks the guest (ACPI) to shut down; powers it off when it has not within the timeout. */
export const vmShutdown: Operation = {
  name: 'vm.shutdown',
  async run(ctx) {
    const { virsh, vm } = ctx;
    if ((await virsh.domainState(vm.id)) !== 'running') {
      await ctx.skip('Ask the guest to shut down', 'The VM is not running');
      await ctx.skip('Wait for power-off', 'The VM is not running');
      return;
    }
    await ctx.step('Ask the guest to shut down', () => virsh.shutdown(vm.id));
    const timeoutMs = typeof ctx.task.params.timeoutSeconds === 'number' ? ctx.task.params.timeoutSeconds * 1000 : ctx.config.vmShutdownTimeoutMs;
    await ctx.step('Wait for power-off', (progress) => waitForPowerOff(ctx, timeoutMs, progress));
  },
};
