// A VM's disks (issue 21): attach a blank one, detach, grow, and limit its I/O. Each change is
// checked here (quota, the most disks a VM may have, the pool, grow only, not the boot disk),
// written to its row and queued as a task in one transaction; the operations in
// operations/vm-disk-*.ts carry it out on the host.
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, DiskBus, DiskIoLimits, TaskRow, VmDiskRow, VmRow } from '../../db/types.ts';
import { ConflictError, NotFoundError, PermissionError, QuotaExceededError, ValidationError } from '../errors.ts';
import { hypervisorFor } from '../hypervisor/libvirt-hypervisor.ts';
import { hasPrivilege } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { settingsOf } from './hosts.ts';
import { checkQuota } from './quotas.ts';
import { parseInput } from './validation.ts';
import { actionableVm } from './vm-authority.ts';
import { announceQueued, lockedVmFor, refuseWithSnapshots, scheduleTask } from './vms.ts';

const limit = (max: number) => z.number().int().min(0).max(max).nullish();
export const ioLimitsSchema = z
  .object({
    totalBytesSec: limit(1e13),
    readBytesSec: limit(1e13),
    writeBytesSec: limit(1e13),
    totalIopsSec: limit(1e8),
    readIopsSec: limit(1e8),
    writeIopsSec: limit(1e8),
  })
  .superRefine((l, ctx) => {
    // libvirt takes a total or a read/write pair, not both.
    if (l.totalBytesSec && (l.readBytesSec || l.writeBytesSec)) ctx.addIssue({ code: 'custom', path: ['totalBytesSec'], message: 'Give a total, or read and write bytes per second, not both' });
    if (l.totalIopsSec && (l.readIopsSec || l.writeIopsSec)) ctx.addIssue({ code: 'custom', path: ['totalIopsSec'], message: 'Give a total, or read and write operations per second, not both' });
  });
export type IoLimitsInput = z.input<typeof ioLimitsSchema>;

const poolName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'A pool name uses letters, digits, dots, dashes and underscores');
export const attachDiskSchema = z.object({
  sizeGiB: z.number().int().min(1).max(16 * 1024),
  bus: z.enum(['virtio', 'scsi', 'sata']).default('virtio'),
  pool: poolName.nullish(),
  ioLimits: ioLimitsSchema.nullish(),
});
export type AttachDiskInput = z.input<typeof attachDiskSchema>;

const resizeDiskSchema = z.object({ sizeGiB: z.number().int().min(1).max(16 * 1024) });
const detachDiskSchema = z.object({ deleteVolume: z.boolean().default(false), timeoutSeconds: z.number().int().min(1).max(3600).nullish() });
export type DetachDiskInput = z.input<typeof detachDiskSchema>;

export interface VmDiskChange {
  vm: VmRow;
  task: TaskRow;
  disk: VmDiskRow;
}

/** What Vm.disks shows of one disk: its row, its size (the boot disk's is the VM's), its pool by name. */
export interface VmDiskView extends VmDiskRow {
  sizeGb: number;
  poolName: string;
  hostId: string | null;
}

/** The boot disk a VM made before its row existed would have (see vm-disk-rows.ts). */
function bootDiskOf(vm: VmRow): VmDiskRow {
  return { id: vm.id, vm_id: vm.id, volume: `${vm.id}.qcow2`, pool: null, size_gb: vm.disk_gb, bus: 'virtio', target: 'vda', boot_order: 1, is_boot: true, io_limits: null, created_at: vm.created_at as Date };
}

async function rowsOf(db: Db | Transaction<Database>, vm: VmRow): Promise<VmDiskRow[]> {
  const rows = await db.selectFrom('vm_disks').selectAll().where('vm_id', '=', vm.id).orderBy('is_boot', 'desc').orderBy('created_at').orderBy('id').execute();
  return rows.some((d) => d.is_boot) ? rows : [bootDiskOf(vm), ...rows];
}

/** Each VM's disks, the boot disk first. */
export async function disksOfVms(ctx: Pick<ServiceContext, 'db' | 'config'>, vms: readonly VmRow[]): Promise<VmDiskView[][]> {
  if (!vms.length) return [];
  const hostIds = [...new Set(vms.map((v) => v.host_id).filter((h): h is string => !!h))];
  const hosts = hostIds.length ? await ctx.db.selectFrom('hosts').select(['id', 'settings']).where('id', 'in', hostIds).execute() : [];
  return Promise.all(
    vms.map(async (vm) => {
      const host = hosts.find((h) => h.id === vm.host_id);
      const diskPool = host ? settingsOf(host, ctx.config).diskPool : 'hangar-disks';
      return (await rowsOf(ctx.db, vm)).map((d) => ({ ...d, sizeGb: d.is_boot ? vm.disk_gb : d.size_gb, poolName: d.pool ?? diskPool, hostId: vm.host_id }));
    }),
  );
}

