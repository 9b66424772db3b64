import ipaddr from 'ipaddr.js';
import type { ExpressionBuilder, Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, IpPoolRow } from '../../db/types.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { parseInput } from './validation.ts';

// IPv4 pools a host hands out statically through cloud-init. Ranges are small enough (≤ 65,536)
// to find the lowest free address in memory under the pool's row lock.
const MAX_RANGE = 65_536;
const ipv4 = z.ipv4('An IPv4 address is expected');

const poolSchema = z
  .object({
    name: z.string().trim().min(1, 'A name is required').max(64, 'A name has at most 64 characters'),
    hostId: z.uuid(),
    cidr: z.string().refine((s) => {
      try {
        const [address] = ipaddr.parseCIDR(s);
        return address.kind() === 'ipv4';
      } catch {
        return false;
      }
    }, 'A CIDR such as 10.10.0.0/24 is expected'),
    gateway: ipv4.nullish(),
    dns: z.array(ipv4).max(4, 'At most 4 DNS servers').default([]),
    rangeStart: ipv4,
    rangeEnd: ipv4,
  })
  .superRefine((p, ctx) => {
    let network: [ipaddr.IPv4, number];
    try {
      network = ipaddr.IPv4.parseCIDR(p.cidr);
    } catch {
      return;
    }
    const inside = (a: string) => ipaddr.IPv4.isValid(a) && ipaddr.IPv4.parse(a).match(network);
    if (!inside(p.rangeStart)) ctx.addIssue({ code: 'custom', path: ['rangeStart'], message: `rangeStart is not inside ${p.cidr}` });
    if (!inside(p.rangeEnd)) ctx.addIssue({ code: 'custom', path: ['rangeEnd'], message: `rangeEnd is not inside ${p.cidr}` });
    if (p.gateway && !inside(p.gateway)) ctx.addIssue({ code: 'custom', path: ['gateway'], message: `gateway is not inside ${p.cidr}` });
    const size = toInt(p.rangeEnd) - toInt(p.rangeStart) + 1;
    if (size < 1) ctx.addIssue({ code: 'custom', path: ['rangeEnd'], message: 'rangeEnd comes before rangeStart' });
    if (size > MAX_RANGE) ctx.addIssue({ code: 'custom', path: ['rangeEnd'], message: `A range holds at most ${MAX_RANGE} addresses` });
    if (p.gateway && toInt(p.gateway) >= toInt(p.rangeStart) && toInt(p.gateway) <= toInt(p.rangeEnd)) {
      ctx.addIssue({ code: 'custom', path: ['gateway'], message: 'The gateway may not be inside the range handed to VMs' });
    }
  });
export type IpPoolInput = z.input<typeof poolSchema>;

function toInt(address: string): number {
  return ipaddr.IPv4.parse(address).octets.reduce((n, octet) => n * 256 + octet, 0);
}
function fromInt(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export async function createIpPool(db: Db, raw: IpPoolInput): Promise<IpPoolRow> {
  const input = parseInput(poolSchema, raw);
  const host = await db.selectFrom('hosts').select('id').where('id', '=', input.hostId).executeTakeFirst();
  if (!host) throw ValidationError.forField('hostId', 'hostId is not the id of a host');
  return db
    .insertInto('ip_pools')
    .values({ name: input.name, host_id: input.hostId, cidr: input.cidr, gateway: input.gateway ?? null, dns: JSON.stringify(input.dns), range_start: input.rangeStart, range_end: input.rangeEnd })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Refused while addresses of the pool are in use. */
export async function deleteIpPool(db: Db, id: string): Promise<IpPoolRow> {
  return db.transaction().execute(async (trx) => {
    const pool = await trx.selectFrom('ip_pools').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!pool) throw new NotFoundError('The IP pool');
    const used = await trx.selectFrom('ip_allocations').select((eb) => eb.fn.countAll<string>().as('n')).where('pool_id', '=', id).executeTakeFirstOrThrow();
    if (Number(used.n) > 0) throw new ConflictError(`${used.n} VM(s) still hold addresses of the pool ${pool.name}`);
    await trx.deleteFrom('ip_pools').where('id', '=', id).execute();
    return pool;
  });
}

export async function ipPoolsOfHosts(db: Db, hostIds: readonly string[]): Promise<IpPoolRow[][]> {
  if (!hostIds.length) return [];
  const rows = await db.selectFrom('ip_pools').selectAll().where('host_id', 'in', hostIds).orderBy('created_at').execute();
  return hostIds.map((id) => rows.filter((r) => r.host_id === id));
}

export async function ipPoolsByIds(db: Db, ids: readonly string[]): Promise<IpPoolRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('ip_pools').selectAll().where('id', 'in', ids).execute();
}

