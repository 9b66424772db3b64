// The first NIC of a VM just made (vm_interfaces lists a VM's NICs; the first is the one vms.network
// and vms.mac_address describe), with its address from the host's pool when the pool has one.
import type { Transaction } from 'kysely';
import type { Database, VmNetwork, VmRow } from '../../db/types.ts';
import { allocateAddress, type Lease } from './ip-pools.ts';

/**
 * Nothing for a VM without a network; otherwise its first NIC and, when the host has a pool and the
 * guest will be told it (withAddress), its address.
 */
export async function insertFirstInterface(trx: Transaction<Database>, vm: Pick<VmRow, 'id' | 'mac_address'>, hostId: string, network: VmNetwork | null, withAddress = true): Promise<Lease | null> {
  if (!network) return null;
  const nic = await trx.insertInto('vm_interfaces').values({ vm_id: vm.id, position: 0, mac_address: vm.mac_address!, network: JSON.stringify(network) }).returning('id').executeTakeFirstOrThrow();
  return withAddress ? allocateAddress(trx, hostId, vm.id, { interfaceId: nic.id }) : null;
}
