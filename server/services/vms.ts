import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, ImageRow, TaskRow, VmRow } from '../../db/types.ts';
import { hashPassword } from '../hypervisor/cloud-init.ts';
import { ConflictError, PermissionError, ValidationError } from '../errors.ts';
import { enqueueInTransaction } from '../queue/queue.ts';
import { OPERATIONS, STEPS, type PowerAction, type VmOperationName } from '../operations/registry.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { publishImage, visibleReadyImage } from './images.ts';
import { settingsOf } from './hosts.ts';
import { leaseOfVm } from './ip-pools.ts';
import { insertFirstInterface } from './vm-nic-rows.ts';
import { insertTask, publishTask } from './tasks.ts';
import { keysetOrder, pageByKeyset, type KeysetPage, type KeysetPageArgs } from './keyset.ts';
import { checkQuota } from './quotas.ts';
import { parseInput } from './validation.ts';
import { announce as announceCancellation, cancelTasksBeforeDelete } from './task-cancellation.ts';
import { actionableVm } from './vm-authority.ts';
import { captureSchema, checkFitsImage, createVmSchema, guestConfigOf, guestSchema, migrateSchema, passwordResetSchema, reinstalledGuestConfig, reinstallSchema, resizeSchema, type CaptureInput, type CreateVmInput, type MigrateInput, type ReinstallInput, type ResizeInput } from './vm-input.ts';
import { placeMigration, placeVm } from './vm-placement.ts';
import { assertActionAllowed } from './vm-actions.ts';
import { insertBootDisk, syncBootDiskSize } from './vm-disk-rows.ts';

export { assertMayActOnVm, canActOnVm, canSeeVm } from './vm-authority.ts';
export type { CaptureInput, CreateVmInput, GuestInput, ReinstallInput, ResizeInput } from './vm-input.ts';

import type { VmState } from '../operations/define.ts';

export type { VmState };
export type { PowerAction } from '../operations/registry.ts';

