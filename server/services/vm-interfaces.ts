// A VM's network interfaces after it exists (issue 21): attached and detached, each with its own
// MAC and, when asked, an address from one of its host's IP pools; bandwidth limits per interface.
// Each change is recorded here with its task in one transaction; the task carries it out on the host.
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Transaction } from 'kysely';
import type { Database, InterfaceBandwidth, VmInterfaceRow, VmRow } from '../../db/types.ts';
import type { OperationHardware } from '../operations/define.ts';
import { seedInstanceId } from '../operations/install.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { HypervisorError } from '../hypervisor/errors.ts';
import { hypervisorFor } from '../hypervisor/libvirt-hypervisor.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { allocateAddress } from './ip-pools.ts';
import { parseInput } from './validation.ts';
import { actionableVm } from './vm-authority.ts';
import { announceQueued, lockedVmFor, randomMac, scheduleTask, type VmWithTask } from './vms.ts';

export const MAX_INTERFACES = 8;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const attachInterfaceSchema = z
  .object({
    network: z.string().regex(NAME, 'A network name is letters, digits, dots, dashes and underscores').nullish(),
    bridge: z.string().regex(NAME, 'A bridge name is letters, digits, dots, dashes and underscores').max(15, 'A bridge name has at most 15 characters').nullish(),
    ipPoolId: z.uuid().nullish(),
  })
  .refine((i) => !!i.network !== !!i.bridge, { message: 'Give either a network or a bridge', path: ['network'] });
export type AttachInterfaceInput = z.input<typeof attachInterfaceSchema>;

// KiB/s (average, peak) and KiB (burst), as libvirt's <bandwidth> takes them.
const KIBS_MAX = 100 * 1024 * 1024; // 100 GiB/s: more is no limit
const limitSchema = z
  .object({
    average: z.number().int().min(1, 'At least 1 KiB/s').max(KIBS_MAX, 'At most 100 GiB/s'),
    peak: z.number().int().min(1).max(KIBS_MAX).nullish(),
    burst: z.number().int().min(1).max(1024 * 1024, 'A burst is at most 1 GiB').nullish(),
  })
  .refine((l) => !l.peak || l.peak >= l.average, { message: 'The peak is at least the average', path: ['peak'] });
export const bandwidthSchema = z.object({ inbound: limitSchema.nullish(), outbound: limitSchema.nullish() });
export type BandwidthInput = z.input<typeof bandwidthSchema>;

export interface InterfaceWithTask extends VmWithTask {
  interface: VmInterfaceRow;
}

/** Whether the VM's host has the libvirt network, running; a host that does not answer is a conflict, not a yes. */
async function checkNetwork(db: Db, vm: VmRow, name: string): Promise<void> {
  const host = await db.selectFrom('hosts').select(['uri', 'name']).where('id', '=', vm.host_id!).executeTakeFirstOrThrow();
  let active: boolean | null;
  try {
    active = await hypervisorFor(host, { timeoutMs: 10_000 }).networkActive(name);
  } catch (error) {
    if (error instanceof HypervisorError) throw new ConflictError(`${host.name} does not answer: ${error.message}`);
    throw error;
  }
  if (active === null) throw ValidationError.forField('network', `${host.name} has no network ${name} (virsh net-list --all lists its networks)`);
  if (!active) throw ValidationError.forField('network', `The network ${name} is not running on ${host.name}`);
}

