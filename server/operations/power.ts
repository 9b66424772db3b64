import type { OperationContext, Progress } from './define.ts';

const POLL_MS = 500;

/** Waits for the guest to power off; powers it off when it has not within the timeout. */
export async function waitForPowerOff(ctx: Pick<OperationContext, 'hypervisor' | 'vm' | 'line'>, timeoutMs: number, progress: Progress): Promise<void> {
  const { hypervisor, vm } = ctx;
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const state = await hypervisor.domainState(vm.id);
    if (state === 'shutoff' || state === null) return;
    await progress(((Date.now() - started) / timeoutMs) * 100);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await ctx.line(`The guest did not shut down within ${Math.round(timeoutMs / 1000)} s: powering it off`);
  await hypervisor.destroy(vm.id);
}

/** A clean shutdown (ACPI, then power-off after the timeout) as the given step; returns whether the VM was running. */
export async function shutDownCleanly<Step extends string>(ctx: OperationContext<Step, unknown>, step: Step): Promise<boolean> {
  const state = await ctx.hypervisor.domainState(ctx.vm.id);
  if (state !== 'running' && state !== 'paused') {
    await ctx.skip(step, 'The VM is not running');
    return false;
  }
  await ctx.step(step, async (progress) => {
    // A paused guest cannot react to the power button.
    if (state === 'paused') return ctx.hypervisor.destroy(ctx.vm.id);
    await ctx.hypervisor.shutdown(ctx.vm.id);
    await waitForPowerOff(ctx, ctx.config.vmShutdownTimeoutMs, progress);
  });
  return true;
}
