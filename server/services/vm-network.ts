import type { Db } from '../../db/connection.ts';
import type { VmNetwork, VmRow } from '../../db/types.ts';
import { HypervisorError } from '../hypervisor/errors.ts';
import { hypervisorFor } from '../hypervisor/libvirt-hypervisor.ts';
import { primary } from './ip-pools.ts';

/** A VM's NIC as the VM page tells it: what it attaches to and where its address comes from. */
export interface VmNic extends VmNetwork {
  vmId: string;
  hostId: string | null;
  state: string;
  macAddress: string | null;
  /** Its address from one of the host's IP pools; null: the guest asks by DHCP. */
  pool: { name: string; address: string; cidr: string } | null;
}

/** The NIC of each VM (null for a VM without one), with the pool address it holds, in one query. */
export async function nicsOfVms(db: Db, vms: readonly VmRow[]): Promise<Array<VmNic | null>> {
  const withNic = vms.filter((vm) => vm.network);
  const leases = withNic.length
    ? await db
        .selectFrom('ip_allocations')
        .innerJoin('ip_pools', 'ip_pools.id', 'ip_allocations.pool_id')
        .select(['ip_allocations.vm_id', 'ip_allocations.address', 'ip_pools.name', 'ip_pools.cidr'])
        .where('ip_allocations.vm_id', 'in', withNic.map((vm) => vm.id))
        .where(primary)
        .execute()
    : [];
  return vms.map((vm) => {
    if (!vm.network) return null;
    const lease = leases.find((l) => l.vm_id === vm.id);
    return {
      ...vm.network,
      vmId: vm.id,
      hostId: vm.host_id,
      state: vm.state,
      macAddress: vm.mac_address,
      pool: lease ? { name: lease.name, address: lease.address, cidr: lease.cidr } : null,
    };
  });
}

/**
 * The addresses the VM has now: its pool address, or for a running VM on DHCP what the network's
 * DHCP leases (or the guest agent) say. Empty when nothing is known yet or the host does not answer.
 */
export async function currentAddresses(db: Db, nic: VmNic): Promise<string[]> {
  if (nic.pool) return [nic.pool.address];
  if (nic.state !== 'running' || !nic.hostId) return [];
  const host = await db.selectFrom('hosts').select('uri').where('id', '=', nic.hostId).executeTakeFirst();
  if (!host) return [];
  try {
    return await hypervisorFor(host, { timeoutMs: 5000 }).vmAddresses(nic.vmId);
  } catch (error) {
    if (error instanceof HypervisorError) return [];
    throw error;
  }
}
