import type { OperationContext, Progress } from './define.ts';

const POLL_MS = 500;

/** Waits for the guest to power off; powers it off when it has not within the timeout. */
export async function waitForPowerOff(ctx: Pick<OperationContext, 'hypervisor' | 'vm' | 'warn'>, timeoutMs: number, progress: Progress): Promise<void> {
  const { hypervisor, vm } = ctx;
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const state = await hypervisor.domainState(vm.id);
    if (state === 'shutoff' || state === null) return;
    await progress(((Date.now() - started) / timeoutMs) * 100);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  // The VM ends off as asked, but not cleanly: the task says so (a warning, not a plain success).
  await ctx.warn(`The guest did not shut down within ${Math.round(timeoutMs / 1000)} s: it was powered off (like pulling the plug)`);
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
