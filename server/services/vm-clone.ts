// Cloning a VM: a new VM, owned by the one who asks, made from another VM's disk by the vm.clone
// task (operations/vm-clone.ts) with a fresh identity.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { PermissionError, ValidationError } from '../errors.ts';
import { extraDiskVolumeName } from '../operations/disks.ts';
import { CLONE_SOURCE } from '../operations/vm-clone.ts';
import type { Operation } from '../operations/define.ts';
import { hasPrivilege } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { settingsOf } from './hosts.ts';
import { checkQuota } from './quotas.ts';
import { parseInput } from './validation.ts';
import { assertActionAllowed } from './vm-actions.ts';
import { actionableVm } from './vm-authority.ts';
import { hostnameFrom, vmNameSchema } from './vm-input.ts';
import { placeVm } from './vm-placement.ts';
import { announceQueued, randomMac, scheduleTask, type VmWithTask } from './vms.ts';
import { insertBootDisk } from './vm-disk-rows.ts';
import { insertFirstInterface } from './vm-nic-rows.ts';

export const cloneVmSchema = z.object({
  name: vmNameSchema,
  /** Another host (administrators of hosts only); absent: the source's host. */
  hostId: z.uuid().nullish(),
  /** A standalone copy instead of an overlay on the cached image (always so on another host). */
  full: z.boolean().default(false),
  start: z.boolean().default(true),
});
export type CloneVmInput = z.input<typeof cloneVmSchema>;

/**
 * Queues a clone of the VM: the caller must be allowed to act on the source (seeing it is not
 * enough: the clone holds its data) and to create VMs; the clone counts against the caller's quota
 * and is placed on the source's host unless another is named. Row, address, task and job in one
 * transaction; the task waits in the source's queue behind its own operations.
 */
export async function cloneVm(ctx: ServiceContext, sourceId: string, raw: CloneVmInput): Promise<VmWithTask> {
  const input = parseInput(cloneVmSchema, raw);
  const viewer = actorOf(ctx);
  if (input.hostId && !hasPrivilege(viewer, 'Host.Manage')) throw new PermissionError('Only administrators of hosts may choose the host');
  const result = await ctx.db.transaction().execute(async (trx) => {
    const source = await actionableVm(trx, viewer, sourceId, true);
    const sourceHost = source.host_id ? ((await trx.selectFrom('hosts').selectAll().where('id', '=', source.host_id).executeTakeFirst()) ?? null) : null;
    assertActionAllowed(viewer, CLONE_SOURCE as unknown as Operation, source, sourceHost);
    const attached = await trx.selectFrom('vm_disks').selectAll().where('vm_id', '=', source.id).where('is_boot', '=', false).orderBy('created_at').execute();
    // The clone holds a copy of every disk: its quota counts them all.
    const need = { vcpus: source.vcpus, memoryMb: source.memory_mb, diskGb: source.disk_gb + attached.reduce((sum, d) => sum + d.size_gb, 0) };
    await checkQuota(trx, viewer.userId, need);
    const host = await placeVm(trx, need, input.hostId ?? source.host_id, ctx.config.hostConcurrency);
    const sameHost = host.id === sourceHost!.id;
    if (!sameHost && source.iso_path) throw ValidationError.forField('hostId', 'A VM that boots a file of its host can only be cloned on that host');
    // On its own host the clone joins the source's network; elsewhere what that host gives VMs.
    const network = sameHost ? source.network : settingsOf(host, ctx.config).network;
    const guest = source.guest_config ? { ...source.guest_config, hostname: hostnameFrom(input.name) } : null;
    const vm = await trx
      .insertInto('vms')
      .values({
        name: input.name,
        description: source.description,
        owner_id: viewer.userId,
        host_id: host.id,
        vcpus: source.vcpus,
        memory_mb: source.memory_mb,
        disk_gb: source.disk_gb,
        iso_path: source.iso_path,
        image_id: source.image_id,
        mac_address: randomMac(),
        network: JSON.stringify(network),
        guest_config: guest ? JSON.stringify(guest) : null,
        tags: source.tags,
        state: 'creating',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // Its disks: the boot disk and a copy of each attached one (same target, bus and limits; a
    // volume named after the clone, in the source's pool on its own host, else the new host's disk pool).
    await insertBootDisk(trx, vm);
    for (const d of attached) {
      const id = randomUUID();
      await trx
        .insertInto('vm_disks')
        .values({ id, vm_id: vm.id, volume: extraDiskVolumeName(vm.id, id), pool: sameHost ? d.pool : null, size_gb: d.size_gb, bus: d.bus, target: d.target, boot_order: d.boot_order, is_boot: false, io_limits: d.io_limits ? JSON.stringify(d.io_limits) : null })
        .execute();
    }
    // Its first NIC (a new MAC) with its own address; the source's other NICs are not copied.
    await insertFirstInterface(trx, vm, host.id, network);
    const task = await scheduleTask(trx, ctx, 'vm.clone', vm, sourceHost!.id, { sourceVmId: source.id, full: input.full, start: input.start }, null, source.id);
    return { vm, task };
  });
  return announceQueued(ctx, result, true);
}