/** A locally administered unicast MAC in QEMU's range. */
export function randomMac(): string {
  return ['52', '54', '00', ...[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/**
 * Records the operation's task (its parameters checked by its own schema) and sends its job, in the
 * caller's transaction. queueKey: the VM whose operations it waits for (its own, unless it reads
 * another VM's disk: a clone waits for its source).
 */
export async function scheduleTask(trx: Transaction<Database>, ctx: ServiceContext, operation: VmOperationName, vm: VmRow, hostId: string, raw: Record<string, unknown> = {}, parentTaskId: string | null = null, queueKey = vm.id): Promise<TaskRow> {
  const params = parseInput(OPERATIONS[operation].params, raw) as Record<string, unknown>;
  const task = await insertTask(trx, { operation, steps: STEPS[operation], vmId: vm.id, vmStateBefore: vm.state, hostId, userId: actorOf(ctx).userId || null, requestId: ctx.requestInfo.requestId, params, parentTaskId });
  const jobId = await enqueueInTransaction(ctx.boss, trx, hostId, queueKey, { taskId: task.id });
  await trx.updateTable('tasks').set({ job_id: jobId }).where('id', '=', task.id).execute();
  return task;
}

export interface VmWithTask {
  vm: VmRow;
  task: TaskRow;
}

/** Announces a queued operation once its transaction committed: its new task, and its VM when that changed. */
export function announceQueued<T extends VmWithTask>(ctx: ServiceContext, result: T, vmChanged: boolean): T {
  if (vmChanged) publishVm(ctx.pubsub, result.vm);
  publishTask(ctx.pubsub, { ...result.task, vm_owner_id: result.vm.owner_id });
  return result;
}

/** Places the VM, takes its quota, and queues its creation: row, task and job in one transaction. */
export async function createVm(ctx: ServiceContext, raw: CreateVmInput): Promise<VmWithTask> {
  const { db } = ctx;
  const viewer = actorOf(ctx);
  const input = parseInput(createVmSchema, raw);
  if (input.hostId && !hasPrivilege(viewer, 'Host.Manage')) throw new PermissionError('Only administrators of hosts may choose the host');
  if (input.isoPath && !hasPrivilege(viewer, 'Host.Manage')) throw new PermissionError('Only administrators of hosts may boot a file from a host');
  if (input.isoPath && input.imageId) throw ValidationError.forField('isoPath', 'A VM boots either an image or an ISO, not both');
  if (input.guest && !input.imageId) throw ValidationError.forField('guest', 'Guest settings need an image to deploy (imageId)');
  if (input.isoImageId && (input.imageId || input.isoPath)) throw ValidationError.forField('isoImageId', 'A VM boots either an image, a host ISO or an ISO of the library');
  const image = input.imageId ? await visibleReadyImage(db, viewer, input.imageId) : null;
  if (image?.kind === 'iso') throw ValidationError.forField('imageId', 'This image is an ISO: give it as isoImageId to install from it onto a blank disk');
  const iso = input.isoImageId ? await visibleReadyImage(db, viewer, input.isoImageId) : null;
  if (iso && iso.kind !== 'iso') throw ValidationError.forField('isoImageId', 'This image is a disk image, not an ISO: give it as imageId');
  if (image) checkFitsImage(image, input);
  const guest = image ? guestConfigOf(parseInput(guestSchema, input.guest ?? {}), input.name, image) : null;
  const result = await db.transaction().execute(async (trx) => {
    await checkQuota(trx, viewer.userId, input);
    const host = await placeVm(trx, input, input.hostId, ctx.config.hostConcurrency);
    // The NIC attaches to what the host gives VMs today; the VM keeps it when the host's setting changes.
    const network = settingsOf(host, ctx.config).network;
    const vm = await trx
      .insertInto('vms')
      .values({
        name: input.name,
        description: input.description,
        owner_id: viewer.userId,
        host_id: host.id,
        vcpus: input.vcpus,
        memory_mb: input.memoryMb,
        disk_gb: input.diskGb,
        iso_path: input.isoPath ?? null,
        cdrom_image_id: iso?.id ?? null,
        // An installer boots first; once installed the user puts the disk first (setVmBoot) or ejects it.
        ...(iso || input.isoPath ? { boot_order: ['cdrom', 'hd'] } : {}),
        image_id: image?.id ?? null,
        mac_address: randomMac(),
        network: JSON.stringify(network),
        guest_config: guest ? JSON.stringify(guest) : null,
        state: 'creating',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertBootDisk(trx, vm);
    // Its first NIC, the one vms.network describes; an address from the host's pool only for a
    // deploy, whose cloud-init tells the guest (a blank VM's installer knows nothing of it).
    const lease = await insertFirstInterface(trx, vm, host.id, network, !!image);
    if (!image) return { vm, task: await scheduleTask(trx, ctx, 'vm.create', vm, host.id, { start: input.start }) };
    const task = await scheduleTask(trx, ctx, 'vm.deploy', vm, host.id, { imageId: image.id, address: lease?.address ?? null });
    return { vm, task };
  });
  return announceQueued(ctx, result, true);
}

/**
 * Queues a power action or a delete, when the VM's state allows it (see vm-actions.ts).
 * Operations on one VM run one at a time in the order asked (the queue keys jobs by VM id).
 */
export async function queueVmAction(ctx: ServiceContext, id: string, action: PowerAction | 'vm.delete', params: Record<string, unknown> = {}): Promise<VmWithTask> {
  // Bad input is refused before anything is read or locked.
  parseInput(OPERATIONS[action].params, params);
  const during = OPERATIONS[action].during;
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, actorOf(ctx), id, action);
    // A delete does not wait behind work it makes moot: a running deploy stops and rolls back.
    const cancelled = action === 'vm.delete' ? await cancelTasksBeforeDelete(ctx, trx, vm.id, `Cancelled: the VM is being deleted (asked by ${actorOf(ctx).user.name})`) : [];
    const task = await scheduleTask(trx, ctx, action, vm, vm.host_id!, params);
    // The VM shows what is coming (Starting, Stopping, …) from now; the worker sets the real state when it ends.
    const updated = during ? await trx.updateTable('vms').set({ state: during, state_message: null, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow() : vm;
    return { vm: updated, task, cancelled };
  });
  for (const cancellation of result.cancelled) announceCancellation(ctx, cancellation);
  return announceQueued(ctx, { vm: result.vm, task: result.task }, !!during);
}

export async function vmsByIds(db: Db, ids: readonly string[]): Promise<VmRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('vms').selectAll().where('id', 'in', ids).execute();
}

export interface VmFilter {
  search?: string | null;
  state?: VmState | null;
  hostId?: string | null;
  ownerId?: string | null;
  tag?: string | null;
}

/** Oldest first. */
export const VM_ORDER = keysetOrder('vms', 'the VM list', [
  { column: 'created_at', kind: 'timestamp' },
  { column: 'id', kind: 'uuid' },
]);

export async function listVms(db: Db, viewer: Viewer, filter: VmFilter, page: KeysetPageArgs): Promise<KeysetPage<VmRow>> {
  let query = db.selectFrom('vms').selectAll().where('deleted_at', 'is', null);
  if (!hasPrivilege(viewer, 'VM.ViewAll') && !hasPrivilege(viewer, 'VM.ManageAll')) query = query.where('owner_id', '=', viewer.userId);
  if (filter.search) query = query.where('name', 'ilike', `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.hostId) query = query.where('host_id', '=', filter.hostId);
  if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId);
  if (filter.tag) query = query.where(sql<boolean>`tags @> array[${filter.tag}]::text[]`);
  return pageByKeyset(query, VM_ORDER, page);
}

/** Records a VM's state as the host reports it; returns the row when something changed. expected: only over that state; unless: not over that one. */
export async function setVmState(db: Db, id: string, state: VmState, message: string | null = null, expected?: string, unless?: string): Promise<VmRow | null> {
  let query = db
    .updateTable('vms')
    .set({ state, state_message: message, updated_at: new Date(), ...(state === 'deleted' ? { deleted_at: new Date() } : {}) })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('state', '!=', state), eb(sql`coalesce(state_message, '')`, '!=', message ?? '')]));
  if (expected) query = query.where('state', '=', expected);
  if (unless) query = query.where('state', '!=', unless);
  return (await query.returningAll().executeTakeFirst()) ?? null;
}

export function publishVm(pubsub: import('../events/pubsub.ts').PubSub, vm: Pick<VmRow, 'id' | 'owner_id'>): void {
  const event = { id: vm.id, ownerId: vm.owner_id };
  pubsub.publish('vm:updated', vm.id, event);
  pubsub.publish('vms:updated', event);
}


/**
 * A fresh disk from the image (the VM's own, or another one), keeping id, MAC and address. Guest
 * settings given here replace the stored ones; a new password replaces the stored hash.
 */
export async function reinstallVm(ctx: ServiceContext, id: string, raw: ReinstallInput): Promise<VmWithTask> {
  const { db } = ctx;
  const viewer = actorOf(ctx);
  const input = parseInput(reinstallSchema, raw);
  const current = await actionableVm(db, viewer, id);
  const imageId = input.imageId ?? current.image_id;
  if (!current.guest_config) throw new ConflictError(OPERATIONS['vm.reinstall'].refuses?.(current) ?? 'The VM was not deployed from an image');
  if (!imageId) throw ValidationError.forField('imageId', 'The VM\u2019s image is gone: choose the image to reinstall from');
  const image = await visibleReadyImage(db, viewer, imageId);
  if (image.kind === 'iso') throw ValidationError.forField('imageId', 'This image is an ISO: insert it into the CD-ROM instead');
  checkFitsImage(image, { diskGb: current.disk_gb, memoryMb: current.memory_mb });
  const guest = reinstalledGuestConfig(current.guest_config, input.guest ?? {});
  const result = await db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, viewer, id, 'vm.reinstall');
    await refuseWithSnapshots(trx, vm, 'reinstalled');
    const updated = await trx.updateTable('vms').set({ image_id: image.id, guest_config: JSON.stringify(guest), state: 'creating', state_message: null, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    const address = (await leaseOfVm(trx, vm.id))?.address ?? null;
    // The state before (not CREATING): a reinstall cancelled while queued gives it back.
    const task = await scheduleTask(trx, ctx, 'vm.reinstall', vm, vm.host_id!, { imageId: image.id, address });
    return { vm: updated, task };
  });
  return announceQueued(ctx, result, true);
}


/** New vCPUs, memory or a bigger disk (disks only grow); the quota and the host must have room. */
export async function resizeVm(ctx: ServiceContext, id: string, raw: ResizeInput): Promise<VmWithTask> {
  const input = parseInput(resizeSchema, raw);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, actorOf(ctx), id, 'vm.resize');
    await refuseWithSnapshots(trx, vm, 'resized');
    const next = { vcpus: input.vcpus ?? vm.vcpus, memoryMb: input.memoryMb ?? vm.memory_mb, diskGb: input.diskGb ?? vm.disk_gb };
    if (next.diskGb < vm.disk_gb) throw ValidationError.forField('diskGb', `A disk only grows: it has ${vm.disk_gb} GiB`);
    if (next.vcpus === vm.vcpus && next.memoryMb === vm.memory_mb && next.diskGb === vm.disk_gb) throw ValidationError.forField('vcpus', 'Nothing to change: give a new size');
    await checkQuota(trx, vm.owner_id, { vcpus: next.vcpus - vm.vcpus, memoryMb: next.memoryMb - vm.memory_mb, diskGb: next.diskGb - vm.disk_gb }, false);
    await placeVm(trx, { vcpus: next.vcpus - vm.vcpus, memoryMb: next.memoryMb - vm.memory_mb }, vm.host_id, 1);
    const updated = await trx.updateTable('vms').set({ vcpus: next.vcpus, memory_mb: next.memoryMb, disk_gb: next.diskGb, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    await syncBootDiskSize(trx, updated);
    const task = await scheduleTask(trx, ctx, 'vm.resize', updated, vm.host_id!, next);
    return { vm: updated, task };
  });
  return announceQueued(ctx, result, true);
}

/** Sets the login user's password through the guest agent; the VM must be running. */
export async function resetVmPassword(ctx: ServiceContext, id: string, password: string): Promise<VmWithTask> {
  const { password: plain } = parseInput(passwordResetSchema, { password });
  const passwordHash = hashPassword(plain);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, actorOf(ctx), id, 'vm.password');
    // Stored too, so a reinstall keeps the new password.
    const updated = await trx.updateTable('vms').set({ guest_config: JSON.stringify({ ...vm.guest_config, passwordHash }), updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    const task = await scheduleTask(trx, ctx, 'vm.password', updated, vm.host_id!, { passwordHash });
    return { vm: updated, task };
  });
  // The stored hash changed, nothing a client shows.
  return announceQueued(ctx, result, false);
}

/**
 * Refuses a change that snapshots do not survive: a move (internal snapshots live in the disk
 * file, libvirt's record of them on the source host only), a reinstall (a new disk) and a resize
 * (reverting would bring back the old size behind its record).
 */
export async function refuseWithSnapshots(trx: Transaction<Database>, vm: Pick<VmRow, 'id' | 'name'>, change: 'moved' | 'reinstalled' | 'resized' | 'given or relieved of disks'): Promise<void> {
  const { count } = await trx.selectFrom('vm_snapshots').select(sql<number>`count(*)::int`.as('count')).where('vm_id', '=', vm.id).executeTakeFirstOrThrow();
  if (count) throw new ConflictError(`${vm.name} has ${count} snapshot${count === 1 ? '' : 's'}: a VM with snapshots cannot be ${change}; delete its snapshots first`);
}

/** The VM, locked, when the viewer may ask for the operation and its state and host allow it (vm-actions.ts). */
export async function lockedVmFor(trx: Transaction<Database>, viewer: Viewer, id: string, operation: VmOperationName): Promise<VmRow> {
  const vm = await actionableVm(trx, viewer, id, true);
  const host = vm.host_id ? ((await trx.selectFrom('hosts').select(['status', 'name']).where('id', '=', vm.host_id).executeTakeFirst()) ?? null) : null;
  assertActionAllowed(viewer, OPERATIONS[operation], vm, host);
  return vm;
}


export interface CapturedImage {
  image: ImageRow;
  task: TaskRow;
  vm: VmRow;
}

/**
 * Queues turning the VM's disk into an image owned by the caller, private until shared. The row
 * exists at once (status UPLOADING) so the catalog shows it while the task runs.
 */
export async function captureVm(ctx: ServiceContext, id: string, raw: CaptureInput): Promise<CapturedImage> {
  const input = parseInput(captureSchema, raw);
  const viewer = actorOf(ctx);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, viewer, id, 'vm.capture');
    const source = vm.image_id ? await trx.selectFrom('images').selectAll().where('id', '=', vm.image_id).executeTakeFirst() : undefined;
    const image = await trx
      .insertInto('images')
      .values({
        name: input.name,
        os_family: source?.os_family ?? null,
        os_version: source?.os_version ?? null,
        format: 'qcow2',
        min_disk_gb: vm.disk_gb,
        min_memory_mb: source?.min_memory_mb ?? null,
        cloud_init: source?.cloud_init ?? false,
        default_user: vm.guest_config?.user ?? source?.default_user ?? null,
        owner_id: viewer.userId,
        visibility: 'private',
        status: 'uploading',
        source: `vm:${vm.id}`,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const task = await scheduleTask(trx, ctx, 'vm.capture', vm, vm.host_id!, { imageId: image.id });
    return { image, task, vm };
  });
  await publishImage(ctx.db, ctx.pubsub, result.image);
  return announceQueued(ctx, result, true);
}

/**
 * Queues moving the VM to another host (the named one, or the one placement picks), with why that
 * host; a host that cannot take it is refused with the reason and nothing is queued.
 */
export async function migrateVm(ctx: ServiceContext, id: string, raw: MigrateInput): Promise<VmWithTask & { reason: string }> {
  const input = parseInput(migrateSchema, raw);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = await lockedVmFor(trx, actorOf(ctx), id, 'vm.migrate');
    await refuseWithSnapshots(trx, vm, 'moved');
    const source = await trx.selectFrom('hosts').selectAll().where('id', '=', vm.host_id!).executeTakeFirstOrThrow();
    const { host, reason } = await placeMigration(trx, vm, source, input.targetHostId, ctx.config.hostConcurrency);
    const { targetHostId: _named, ...options } = input;
    return { ...(await queueMigration(trx, ctx, vm, source.id, host.id, reason, options)), reason };
  });
  return announceQueued(ctx, result, true);
}

export type MigrationOptions = Omit<z.output<typeof migrateSchema>, 'targetHostId'>;

/** Queues the VM's move to a host already chosen, inside the caller's transaction (the VM locked): its task, and the VM MIGRATING from now on. */
export async function queueMigration(trx: Transaction<Database>, ctx: ServiceContext, vm: VmRow, sourceId: string, targetId: string, reason: string, options: MigrationOptions, parentTaskId: string | null = null): Promise<VmWithTask> {
  const task = await scheduleTask(trx, ctx, 'vm.migrate', vm, sourceId, { ...options, targetHostId: targetId, reason }, parentTaskId);
  const updated = await trx.updateTable('vms').set({ state: OPERATIONS['vm.migrate'].during, state_message: null, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
  return { vm: updated, task };
}
