import type { JobContext, Progress } from './operation.ts';

const POLL_MS = 500;

/** Waits for the guest to power off; powers it off when it has not within the timeout. */
export async function waitForPowerOff(ctx: JobContext, timeoutMs: number, progress: Progress): Promise<void> {
  const { virsh, vm } = ctx;
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const state = await virsh.domainState(vm.id);
    if (state === 'shutoff' || state === null) return;
    await progress(((Date.now() - started) / timeoutMs) * 100);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await ctx.line(`The guest did not shut down within ${Math.round(timeoutMs / 1000)} s: powering it off`);
  await virsh.destroy(vm.id);
}

/** A clean shutdown (ACPI, then power-off after the timeout); returns whether the VM was running. */
export async function shutDownCleanly(ctx: JobContext, step: string): Promise<boolean> {
  const state = await ctx.virsh.domainState(ctx.vm.id);
  if (state !== 'running' && state !== 'paused') {
    await ctx.skip(step, 'The VM is not running');
    return false;
  }
  await ctx.step(step, async (progress) => {
    // A paused guest cannot react to the power button.
    if (state === 'paused') return ctx.virsh.destroy(ctx.vm.id);
    await ctx.virsh.shutdown(ctx.vm.id);
    await waitForPowerOff(ctx, ctx.config.vmShutdownTimeoutMs, progress);
  });
  return true;
}
