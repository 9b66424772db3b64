// The rows of VMs' disks (vm_disks) that other services keep in step: the boot disk a new VM gets,
// its size when the VM is resized, and what attached disks add to a VM's disk total.
import { sql, type Transaction } from 'kysely';
import type { Database, VmRow } from '../../db/types.ts';

/** The boot disk of a VM just made: its volume (volumes.ts diskVolumeName) in its host's disk pool, vda. */
export async function insertBootDisk(trx: Transaction<Database>, vm: Pick<VmRow, 'id' | 'disk_gb'>): Promise<void> {
  await trx.insertInto('vm_disks').values({ vm_id: vm.id, volume: `${vm.id}.qcow2`, pool: null, size_gb: vm.disk_gb, bus: 'virtio', target: 'vda', boot_order: 1, is_boot: true }).execute();
}

/** vms.disk_gb is the boot disk's size: its row follows it. */
export async function syncBootDiskSize(trx: Transaction<Database>, vm: Pick<VmRow, 'id' | 'disk_gb'>): Promise<void> {
  await trx.updateTable('vm_disks').set({ size_gb: vm.disk_gb }).where('vm_id', '=', vm.id).where('is_boot', '=', true).execute();
}

/** GiB of a VM's attached disks (not its boot disk, which vms.disk_gb holds), for sums over vms rows. */
export const attachedDiskGb = sql<number>`coalesce((select sum(d.size_gb) from vm_disks d where d.vm_id = vms.id and not d.is_boot), 0)`;

/** A VM's whole disk: its boot disk and every attached one. */
export const totalDiskGb = sql<number>`(vms.disk_gb + ${attachedDiskGb})`;

/** GiB of one VM's attached disks. */
export async function attachedDiskGbOf(trx: Transaction<Database>, vmId: string): Promise<number> {
  const row = await trx.selectFrom('vm_disks').select(sql<number>`coalesce(sum(size_gb), 0)::int`.as('gb')).where('vm_id', '=', vmId).where('is_boot', '=', false).executeTakeFirst();
  return row?.gb ?? 0;
}
