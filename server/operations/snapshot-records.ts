// What the snapshot operations record of a VM's snapshots, read from libvirt (the truth for
// parent, time and current): each call is idempotent, so a retry or a hook's run ends the same.
import type { OperationContext } from './define.ts';
import { diskVolumeName } from './volumes.ts';

type Ctx = Pick<OperationContext, 'vm' | 'hypervisor' | 'services'>;

/** Marks current the snapshot libvirt calls current (a new one, the one reverted to, the parent of a deleted current one). */
export async function recordCurrentSnapshot(ctx: Ctx): Promise<void> {
  await ctx.services.recordCurrentSnapshot(ctx.vm.id, await ctx.hypervisor.currentSnapshot(ctx.vm.id));
}

/**
 * Records a snapshot libvirt now has, and libvirt's current one; its size is what the disk file
 * grew by since allocationBefore. Throws when libvirt has none of it.
 */
export async function recordTakenSnapshot(ctx: Ctx & Pick<OperationContext, 'settings'>, snapshotId: string, facts: { quiesced: boolean; allocationBefore: number | null }): Promise<void> {
  const [info, current, after] = await Promise.all([ctx.hypervisor.snapshotInfo(ctx.vm.id, snapshotId), ctx.hypervisor.currentSnapshot(ctx.vm.id), diskAllocation(ctx)]);
  if (!info) throw new Error('libvirt has no such snapshot of the VM: it was not taken');
  const sizeBytes = facts.allocationBefore !== null && after !== null ? Math.max(0, after - facts.allocationBefore) : null;
  await ctx.services.recordSnapshotTaken(ctx.vm.id, snapshotId, { parent: info.parent, createdAt: info.createdAt, withMemory: info.withMemory, quiesced: facts.quiesced, sizeBytes }, current);
}

/** The bytes the VM's disk file takes on its host, or null when it cannot be read. */
export async function diskAllocation(ctx: Pick<OperationContext, 'hypervisor' | 'settings' | 'vm'>): Promise<number | null> {
  const info = await ctx.hypervisor.volumeInfo(ctx.settings.diskPool, diskVolumeName(ctx.vm.id)).catch(() => null);
  return info && Number.isFinite(info.allocationBytes) ? info.allocationBytes : null;
}

/** Forgets a snapshot libvirt no longer has. */
export async function recordDeletedSnapshot(ctx: Ctx, snapshotId: string): Promise<void> {
  await ctx.services.recordSnapshotGone(ctx.vm.id, snapshotId);
  await recordCurrentSnapshot(ctx);
}
