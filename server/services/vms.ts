import { sql, type Transaction } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { Database, HostRow, TaskRow, VmRow } from '../../db/types.ts';
import { ConflictError, NoCapacityError, NotFoundError, PermissionError, QuotaExceededError, ValidationError } from '../errors.ts';
import { enqueueInTransaction } from '../jobs/queue.ts';
import { STEPS, type OperationName } from '../jobs/steps.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import { capabilitiesOf, settingsOf } from './hosts.ts';
import { insertTask } from './tasks.ts';
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
});
export type CreateVmInput = z.input<typeof createVmSchema>;

export interface Request {
  requestId: string | null;
}

export function canSeeVm(viewer: Viewer | null, vm: Pick<VmRow, 'owner_id'>): boolean {
  return !!viewer && (vm.owner_id === viewer.userId || hasPrivilege(viewer, 'VM.ViewAll'));
}

/** A VM the viewer may act on (their own, or any with VM.ViewAll); otherwise NotFound, so ids reveal nothing. */
async function visibleVm(trx: Transaction<Database> | Db, viewer: Viewer, id: string, lock = false): Promise<VmRow> {
  let query = trx.selectFrom('vms').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
  if (lock) query = query.forUpdate();
  const vm = await query.executeTakeFirst();
  if (!vm || !canSeeVm(viewer, vm)) throw new NotFoundError('The VM');
  return vm;
}

async function checkQuota(trx: Transaction<Database>, ownerId: string, need: { vcpus: number; memoryMb: number; diskGb: number }): Promise<void> {
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
    ['vms', quota.max_vms, used.n + 1, 'VMs'],
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
        state: 'creating',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const task = await scheduleTask(trx, boss, 'vm.create', vm, host.id, viewer, request, { start: input.start });
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
    const vm = await visibleVm(trx, viewer, id, true);
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

export async function listVms(db: Db, viewer: Viewer, filter: VmFilter, page: { limit: number; offset: number }): Promise<VmRow[]> {
  let query = db.selectFrom('vms').selectAll().where('deleted_at', 'is', null).orderBy('created_at').orderBy('id');
  if (!hasPrivilege(viewer, 'VM.ViewAll')) query = query.where('owner_id', '=', viewer.userId);
  if (filter.search) query = query.where('name', 'ilike', `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.hostId) query = query.where('host_id', '=', filter.hostId);
  if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId);
  return query.limit(page.limit).offset(page.offset).execute();
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