/** Records a new NIC (its MAC, its pool address when asked) and queues its attach. */
export async function attachInterface(ctx: ServiceContext, vmId: string, raw: AttachInterfaceInput): Promise<InterfaceWithTask> {
  const input = parseInput(attachInterfaceSchema, raw);
  const viewer = actorOf(ctx);
  const current = await actionableVm(ctx.db, viewer, vmId);
  if (input.network && current.host_id) await checkNetwork(ctx.db, current, input.network);
  const network = input.network ? { kind: 'network' as const, name: input.network } : { kind: 'bridge' as const, name: input.bridge! };
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, viewer, vmId, 'vm.interface-attach');
    if (input.ipPoolId) {
      const pool = await trx.selectFrom('ip_pools').select(['id', 'host_id']).where('id', '=', input.ipPoolId).executeTakeFirst();
      if (!pool || pool.host_id !== vm.host_id) throw ValidationError.forField('ipPoolId', 'No such IP pool on the VM\u2019s host');
    }
    const existing = await trx.selectFrom('vm_interfaces').select(['position', 'mac_address']).where('vm_id', '=', vm.id).execute();
    if (existing.length >= MAX_INTERFACES) throw ValidationError.forField('network', `A VM has at most ${MAX_INTERFACES} network interfaces`);
    let mac = randomMac();
    while (existing.some((e) => e.mac_address === mac) || mac === vm.mac_address) mac = randomMac();
    const position = Math.max(0, ...existing.map((e) => e.position + 1), vm.network && !existing.length ? 1 : 0);
    const nic = await trx.insertInto('vm_interfaces').values({ vm_id: vm.id, position, mac_address: mac, network: JSON.stringify(network) }).returningAll().executeTakeFirstOrThrow();
    if (input.ipPoolId) await allocateAddress(trx, vm.host_id!, vm.id, { interfaceId: nic.id, poolId: input.ipPoolId });
    const task = await scheduleTask(trx, ctx, 'vm.interface-attach', vm, vm.host_id!, { interfaceId: nic.id });
    return { vm, task, interface: nic };
  });
  return announceQueued(ctx, result, true);
}

async function interfaceOfVm(db: Db | Transaction<Database>, vm: VmRow, interfaceId: string): Promise<VmInterfaceRow> {
  const nic = await db.selectFrom('vm_interfaces').selectAll().where('id', '=', interfaceId).where('vm_id', '=', vm.id).executeTakeFirst();
  if (!nic) throw new NotFoundError('The network interface');
  return nic;
}

/** Queues the NIC's detach (its address is released once it is gone from the VM). */
export async function detachInterface(ctx: ServiceContext, vmId: string, interfaceId: string): Promise<VmWithTask> {
  const viewer = actorOf(ctx);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, viewer, vmId, 'vm.interface-detach');
    await interfaceOfVm(trx, vm, interfaceId);
    return { vm, task: await scheduleTask(trx, ctx, 'vm.interface-detach', vm, vm.host_id!, { interfaceId }) };
  });
  return announceQueued(ctx, result, true);
}

/** Records the NIC's limits (null lifts one) and queues applying them, on the running VM too. */
export async function setInterfaceBandwidth(ctx: ServiceContext, vmId: string, interfaceId: string, raw: BandwidthInput): Promise<InterfaceWithTask> {
  const input = parseInput(bandwidthSchema, raw);
  const viewer = actorOf(ctx);
  const bandwidth: InterfaceBandwidth | null = input.inbound || input.outbound ? { inbound: input.inbound ?? null, outbound: input.outbound ?? null } : null;
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, viewer, vmId, 'vm.interface-tune');
    const previous = (await interfaceOfVm(trx, vm, interfaceId)).bandwidth;
    const nic = await trx.updateTable('vm_interfaces').set({ bandwidth: bandwidth ? JSON.stringify(bandwidth) : null }).where('id', '=', interfaceId).returningAll().executeTakeFirstOrThrow();
    return { vm, task: await scheduleTask(trx, ctx, 'vm.interface-tune', vm, vm.host_id!, { interfaceId, previous }), interface: nic };
  });
  return announceQueued(ctx, result, true);
}

export interface VmInterfaceView extends VmInterfaceRow {
  vmState: string;
  hostId: string | null;
  /** Its pool address with prefix length, or null (DHCP). */
  lease: { address: string; cidr: string; pool: string } | null;
}