/** The bytes a disk's file takes on its host now (libvirt's vol-info); null when the host does not say. */
export async function diskAllocationBytes(ctx: Pick<ServiceContext, 'db'>, disk: VmDiskView): Promise<number | null> {
  if (!disk.hostId) return null;
  const host = await ctx.db.selectFrom('hosts').select(['uri', 'status']).where('id', '=', disk.hostId).executeTakeFirst();
  if (!host || host.status !== 'online') return null;
  const info = await hypervisorFor(host, { timeoutMs: 5000 })
    .volumeInfo(disk.poolName, disk.volume)
    .catch(() => null);
  return info ? info.allocationBytes : null;
}

/** The first free device name on the bus: vdb… for virtio (vda is the boot disk), sdc… for SCSI and SATA (sda and sdb are the CD-ROMs). */
function nextTarget(bus: DiskBus, taken: string[]): string {
  const [prefix, first] = bus === 'virtio' ? ['vd', 'b'] : ['sd', 'c'];
  for (let c = first.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
    const target = prefix + String.fromCharCode(c);
    if (!taken.includes(target)) return target;
  }
  throw new QuotaExceededError('disks', `Too many disks on the ${bus} bus`);
}

/** The pool named, when it is on the VM's host (checked through libvirt); null for the host's disk pool. */
async function checkPool(ctx: ServiceContext, vm: VmRow, pool: string | null | undefined): Promise<string | null> {
  if (!pool || !vm.host_id) return null;
  const host = await ctx.db.selectFrom('hosts').selectAll().where('id', '=', vm.host_id).executeTakeFirstOrThrow();
  const settings = settingsOf(host, ctx.config);
  if (pool === settings.diskPool) return null;
  if (!hasPrivilege(actorOf(ctx), 'Host.Manage')) throw new PermissionError('Only administrators of hosts may put a disk in a pool other than the host\u2019s disk pool');
  if (pool === settings.imagePool) throw ValidationError.forField('pool', `${pool} holds the host\u2019s cached images, not disks`);
  const pools = await hypervisorFor(host, { timeoutMs: 5000 }).listPools();
  if (!pools.active.includes(pool)) throw new NotFoundError(`The storage pool ${pool} on ${host.name}`);
  return pool;
}

/** A new blank disk for the VM: checked, its row written and its attach queued, in one transaction. */
export async function attachDisk(ctx: ServiceContext, vmId: string, raw: AttachDiskInput): Promise<VmDiskChange> {
  const input = parseInput(attachDiskSchema, raw);
  // The pool is looked up on the VM's host before anything is locked or written (an unknown pool changes nothing).
  const pool = input.pool ? await checkPool(ctx, await actionableVm(ctx.db, actorOf(ctx), vmId), input.pool) : null;
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, actorOf(ctx), vmId, 'vm.disk-attach');
    // A revert would bring back the disks as they were behind the VM's record.
    await refuseWithSnapshots(trx, vm, 'given or relieved of disks');
    const disks = await rowsOf(trx, vm);
    if (disks.length >= ctx.config.maxDisksPerVm) throw new QuotaExceededError('disks', `Too many disks: the VM has ${disks.length}, at most ${ctx.config.maxDisksPerVm}`);
    await checkQuota(trx, vm.owner_id, { vcpus: 0, memoryMb: 0, diskGb: input.sizeGiB }, false);
    const id = randomUUID();
    const disk = await trx
      .insertInto('vm_disks')
      .values({
        id,
        vm_id: vm.id,
        volume: `${vm.id}-disk-${id.slice(0, 8)}.qcow2`,
        pool,
        size_gb: input.sizeGiB,
        bus: input.bus,
        target: nextTarget(input.bus, disks.map((d) => d.target)),
        boot_order: null,
        io_limits: input.ioLimits ? JSON.stringify(input.ioLimits) : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const task = await scheduleTask(trx, ctx, 'vm.disk-attach', vm, vm.host_id!, { diskId: disk.id, sizeGiB: input.sizeGiB, bus: input.bus, pool });
    return { vm, task, disk };
  });
  return announceQueued(ctx, result, false);
}

