import { sql, type Transaction } from 'kysely';
import type { Database, HostRow } from '../../db/types.ts';
import { ConflictError, NoCapacityError, ValidationError } from '../errors.ts';
import { hostCapacity } from './host-capacity.ts';
import { memoryText } from './quotas.ts';

/**
 * Picks the online host (not in maintenance) with the most free memory that fits the VM, after
 * overcommit. Candidate rows are locked so concurrent placements cannot overfill one host.
 */
export async function placeVm(trx: Transaction<Database>, need: { vcpus: number; memoryMb: number }, hostId: string | null | undefined, hostConcurrency: number): Promise<HostRow> {
  let query = trx.selectFrom('hosts').selectAll().orderBy('id').forUpdate();
  if (hostId) query = query.where('id', '=', hostId);
  const hosts = await query.execute();
  if (hostId && !hosts.length) throw ValidationError.forField('hostId', 'hostId is not the id of a host');
  const usable = hosts.filter((h) => h.status === 'online' && !h.maintenance);
  if (hostId && !usable.length) throw new ConflictError(`The host ${hosts[0].name} is ${hosts[0].maintenance ? 'in maintenance' : hosts[0].status}`);
  const used = usable.length
    ? await trx
        .selectFrom('vms')
        .select(['host_id', sql<number>`coalesce(sum(vcpus), 0)::int`.as('vcpus'), sql<number>`coalesce(sum(memory_mb), 0)::int`.as('memory')])
        .where('host_id', 'in', usable.map((h) => h.id))
        .where('deleted_at', 'is', null)
        .groupBy('host_id')
        .execute()
    : [];
  const fits = usable
    .map((host) => {
      const capacity = hostCapacity(host, { hostConcurrency });
      const u = used.find((r) => r.host_id === host.id);
      return { host, freeVcpus: capacity.vcpus - (u?.vcpus ?? 0), freeMemory: capacity.allocatableMemoryMb - (u?.memory ?? 0) };
    })
    .filter((c) => c.freeVcpus >= need.vcpus && c.freeMemory >= need.memoryMb)
    .sort((a, b) => b.freeMemory - a.freeMemory);
  if (!fits.length) {
    const room = `${need.vcpus} ${need.vcpus === 1 ? 'vCPU' : 'vCPUs'} and ${memoryText(need.memoryMb)} of memory`;
    throw new NoCapacityError(hostId ? `The host ${usable[0].name} has no room for ${room}` : `No online host has room for ${room}`);
  }
  return fits[0].host;
}
