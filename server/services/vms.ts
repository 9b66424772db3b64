import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, GuestConfig, HostRow, ImageRow, TaskRow, VmRow } from '../../db/types.ts';
import { hashPassword } from '../hypervisor/cloud-init.ts';
import { ConflictError, NoCapacityError, NotFoundError, PermissionError, QuotaExceededError, ValidationError } from '../errors.ts';
import { enqueueInTransaction } from '../queue/queue.ts';
import { STEPS, type OperationName } from '../operations/steps.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import { capabilitiesOf, settingsOf } from './hosts.ts';
import { visibleReadyImage } from './images.ts';
import { allocateAddress } from './ip-pools.ts';
import { insertTask } from './tasks.ts';
import { keysetOrder, pageByKeyset, type KeysetPage, type KeysetPageArgs } from './keyset.ts';
import { parseInput } from './validation.ts';

export type VmState = 'creating' | 'running' | 'stopped' | 'paused' | 'stopping' | 'crashed' | 'error' | 'unknown' | 'deleting' | 'deleted';

// Control characters other than newlines and tabs have no place in a name or description.
const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
export const vmNameSchema = z
  .string()
  .trim()
  .min(1, 'A VM name is required')
  .max(64, 'A VM name has at most 64 characters')
  .refine((s) => noControl(s) && !/[\r\n\t]/.test(s), 'A VM name is one line of printable characters');
const vmDescriptionSchema = z.string().max(1000, 'A description has at most 1000 characters').refine(noControl, 'A description holds no control characters');

const createVmSchema = z.object({
  name: vmNameSchema,
  description: vmDescriptionSchema.default(''),
  vcpus: z.number().int().min(1, 'At least 1 vCPU').max(64, 'At most 64 vCPUs'),
  memoryMb: z.number().int().min(64, 'At least 64 MiB of memory').max(1024 * 1024, 'At most 1 TiB of memory'),
  diskGb: z.number().int().min(1, 'At least 1 GiB of disk').max(16 * 1024, 'At most 16 TiB of disk'),
  hostId: z.uuid().nullish(),
  /** An ISO image already on the host, booted first (installers, rescue). */
  isoPath: z
    .string()
    .max(1024)
    .regex(/^\/[A-Za-z0-9._\/-]+\.iso$/i, 'An ISO path is an absolute path on the host ending in .iso')
    .refine((p) => !p.split('/').includes('..'), 'An ISO path may not contain ..')
    .nullish(),
  start: z.boolean().default(true),
  /** Deploy from this image (cloud-init configures the guest from `guest`). */
  imageId: z.uuid().nullish(),
  guest: z.lazy(() => guestSchema).nullish(),
});
export type CreateVmInput = z.input<typeof createVmSchema>;

// What a user may tell cloud-init. Each field is checked here and emitted by a YAML library, so
// none can add directives; the password is hashed before anything is stored.
const SSH_KEY = /^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\u0000-\u001f\u007f]{0,256})?$/;
const TIMEZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
export const FIRST_BOOT_SCRIPT_MAX_BYTES = 64 * 1024;
export const guestSchema = z.object({
  hostname: z
    .string()
    .regex(/^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/, 'A hostname is 1 to 63 letters, digits and dashes, not starting or ending with a dash')
    .nullish(),
  username: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'A user name is 1 to 32 lowercase letters, digits, dashes and underscores, starting with a letter')
    .refine((u) => !['root', 'daemon', 'bin', 'sys', 'nobody'].includes(u), 'That user name belongs to the system')
    .nullish(),
  password: z
    .string()
    .min(8, 'A password has at least 8 characters')
    .max(256, 'A password has at most 256 characters')
    .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), 'A password holds no control characters')
    .nullish(),
  sshKeys: z.array(z.string().trim().max(16 * 1024, 'An SSH key has at most 16 KiB').regex(SSH_KEY, 'An SSH public key is one line: type, base64 key, optional comment')).max(20, 'At most 20 SSH keys').default([]),
  timezone: z.string().refine((t) => TIMEZONES.has(t), 'An IANA time zone such as Europe/Paris or UTC').default('UTC'),
  firstBootScript: z
    .string()
    .refine((s) => Buffer.byteLength(s) <= FIRST_BOOT_SCRIPT_MAX_BYTES, `A first-boot script has at most ${FIRST_BOOT_SCRIPT_MAX_BYTES / 1024} KiB`)
    .refine((s) => !s.includes('\u0000'), 'A first-boot script holds no NUL bytes')
    .refine((s) => s.startsWith('#!'), 'A first-boot script starts with #! (e.g. #!/bin/sh)')
    .nullish(),
  fullCopy: z.boolean().default(false),
});
export type GuestInput = z.input<typeof guestSchema>;