/** Each VM's NICs in order with their pool addresses, in two queries. */
export async function interfacesOfVms(db: Db, vms: readonly VmRow[]): Promise<VmInterfaceView[][]> {
  if (!vms.length) return [];
  const ids = vms.map((vm) => vm.id);
  const [rows, leases] = await Promise.all([
    db.selectFrom('vm_interfaces').selectAll().where('vm_id', 'in', ids).orderBy('position').execute(),
    db
      .selectFrom('ip_allocations')
      .innerJoin('ip_pools', 'ip_pools.id', 'ip_allocations.pool_id')
      .select(['ip_allocations.interface_id', 'ip_allocations.address', 'ip_pools.cidr', 'ip_pools.name'])
      .where('ip_allocations.vm_id', 'in', ids)
      .execute(),
  ]);
  return vms.map((vm) =>
    rows
      .filter((r) => r.vm_id === vm.id)
      .map((r) => {
        const lease = leases.find((l) => l.interface_id === r.id);
        return { ...r, vmState: vm.state, hostId: vm.host_id, lease: lease ? { address: lease.address, cidr: lease.cidr, pool: lease.name } : null };
      }),
  );
}

/** What the guest agent reports for the NIC now (IPv4 with prefix); empty when it does not run or answer. */
export async function guestAddressesOf(db: Db, nic: VmInterfaceView): Promise<string[]> {
  if (nic.vmState !== 'running' || !nic.hostId) return [];
  const host = await db.selectFrom('hosts').select('uri').where('id', '=', nic.hostId).executeTakeFirst();
  if (!host) return [];
  try {
    const found = await hypervisorFor(host, { timeoutMs: 5000 }).guestInterfaces(nic.vm_id);
    return found.find((g) => g.mac === nic.mac_address)?.addresses ?? [];
  } catch (error) {
    if (error instanceof HypervisorError) return [];
    throw error;
  }
}

/** What the operations read of a VM's hardware (OperationServices.vmHardware). */
export async function hardwareOfVm(db: Db, vmId: string): Promise<OperationHardware> {
  const vm = await db.selectFrom('vms').select(['id', 'network', 'mac_address', 'cdrom_image_id', 'iso_path', 'boot_order', 'boot_once', 'state', 'host_id']).where('id', '=', vmId).executeTakeFirstOrThrow();
  const [rows] = await interfacesOfVms(db, [vm as VmRow]);
  const interfaces = rows.map((r) => ({
    id: r.id,
    position: r.position,
    mac: r.mac_address,
    network: r.network,
    bandwidth: r.bandwidth,
    cidrAddress: r.lease ? `${r.lease.address}/${r.lease.cidr.split('/')[1]}` : null,
  }));
  // A VM whose row was written without its interface (by hand, or before interfaces had rows): its one NIC.
  if (!interfaces.length && vm.network && vm.mac_address) interfaces.push({ id: `vm-${vm.id}`, position: 0, mac: vm.mac_address, network: vm.network, bandwidth: null, cidrAddress: null });
  const install = await db
    .selectFrom('tasks')
    .select('id')
    .where('vm_id', '=', vmId)
    .where('operation', 'in', ['vm.deploy', 'vm.reinstall'])
    .where('started_at', 'is not', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return { interfaces, cdromImageId: vm.cdrom_image_id, isoPath: vm.iso_path, bootOrder: vm.boot_order, bootOnce: vm.boot_once, seedInstanceId: install ? seedInstanceId(vmId, install.id) : null };
}

/** Forgets the NIC with its address; the one the VM was made with takes the VM's own record of it along. */
export async function removeInterfaceRecord(db: Db, vmId: string, interfaceId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const gone = await trx.deleteFrom('vm_interfaces').where('id', '=', interfaceId).where('vm_id', '=', vmId).returning('position').executeTakeFirst();
    if (gone?.position === 0) await trx.updateTable('vms').set({ network: null, updated_at: new Date() }).where('id', '=', vmId).execute();
  });
}

export async function clearBootOnce(db: Db, vmId: string): Promise<void> {
  await db.updateTable('vms').set({ boot_once: false }).where('id', '=', vmId).execute();
}

export async function restoreBandwidth(db: Db, vmId: string, interfaceId: string, bandwidth: InterfaceBandwidth | null): Promise<void> {
  await db.updateTable('vm_interfaces').set({ bandwidth: bandwidth ? JSON.stringify(bandwidth) : null }).where('id', '=', interfaceId).where('vm_id', '=', vmId).execute();
}