export async function usedAddresses(db: Db, poolId: string): Promise<number> {
  const row = await db.selectFrom('ip_allocations').select((eb) => eb.fn.countAll<string>().as('n')).where('pool_id', '=', poolId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function poolSize(pool: Pick<IpPoolRow, 'range_start' | 'range_end'>): number {
  return toInt(pool.range_end) - toInt(pool.range_start) + 1;
}

export interface Lease {
  poolId: string;
  address: string;
  /** The address with its prefix length, as the guest configures it (10.0.0.5/24). */
  cidrAddress: string;
  gateway: string | null;
  dns: string[];
}

/**
 * Gives the VM the lowest free address of the first of its host's pools that has one; null when the
 * host has no pool (the guest then uses DHCP). The pool row lock serializes concurrent allocations.
 */
export async function allocateAddress(trx: Transaction<Database>, hostId: string, vmId: string, options: { interfaceId?: string; poolId?: string } = {}): Promise<Lease | null> {
  let query = trx.selectFrom('ip_pools').selectAll().where('host_id', '=', hostId);
  if (options.poolId) query = query.where('id', '=', options.poolId);
  const pools = await query.orderBy('created_at').forUpdate().execute();
  if (!pools.length) return null;
  for (const pool of pools) {
    const taken = new Set((await trx.selectFrom('ip_allocations').select('address').where('pool_id', '=', pool.id).execute()).map((r) => r.address));
    for (let n = toInt(pool.range_start); n <= toInt(pool.range_end); n++) {
      const address = fromInt(n);
      if (taken.has(address)) continue;
      await trx.insertInto('ip_allocations').values({ pool_id: pool.id, address, vm_id: vmId, interface_id: options.interfaceId ?? null }).execute();
      return leaseOf(pool, address);
    }
  }
  throw new ConflictError(options.poolId ? 'Every address of this IP pool is in use' : 'Every address of this host\u2019s IP pools is in use');
}

function leaseOf(pool: IpPoolRow, address: string): Lease {
  return { poolId: pool.id, address, cidrAddress: `${address}/${pool.cidr.split('/')[1]}`, gateway: pool.gateway, dns: pool.dns };
}

/** The address of the NIC a VM was made with (interfaces attached later hold their own, see vm-interfaces.ts). */
export const primary = (eb: ExpressionBuilder<Database, 'ip_allocations'>) =>
  eb.or([eb('ip_allocations.interface_id', 'is', null), eb('ip_allocations.interface_id', 'in', eb.selectFrom('vm_interfaces').select('vm_interfaces.id').where('vm_interfaces.position', '=', 0))]);

/** The VM's address, if it has one. */
export async function leaseOfVm(db: Db | Transaction<Database>, vmId: string): Promise<Lease | null> {
  const row = await db.selectFrom('ip_allocations').innerJoin('ip_pools', 'ip_pools.id', 'ip_allocations.pool_id').selectAll('ip_pools').select('ip_allocations.address').where('ip_allocations.vm_id', '=', vmId).where(primary).executeTakeFirst();
  return row ? leaseOf(row, row.address) : null;
}

export async function addressesOfVms(db: Db, vmIds: readonly string[]): Promise<Array<string | null>> {
  if (!vmIds.length) return [];
  const rows = await db.selectFrom('ip_allocations').select(['vm_id', 'address']).where('vm_id', 'in', vmIds).where(primary).execute();
  return vmIds.map((id) => rows.find((r) => r.vm_id === id)?.address ?? null);
}

export async function releaseAddress(db: Db, vmId: string): Promise<void> {
  await db.deleteFrom('ip_allocations').where('vm_id', '=', vmId).execute();
}
