// A VM's disks as its operations use them: the rows (vm_disks) turned into the disks of its domain,
// every one of them on every redefine, each in its pool (null: the host's disk pool).
import type { VmDiskRow } from '../../db/types.ts';
import type { DiskSpec } from '../hypervisor/disks.ts';
import type { OperationContext } from './define.ts';

type DiskContext = Pick<OperationContext, 'services' | 'vm' | 'settings' | 'hypervisor'>;

/** An attached disk's volume: named after its VM, so a delete or a migration finds it with the rest. */
export const extraDiskVolumeName = (vmId: string, diskId: string) => `${vmId}-disk-${diskId.slice(0, 8)}.qcow2`;

export const poolOf = (ctx: Pick<OperationContext, 'settings'>, disk: Pick<VmDiskRow, 'pool'>) => disk.pool ?? ctx.settings.diskPool;

/** The VM's disk rows, the boot disk first. */
export function diskRowsOf(ctx: Pick<OperationContext, 'services' | 'vm'>): Promise<VmDiskRow[]> {
  return ctx.services.vmDisks(ctx.vm.id);
}

/** One disk row as its domain's disk; null when its volume is not on the host (an attach that has not made it yet). */
export async function diskSpecOf(ctx: DiskContext, disk: VmDiskRow): Promise<DiskSpec | null> {
  const path = await ctx.hypervisor.volumePath(poolOf(ctx, disk), disk.volume);
  return path ? { path, format: 'qcow2', target: disk.target, bus: disk.bus, ioLimits: disk.io_limits } : null;
}

/**
 * Every disk of the VM for its domain: the boot disk at bootPath (with its limits, when its row has
 * them), then each attached disk whose volume is there. What a redefine must keep.
 */
export async function domainDisksOf(ctx: DiskContext, bootPath: string): Promise<DiskSpec[]> {
  const rows = await diskRowsOf(ctx);
  const boot = rows.find((d) => d.is_boot);
  const disks: DiskSpec[] = [{ path: bootPath, format: 'qcow2', target: boot?.target ?? 'vda', bus: boot?.bus ?? 'virtio', ioLimits: boot?.io_limits ?? null }];
  for (const row of rows.filter((d) => !d.is_boot)) {
    const spec = await diskSpecOf(ctx, row);
    if (spec) disks.push(spec);
  }
  return disks;
}

/** The disk row the task is about; throws when it is gone (detached meanwhile). */
export async function diskRow(ctx: Pick<OperationContext, 'services' | 'vm'>, diskId: string): Promise<VmDiskRow> {
  const row = await findDisk(ctx, diskId);
  if (!row) throw new Error('The disk is no longer attached to the VM');
  return row;
}

/** The disk row, or null when it is gone. */
export async function findDisk(ctx: Pick<OperationContext, 'services' | 'vm'>, diskId: string): Promise<VmDiskRow | null> {
  return (await diskRowsOf(ctx)).find((d) => d.id === diskId) ?? null;
}

/** Whether the domain runs now (a change then is made live as well as in its definition). */
export async function runsNow(ctx: Pick<OperationContext, 'hypervisor' | 'vm'>): Promise<boolean> {
  const state = await ctx.hypervisor.domainState(ctx.vm.id);
  return state === 'running' || state === 'paused';
}