async function lockedDisk(trx: Transaction<Database>, vm: VmRow, diskId: string): Promise<VmDiskRow> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(diskId)) throw new NotFoundError('The disk');
  const disk = (await rowsOf(trx, vm)).find((d) => d.id === diskId);
  if (!disk) throw new NotFoundError('The disk');
  return disk;
}

/** Unplugs a disk (never the boot disk); its volume is kept, or deleted when asked (that needs VM.Delete). */
export async function detachDisk(ctx: ServiceContext, vmId: string, diskId: string, raw: DetachDiskInput = {}): Promise<VmDiskChange> {
  const input = parseInput(detachDiskSchema, raw);
  if (input.deleteVolume && !hasPrivilege(actorOf(ctx), 'VM.Delete')) throw new PermissionError('Deleting a disk\u2019s volume needs the VM.Delete privilege');
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, actorOf(ctx), vmId, 'vm.disk-detach');
    // A revert would bring back the disks as they were behind the VM's record.
    await refuseWithSnapshots(trx, vm, 'given or relieved of disks');
    const disk = await lockedDisk(trx, vm, diskId);
    if (disk.is_boot) throw new ConflictError('The boot disk cannot be detached: the VM starts from it');
    const task = await scheduleTask(trx, ctx, 'vm.disk-detach', vm, vm.host_id!, { diskId: disk.id, deleteVolume: input.deleteVolume, timeoutSeconds: input.timeoutSeconds ?? null });
    return { vm, task, disk };
  });
  return announceQueued(ctx, result, false);
}

/** Grows a disk (the boot disk too: the VM's disk size follows); the quota must have room. */
export async function resizeDisk(ctx: ServiceContext, vmId: string, diskId: string, sizeGiB: number): Promise<VmDiskChange> {
  const input = parseInput(resizeDiskSchema, { sizeGiB });
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, actorOf(ctx), vmId, 'vm.disk-resize');
    // A revert would bring back the disks as they were behind the VM's record.
    await refuseWithSnapshots(trx, vm, 'resized');
    const disk = await lockedDisk(trx, vm, diskId);
    const current = disk.is_boot ? vm.disk_gb : disk.size_gb;
    if (input.sizeGiB <= current) throw ValidationError.forField('sizeGiB', `A disk only grows: it has ${current} GiB`);
    await checkQuota(trx, vm.owner_id, { vcpus: 0, memoryMb: 0, diskGb: input.sizeGiB - current }, false);
    let updatedVm = vm;
    if (disk.is_boot) updatedVm = await trx.updateTable('vms').set({ disk_gb: input.sizeGiB, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    const updated = await trx.updateTable('vm_disks').set({ size_gb: input.sizeGiB }).where('id', '=', disk.id).returningAll().executeTakeFirst();
    const task = await scheduleTask(trx, ctx, 'vm.disk-resize', updatedVm, vm.host_id!, { diskId: disk.id, sizeGiB: input.sizeGiB });
    return { vm: updatedVm, task, disk: updated ?? { ...disk, size_gb: input.sizeGiB } };
  });
  return announceQueued(ctx, result, result.disk.is_boot);
}

/** Replaces a disk's I/O limits (absent or 0: none), applied to the running guest at once. */
export async function setDiskIoLimits(ctx: ServiceContext, vmId: string, diskId: string, raw: IoLimitsInput): Promise<VmDiskChange> {
  const limits = parseInput(ioLimitsSchema, raw) as DiskIoLimits;
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, actorOf(ctx), vmId, 'vm.disk-limits');
    let disk = await lockedDisk(trx, vm, diskId);
    // A VM made before its disk rows had its boot disk row added by the migration; this keeps one that has none.
    if (disk.is_boot && disk.id === vm.id) disk = await trx.insertInto('vm_disks').values({ vm_id: vm.id, volume: disk.volume, pool: null, size_gb: vm.disk_gb, bus: 'virtio', target: 'vda', boot_order: 1, is_boot: true }).returningAll().executeTakeFirstOrThrow();
    const updated = await trx.updateTable('vm_disks').set({ io_limits: JSON.stringify(limits) }).where('id', '=', disk.id).returningAll().executeTakeFirstOrThrow();
    const task = await scheduleTask(trx, ctx, 'vm.disk-limits', vm, vm.host_id!, { diskId: disk.id });
    return { vm, task, disk: updated };
  });
  return announceQueued(ctx, result, false);
}
