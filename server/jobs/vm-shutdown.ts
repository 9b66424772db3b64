import type { Operation } from './operation.ts';

const POLL_MS = 500;

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
    await ctx.step('Wait for power-off', async (progress) => {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        const state = await virsh.domainState(vm.id);
        if (state === 'shutoff' || state === null) return;
        await progress(((Date.now() - started) / timeoutMs) * 100);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      await ctx.line(`The guest did not shut down within ${Math.round(timeoutMs / 1000)} s: powering it off`);
      await virsh.destroy(vm.id);
    });
  },
};
