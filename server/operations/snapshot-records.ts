// What the snapshot operations record of a VM's snapshots, read from libvirt (the truth for
// parent, time and current): each call is idempotent, so a retry or a hook's run ends the same.
import type { OperationContext } from './define.ts';

type Ctx = Pick<OperationContext, 'vm' | 'hypervisor' | 'services'>;

/** Marks current the snapshot libvirt calls current (a new one, the one reverted to, the parent of a deleted current one). */
export async function recordCurrentSnapshot(ctx: Ctx): Promise<void> {
  await ctx.services.recordCurrentSnapshot(ctx.vm.id, await ctx.hypervisor.currentSnapshot(ctx.vm.id));
}

/** Records a snapshot libvirt now has. Throws when libvirt has none of it. */
export async function recordTakenSnapshot(ctx: Ctx, snapshotId: string, facts: { quiesced: boolean; sizeBytes: number | null }): Promise<void> {
  const info = await ctx.hypervisor.snapshotInfo(ctx.vm.id, snapshotId);
  if (!info) throw new Error('libvirt has no such snapshot of the VM: it was not taken');
  await ctx.services.recordSnapshotTaken(ctx.vm.id, snapshotId, { parent: info.parent, createdAt: info.createdAt, withMemory: info.withMemory, ...facts });
  await recordCurrentSnapshot(ctx);
}

/** Forgets a snapshot libvirt no longer has. */
export async function recordDeletedSnapshot(ctx: Ctx, snapshotId: string): Promise<void> {
  await ctx.services.recordSnapshotGone(ctx.vm.id, snapshotId);
  await recordCurrentSnapshot(ctx);
}
