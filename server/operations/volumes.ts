// The names of what Hangar makes on a host for a VM: every one starts with the VM's id, so that
// deleting a VM finds them all.
import type { DiskSpec } from '../hypervisor/disks.ts';
import type { OperationContext } from './define.ts';

export const diskVolumeName = (vmId: string) => `${vmId}.qcow2`;
export const seedVolumeName = (vmId: string) => `${vmId}-seed.iso`;

/**
 * The domain a VM's rows describe, on the given disk: its size, its NIC (the network it was made with, its own MAC) and its console;
 * disks: all of them, the boot disk first (disks.ts domainDisksOf), so that a redefine keeps the attached ones.
 */
export function specOf({ vm, host, settings }: Pick<OperationContext, 'vm' | 'host' | 'settings'>, diskPath: string, disks?: DiskSpec[]) {
  return {
    id: vm.id,
    title: vm.name,
    description: vm.description,
    domainType: host.domain_type as 'kvm' | 'qemu',
    vcpus: vm.vcpus,
    memoryMb: vm.memory_mb,
    disks: disks ?? [{ path: diskPath, format: 'qcow2' as const }],
    cdromPath: vm.iso_path,
    network: vm.network,
    macAddress: vm.mac_address,
    vncListen: settings.vncListen,
    guestAgent: true,
  };
}

/** Powers the VM off and removes its domain and the given volumes; each part is idempotent. */
export async function removeDomainAndVolumes(ctx: Pick<OperationContext, 'vm' | 'hypervisor' | 'settings'>, volumes: string[]): Promise<void> {
  const { vm, hypervisor, settings } = ctx;
  await hypervisor.destroy(vm.id);
  await hypervisor.undefine(vm.id);
  for (const name of volumes) await hypervisor.deleteVolume(settings.diskPool, name);
}