/** The stored guest configuration: the password only as its sha512-crypt hash. */
function guestConfigOf(input: z.output<typeof guestSchema>, vmName: string, image: ImageRow): GuestConfig {
  return {
    hostname: input.hostname ?? hostnameFrom(vmName),
    user: input.username ?? image.default_user ?? 'hangar',
    passwordHash: input.password ? hashPassword(input.password) : null,
    sshKeys: input.sshKeys,
    timezone: input.timezone,
    firstBootScript: input.firstBootScript ?? null,
    fullCopy: input.fullCopy,
  };
}

/** A hostname made from a VM name: letters, digits and dashes only. */
export function hostnameFrom(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return slug || 'vm';
}

/** A locally administered unicast MAC in QEMU's range. */
function randomMac(): string {
  return ['52', '54', '00', ...[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** The disk must hold the image and meet its minimums; memory too. */
function checkFitsImage(image: ImageRow, input: { diskGb: number; memoryMb: number }): void {
  const minDisk = Math.max(Math.ceil(Number(image.virtual_size_bytes ?? 0) / 1024 ** 3), image.min_disk_gb ?? 0);
  if (input.diskGb < minDisk) throw ValidationError.forField('diskGb', `The image ${image.name} needs a disk of at least ${minDisk} GiB`);
  if (image.min_memory_mb && input.memoryMb < image.min_memory_mb) throw ValidationError.forField('memoryMb', `The image ${image.name} needs at least ${image.min_memory_mb} MiB of memory`);
}

export interface Request {
  requestId: string | null;
}

/** Seeing: your own VMs, or every VM with VM.ViewAll (or VM.ManageAll: what you may act on, you may see). */
export function canSeeVm(viewer: Viewer | null, vm: Pick<VmRow, 'owner_id'>): boolean {
  return !!viewer && (vm.owner_id === viewer.userId || hasPrivilege(viewer, 'VM.ViewAll') || hasPrivilege(viewer, 'VM.ManageAll'));
}

/** Acting: your own VMs, or every VM with VM.ManageAll. Seeing one never lets you act on it. */
export function canActOnVm(viewer: Viewer | null, vm: Pick<VmRow, 'owner_id'>): boolean {
  return !!viewer && (vm.owner_id === viewer.userId || hasPrivilege(viewer, 'VM.ManageAll'));
}

/**
 * The one gate for a change to a VM: NotFound when the viewer cannot see it (ids reveal nothing),
 * PermissionError when they see it but may not act on it.
 */
export function assertMayActOnVm(viewer: Viewer, vm: Pick<VmRow, 'owner_id'> | undefined): asserts vm {
  if (!vm || !canSeeVm(viewer, vm)) throw new NotFoundError('The VM');
  if (!canActOnVm(viewer, vm)) throw new PermissionError('You may see this VM but not act on it: that needs VM.ManageAll');
}

/** A VM the viewer may act on (see assertMayActOnVm). */
async function actionableVm(trx: Transaction<Database> | Db, viewer: Viewer, id: string, lock = false): Promise<VmRow> {
  let query = trx.selectFrom('vms').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
  if (lock) query = query.forUpdate();
  const vm = await query.executeTakeFirst();
  assertMayActOnVm(viewer, vm);
  return vm;
}

async function checkQuota(trx: Transaction<Database>, ownerId: string, need: { vcpus: number; memoryMb: number; diskGb: number }, addsVm = true): Promise<void> {
  // Locking the owner's quota row serializes their concurrent creates: two cannot both take the last slot.
  const quota = await trx.selectFrom('quotas').selectAll().where('user_id', '=', ownerId).forUpdate().executeTakeFirst();
  if (!quota) return;
  const used = await trx
    .selectFrom('vms')
    .select([sql<number>`coalesce(sum(vcpus), 0)::int`.as('vcpus'), sql<number>`coalesce(sum(memory_mb), 0)::int`.as('memory'), sql<number>`coalesce(sum(disk_gb), 0)::int`.as('disk'), sql<number>`count(*)::int`.as('n')])
    .where('owner_id', '=', ownerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  const limits: Array<[string, number | null, number, string]> = [
    ['vms', quota.max_vms, used.n + (addsVm ? 1 : 0), 'VMs'],
    ['vcpus', quota.max_vcpus, used.vcpus + need.vcpus, 'vCPUs'],
    ['memory', quota.max_memory_mb, used.memory + need.memoryMb, 'MiB of memory'],
    ['disk', quota.max_disk_gb, used.disk + need.diskGb, 'GiB of disk'],
  ];
  for (const [resource, limit, wanted, unit] of limits) {
    if (limit !== null && wanted > limit) throw new QuotaExceededError(resource, `Your quota allows ${limit} ${unit}; this VM would bring you to ${wanted}`);
  }
}

/**
 * Picks the online host (not in maintenance) with the most free memory that fits the VM, after
 * overcommit. Candidate rows are locked so concurrent placements cannot overfill one host.
 */
async function placeVm(trx: Transaction<Database>, need: { vcpus: number; memoryMb: number }, hostId: string | null | undefined, hostConcurrency: number): Promise<HostRow> {
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
      const caps = capabilitiesOf(host);
      const settings = settingsOf(host, { hostConcurrency });
      const u = used.find((r) => r.host_id === host.id);
      return {
        host,
        freeVcpus: (caps.cpus ?? 0) * settings.cpuOvercommit - (u?.vcpus ?? 0),
        freeMemory: (caps.memoryMb ?? 0) * settings.memoryOvercommit - (u?.memory ?? 0),
      };
    })
    .filter((c) => c.freeVcpus >= need.vcpus && c.freeMemory >= need.memoryMb)
    .sort((a, b) => b.freeMemory - a.freeMemory);
  if (!fits.length) {
    throw new NoCapacityError(hostId ? `The host ${usable[0].name} has no room for ${need.vcpus} vCPUs and ${need.memoryMb} MiB` : `No online host has room for ${need.vcpus} vCPUs and ${need.memoryMb} MiB`);
  }
  return fits[0].host;
}

async function scheduleTask(trx: Transaction<Database>, boss: PgBoss, operation: OperationName, vm: VmRow, hostId: string, viewer: Viewer, request: Request, params: Record<string, unknown> = {}): Promise<TaskRow> {
  const task = await insertTask(trx, { operation, steps: STEPS[operation], vmId: vm.id, hostId, userId: viewer.userId || null, requestId: request.requestId, params });
  const jobId = await enqueueInTransaction(boss, trx, hostId, vm.id, { taskId: task.id });
  await trx.updateTable('tasks').set({ job_id: jobId }).where('id', '=', task.id).execute();
  return task;
}

export interface VmWithTask {
  vm: VmRow;
  task: TaskRow;
}

/** Places the VM, takes its quota, and queues its creation: row, task and job in one transaction. */
export async function createVm(db: Db, boss: PgBoss, hostConcurrency: number, viewer: Viewer, raw: CreateVmInput, request: Request): Promise<VmWithTask> {
  const input = parseInput(createVmSchema, raw);
  if (input.hostId && !hasPrivilege(viewer, 'Host.Manage')) throw new PermissionError('Only administrators of hosts may choose the host');
  if (input.isoPath && !hasPrivilege(viewer, 'Host.Manage')) throw new PermissionError('Only administrators of hosts may boot a file from a host');
  if (input.isoPath && input.imageId) throw ValidationError.forField('isoPath', 'A VM boots either an image or an ISO, not both');
  if (input.guest && !input.imageId) throw ValidationError.forField('guest', 'Guest settings need an image to deploy (imageId)');
  const image = input.imageId ? await visibleReadyImage(db, viewer, input.imageId) : null;
  if (image) checkFitsImage(image, input);
  const guest = image ? guestConfigOf(parseInput(guestSchema, input.guest ?? {}), input.name, image) : null;
  return db.transaction().execute(async (trx) => {
    await checkQuota(trx, viewer.userId, input);
    const host = await placeVm(trx, input, input.hostId, hostConcurrency);
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
        image_id: image?.id ?? null,
        mac_address: randomMac(),
        guest_config: guest ? JSON.stringify(guest) : null,
        state: 'creating',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (!image) return { vm, task: await scheduleTask(trx, boss, 'vm.create', vm, host.id, viewer, request, { start: input.start }) };
    const lease = await allocateAddress(trx, host.id, vm.id);
    const task = await scheduleTask(trx, boss, 'vm.deploy', vm, host.id, viewer, request, { imageId: image.id, address: lease?.address ?? null });
    return { vm, task };
  });
}

export type PowerAction = 'vm.start' | 'vm.shutdown' | 'vm.stop' | 'vm.reboot' | 'vm.reset' | 'vm.suspend' | 'vm.resume';

/**
 * Queues a power action. Operations on one VM run one at a time in the order asked (the queue
 * keys jobs by VM id), so a second action waits its turn rather than being refused.
 */
export async function queueVmAction(db: Db, boss: PgBoss, viewer: Viewer, id: string, action: PowerAction | 'vm.delete', request: Request, params: Record<string, unknown> = {}): Promise<VmWithTask> {
  return db.transaction().execute(async (trx) => {
    const vm = await actionableVm(trx, viewer, id, true);
    if (vm.state === 'deleting') throw new ConflictError('The VM is being deleted');
    if (!vm.host_id) throw new ConflictError('The VM has no host');
    const host = await trx.selectFrom('hosts').select(['status', 'maintenance', 'name']).where('id', '=', vm.host_id).executeTakeFirstOrThrow();
    if (host.status !== 'online' && action !== 'vm.delete') throw new ConflictError(`The host ${host.name} is ${host.status}`);
    const task = await scheduleTask(trx, boss, action, vm, vm.host_id, viewer, request, params);
    const updated = action === 'vm.delete' ? await trx.updateTable('vms').set({ state: 'deleting', updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow() : vm;
    return { vm: updated, task };
  });
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
  return pageByKeyset(query, VM_ORDER, page);
}

/** Records a VM's state as the host reports it; returns the row when something changed. */
export async function setVmState(db: Db, id: string, state: VmState, message: string | null = null, expected?: string): Promise<VmRow | null> {
  let query = db
    .updateTable('vms')
    .set({ state, state_message: message, updated_at: new Date(), ...(state === 'deleted' ? { deleted_at: new Date() } : {}) })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('state', '!=', state), eb(sql`coalesce(state_message, '')`, '!=', message ?? '')]));
  if (expected) query = query.where('state', '=', expected);
  return (await query.returningAll().executeTakeFirst()) ?? null;
}

export function publishVm(pubsub: import('../events/pubsub.ts').PubSub, vm: Pick<VmRow, 'id' | 'owner_id'>): void {
  const event = { id: vm.id, ownerId: vm.owner_id };
  pubsub.publish('vm:updated', vm.id, event);
  pubsub.publish('vms:updated', event);
}

const reinstallSchema = z.object({ imageId: z.uuid().nullish(), guest: guestSchema.partial().nullish() });
export type ReinstallInput = z.input<typeof reinstallSchema>;

/**
 * A fresh disk from the image (the VM's own, or another one), keeping id, MAC and address. Guest
 * settings given here replace the stored ones; a new password replaces the stored hash.
 */
export async function reinstallVm(db: Db, boss: PgBoss, viewer: Viewer, id: string, raw: ReinstallInput, request: Request): Promise<VmWithTask> {
  const input = parseInput(reinstallSchema, raw);
  const current = await actionableVm(db, viewer, id);
  const imageId = input.imageId ?? current.image_id;
  if (!imageId || !current.guest_config) throw new ConflictError('The VM was not deployed from an image: there is nothing to reinstall from');
  const image = await visibleReadyImage(db, viewer, imageId);
  checkFitsImage(image, { diskGb: current.disk_gb, memoryMb: current.memory_mb });
  const g = input.guest ?? {};
  const guest: GuestConfig = {
    ...current.guest_config,
    ...(g.hostname ? { hostname: g.hostname } : {}),
    ...(g.username ? { user: g.username } : {}),
    ...(g.password ? { passwordHash: hashPassword(g.password) } : {}),
    ...(g.sshKeys?.length ? { sshKeys: g.sshKeys } : {}),
    ...(g.timezone ? { timezone: g.timezone } : {}),
    ...(g.firstBootScript !== undefined ? { firstBootScript: g.firstBootScript } : {}),
    ...(g.fullCopy !== undefined ? { fullCopy: g.fullCopy } : {}),
  };
  return db.transaction().execute(async (trx) => {
    const vm = await lockedActiveVm(trx, viewer, id);
    const updated = await trx.updateTable('vms').set({ image_id: image.id, guest_config: JSON.stringify(guest), state: 'creating', state_message: null, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    const address = (await trx.selectFrom('ip_allocations').select('address').where('vm_id', '=', vm.id).executeTakeFirst())?.address ?? null;
    const task = await scheduleTask(trx, boss, 'vm.reinstall', updated, vm.host_id!, viewer, request, { imageId: image.id, address });
    return { vm: updated, task };
  });
}

const resizeSchema = z.object({
  vcpus: createVmSchema.shape.vcpus.nullish(),
  memoryMb: createVmSchema.shape.memoryMb.nullish(),
  diskGb: createVmSchema.shape.diskGb.nullish(),
});
export type ResizeInput = z.input<typeof resizeSchema>;

/** New vCPUs, memory or a bigger disk (disks only grow); the quota and the host must have room. */
export async function resizeVm(db: Db, boss: PgBoss, viewer: Viewer, id: string, raw: ResizeInput, request: Request): Promise<VmWithTask> {
  const input = parseInput(resizeSchema, raw);
  return db.transaction().execute(async (trx) => {
    const vm = await lockedActiveVm(trx, viewer, id);
    const next = { vcpus: input.vcpus ?? vm.vcpus, memoryMb: input.memoryMb ?? vm.memory_mb, diskGb: input.diskGb ?? vm.disk_gb };
    if (next.diskGb < vm.disk_gb) throw ValidationError.forField('diskGb', `A disk only grows: it has ${vm.disk_gb} GiB`);
    if (next.vcpus === vm.vcpus && next.memoryMb === vm.memory_mb && next.diskGb === vm.disk_gb) throw ValidationError.forField('vcpus', 'Nothing to change: give a new size');
    await checkQuota(trx, vm.owner_id, { vcpus: next.vcpus - vm.vcpus, memoryMb: next.memoryMb - vm.memory_mb, diskGb: next.diskGb - vm.disk_gb }, false);
    await placeVm(trx, { vcpus: next.vcpus - vm.vcpus, memoryMb: next.memoryMb - vm.memory_mb }, vm.host_id, 1);
    const updated = await trx.updateTable('vms').set({ vcpus: next.vcpus, memory_mb: next.memoryMb, disk_gb: next.diskGb, updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    const task = await scheduleTask(trx, boss, 'vm.resize', updated, vm.host_id!, viewer, request, next);
    return { vm: updated, task };
  });
}

/** Sets the login user's password through the guest agent; the VM must be running. */
export async function resetVmPassword(db: Db, boss: PgBoss, viewer: Viewer, id: string, password: string, request: Request): Promise<VmWithTask> {
  const { password: plain } = parseInput(z.object({ password: guestSchema.shape.password.unwrap().unwrap() }), { password });
  const passwordHash = hashPassword(plain);
  return db.transaction().execute(async (trx) => {
    const vm = await lockedActiveVm(trx, viewer, id);
    if (!vm.guest_config) throw new ConflictError('The VM was not deployed from an image: Hangar does not know its login user');
    if (vm.state !== 'running') throw new ConflictError('The VM must be running: its guest agent sets the password');
    // Stored too, so a reinstall keeps the new password.
    const updated = await trx.updateTable('vms').set({ guest_config: JSON.stringify({ ...vm.guest_config, passwordHash }), updated_at: new Date() }).where('id', '=', vm.id).returningAll().executeTakeFirstOrThrow();
    const task = await scheduleTask(trx, boss, 'vm.password', updated, vm.host_id!, viewer, request, { passwordHash });
    return { vm: updated, task };
  });
}

/** The VM, locked, when it can take an operation (not being deleted, has a host that answers). */
async function lockedActiveVm(trx: Transaction<Database>, viewer: Viewer, id: string): Promise<VmRow> {
  const vm = await actionableVm(trx, viewer, id, true);
  if (vm.state === 'deleting') throw new ConflictError('The VM is being deleted');
  if (!vm.host_id) throw new ConflictError('The VM has no host');
  const host = await trx.selectFrom('hosts').select(['status', 'name']).where('id', '=', vm.host_id).executeTakeFirstOrThrow();
  if (host.status !== 'online') throw new ConflictError(`The host ${host.name} is ${host.status}`);
  return vm;
}

const captureSchema = z.object({
  name: z.string().trim().min(1, 'An image name is required').max(100, 'An image name has at most 100 characters'),
});

export interface CapturedImage {
  image: ImageRow;
  task: TaskRow;
  vm: VmRow;
}

/**
 * Queues turning the VM's disk into an image owned by the caller, private until shared. The row
 * exists at once (status UPLOADING) so the catalog shows it while the task runs.
 */
export async function captureVm(db: Db, boss: PgBoss, viewer: Viewer, id: string, raw: z.input<typeof captureSchema>, request: Request): Promise<CapturedImage> {
  const input = parseInput(captureSchema, raw);
  return db.transaction().execute(async (trx) => {
    const vm = await lockedActiveVm(trx, viewer, id);
    if (vm.iso_path) throw new ConflictError('A VM booting an ISO cannot be captured');
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
    const task = await scheduleTask(trx, boss, 'vm.capture', vm, vm.host_id!, viewer, request, { imageId: image.id });
    return { image, task, vm };
  });
}
