import { sql, type Transaction } from 'kysely';
import type { Database, HostRow, VmRow } from '../../db/types.ts';
import { ConflictError, NoCapacityError, ValidationError } from '../errors.ts';
import { hostCapacity } from './host-capacity.ts';
import { memoryText } from './quotas.ts';

interface Candidate {
  host: HostRow;
  freeVcpus: number;
  freeMemoryMb: number;
}

/** The usable hosts (online, not in maintenance) among those asked for, each with what it has free after overcommit, most free memory first; rows locked. */
/** What placements not yet written to the VMs' rows take from each host (a drain placing VM after VM). */
export type Reserved = Map<string, { vcpus: number; memoryMb: number }>;

async function rankHosts(trx: Transaction<Database>, hostId: string | null | undefined, hostConcurrency: number, reserved?: Reserved): Promise<{ hosts: HostRow[]; ranked: Candidate[] }> {
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
  const ranked = usable
    .map((host) => {
      const capacity = hostCapacity(host, { hostConcurrency });
      const u = used.find((r) => r.host_id === host.id);
      const r = reserved?.get(host.id);
      return { host, freeVcpus: capacity.vcpus - (u?.vcpus ?? 0) - (r?.vcpus ?? 0), freeMemoryMb: capacity.allocatableMemoryMb - (u?.memory ?? 0) - (r?.memoryMb ?? 0) };
    })
    .sort((a, b) => b.freeMemoryMb - a.freeMemoryMb);
  return { hosts, ranked };
}

const roomFor = (need: { vcpus: number; memoryMb: number }) => `${need.vcpus} ${need.vcpus === 1 ? 'vCPU' : 'vCPUs'} and ${memoryText(need.memoryMb)} of memory`;

/**
 * Picks the online host (not in maintenance) with the most free memory that fits the VM, after
 * overcommit. Candidate rows are locked so concurrent placements cannot overfill one host.
 */
export async function placeVm(trx: Transaction<Database>, need: { vcpus: number; memoryMb: number }, hostId: string | null | undefined, hostConcurrency: number): Promise<HostRow> {
  const { ranked } = await rankHosts(trx, hostId, hostConcurrency);
  const fits = ranked.filter((c) => c.freeVcpus >= need.vcpus && c.freeMemoryMb >= need.memoryMb);
  if (!fits.length) throw new NoCapacityError(hostId ? `The host ${ranked[0].host.name} has no room for ${roomFor(need)}` : `No online host has room for ${roomFor(need)}`);
  return fits[0].host;
}

/**
 * Where a VM moves: the named host, or the usable host with the most free memory after overcommit
 * that runs the same kind of guest (kvm or qemu) and, on kvm, the same CPU model. Returns it with
 * why it was chosen; a host that cannot take the VM is refused with the reason.
 */
export async function placeMigration(trx: Transaction<Database>, vm: Pick<VmRow, 'vcpus' | 'memory_mb' | 'host_id'>, source: HostRow, targetHostId: string | null | undefined, hostConcurrency: number, reserved?: Reserved): Promise<{ host: HostRow; reason: string }> {
  if (targetHostId && targetHostId === source.id) throw ValidationError.forField('targetHostId', `The VM is on ${source.name} already`);
  const need = { vcpus: vm.vcpus, memoryMb: vm.memory_mb };
  const { ranked } = await rankHosts(trx, targetHostId, hostConcurrency, reserved);
  const cpuModel = (h: HostRow) => (h.capabilities as { cpuModel?: string } | null)?.cpuModel ?? '';
  const why = (c: Candidate): string | null => {
    if (c.host.id === source.id) return 'it is where the VM is';
    if (c.host.domain_type !== source.domain_type) return `it runs ${c.host.domain_type} guests, the VM is a ${source.domain_type} guest`;
    if (source.domain_type === 'kvm' && cpuModel(c.host) !== cpuModel(source)) return `its CPU (${cpuModel(c.host)}) differs from ${source.name}'s (${cpuModel(source)})`;
    if (c.freeVcpus < need.vcpus || c.freeMemoryMb < need.memoryMb) return `it has no room for ${roomFor(need)} (${c.freeVcpus} vCPUs and ${memoryText(Math.max(0, c.freeMemoryMb))} free after overcommit)`;
    return null;
  };
  const chosen = ranked.find((c) => why(c) === null);
  if (!chosen) {
    if (targetHostId) throw new NoCapacityError(`${ranked[0].host.name} cannot take the VM: ${why(ranked[0])}`);
    const others = ranked.filter((c) => c.host.id !== source.id);
    throw new NoCapacityError(others.length ? `No other host can take the VM: ${others.map((c) => `${c.host.name}: ${why(c)}`).join('; ')}` : 'There is no other online host to move the VM to');
  }
  const reason = `${targetHostId ? 'chosen by you' : 'the most free memory'}: ${memoryText(chosen.freeMemoryMb)} and ${chosen.freeVcpus} vCPUs free after overcommit, ${chosen.host.domain_type} like ${source.name}, not in maintenance`;
  return { host: chosen.host, reason };
}
