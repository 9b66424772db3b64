// Backups and restore (issue 20): targets an admin registers, backups of VMs into them (full, then
// incremental from the last checkpoint: operations/vm-backup.ts), restores onto the VM or as a new
// VM, and deleting backups without breaking a chain a kept backup needs. Schedules and retention
// (to come) call requestBackup and deleteBackup as the schedule's actor or as the system.
import { isAbsolute, normalize } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { BackupPatch } from '../operations/define.ts';
import type { BackupDisk, BackupRow, BackupTargetRow, BackupVmSpec, Database, TaskRow, VmRow } from '../../db/types.ts';
import { ConflictError, HostConnectionError, NotFoundError, PermissionError, ValidationError } from '../errors.ts';
import { hypervisorFor } from '../hypervisor/libvirt-hypervisor.ts';
import { enqueueInTransaction } from '../queue/queue.ts';
import { OPERATIONS, STEPS, type VmOperationName } from '../operations/registry.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import type { ServiceContext } from './context.ts';
import { settingsOf } from './hosts.ts';
import { checkQuota } from './quotas.ts';
import { insertTask, publishTask } from './tasks.ts';
import { parseInput } from './validation.ts';
import { canActOnVm, canSeeVm } from './vm-authority.ts';
import { announceQueued, lockedVmFor, publishVm, randomMac, type VmWithTask } from './vms.ts';
import { insertBootDisk } from './vm-disk-rows.ts';
import { insertFirstInterface } from './vm-nic-rows.ts';
import { placeVm } from './vm-placement.ts';

/** Incrementals on top of one full backup before the next is full again (a restore reads the whole chain). */
export const DEFAULT_CHAIN_CAP = 14;

/** Who asks: a signed-in viewer (their rights are checked), or the system (a schedule, retention): no rights checked, no user on the task. */
export type BackupActor = { viewer: Viewer } | { system: string };

function actorIn(ctx: Pick<ServiceContext, 'viewer'>, as?: BackupActor): BackupActor {
  if (as) return as;
  if (!ctx.viewer) throw new PermissionError('Sign in first');
  return { viewer: ctx.viewer };
}

function need(actor: BackupActor, privilege: Parameters<typeof hasPrivilege>[1], what: string): void {
  if ('viewer' in actor && !hasPrivilege(actor.viewer, privilege)) throw new PermissionError(`${what} needs the ${privilege} privilege`);
}

// Targets

const targetSchema = z
  .object({
    name: z.string().trim().min(1, 'A name is required').max(64, 'A name has at most 64 characters'),
    hostId: z.uuid().nullish(),
    pool: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'A libvirt pool name: letters, digits, dot, dash, underscore').max(100).nullish(),
    path: z.string().trim().max(1000).nullish(),
  })
  .superRefine((t, ctx) => {
    if (t.hostId && !t.pool) ctx.addIssue({ code: 'custom', path: ['pool'], message: 'A target on a host names one of its storage pools' });
    if (!t.hostId && !t.path) ctx.addIssue({ code: 'custom', path: ['path'], message: 'A shared target needs a path every host sees (or name a host and its pool)' });
    if (!t.hostId && t.pool) ctx.addIssue({ code: 'custom', path: ['hostId'], message: 'A pool is named on a host: give hostId' });
    if (t.path && (!isAbsolute(t.path) || normalize(t.path) !== t.path || t.path === '/')) ctx.addIssue({ code: 'custom', path: ['path'], message: 'An absolute, normalised path below / is expected' });
  });
export type BackupTargetInput = z.input<typeof targetSchema>;

/** The pool a shared path gets on each host (made there when first used). */
const sharedPoolName = () => `hangar-backups-${randomBytes(4).toString('hex')}`;

/**
 * Registers a target after checking it: a host's pool must exist there, run and have a directory;
 * a shared path becomes a directory pool on every online host (which checks it is usable there).
 */
export async function createBackupTarget(ctx: ServiceContext, raw: BackupTargetInput): Promise<BackupTargetRow> {
  need(actorIn(ctx), 'BackupTarget.Manage', 'Adding a backup target');
  const input = parseInput(targetSchema, raw);
  if (await ctx.db.selectFrom('backup_targets').select('id').where('name', '=', input.name).executeTakeFirst()) throw ValidationError.forField('name', `A backup target named ${input.name} exists`);
  let pool: string;
  let path: string;
  if (input.hostId) {
    const host = await ctx.db.selectFrom('hosts').selectAll().where('id', '=', input.hostId).executeTakeFirst();
    if (!host) throw new NotFoundError('The host');
    const info = await hypervisorFor(host, { timeoutMs: 10_000 })
      .poolInfo(input.pool!)
      .catch((error: Error) => {
        if (/Storage pool not found|failed to get pool/i.test(error.message)) throw ValidationError.forField('pool', `The host ${host.name} has no storage pool ${input.pool}`);
        throw new HostConnectionError(`The host ${host.name} did not answer: ${error.message}`);
      });
    if (!info.active) throw ValidationError.forField('pool', `The pool ${input.pool} on ${host.name} is not running`);
    if (!info.path) throw ValidationError.forField('pool', `The pool ${input.pool} on ${host.name} (${info.type}) has no directory to hold backup files`);
    pool = input.pool!;
    path = info.path;
  } else {
    pool = sharedPoolName();
    path = input.path!;
    if (await ctx.db.selectFrom('backup_targets').select('id').where('path', '=', path).executeTakeFirst()) throw ValidationError.forField('path', `${path} is a backup target already`);
    const hosts = await ctx.db.selectFrom('hosts').selectAll().where('status', '=', 'online').execute();
    if (!hosts.length) throw new ConflictError('No host is online to check the path on');
    for (const host of hosts) {
      await hypervisorFor(host, { timeoutMs: 30_000 })
        .ensureBackupPool(pool, path)
        .catch((error: Error) => {
          throw ValidationError.forField('path', `${path} is not usable on ${host.name}: ${error.message}`);
        });
    }
  }
  return ctx.db
    .insertInto('backup_targets')
    .values({ name: input.name, host_id: input.hostId ?? null, pool, path, created_by: ctx.viewer?.userId ?? null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Removes a target that holds no backup (its pool and directory stay on the hosts). */
export async function deleteBackupTarget(ctx: ServiceContext, id: string): Promise<BackupTargetRow> {
  need(actorIn(ctx), 'BackupTarget.Manage', 'Removing a backup target');
  return ctx.db.transaction().execute(async (trx) => {
    const target = await trx.selectFrom('backup_targets').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!target) throw new NotFoundError('The backup target');
    const held = await trx.selectFrom('backups').select((eb) => eb.fn.countAll<string>().as('n')).where('target_id', '=', id).executeTakeFirstOrThrow();
    if (Number(held.n)) throw new ConflictError(`The target ${target.name} holds ${held.n} backups: delete them first`);
    await trx.deleteFrom('backup_targets').where('id', '=', id).execute();
    return target;
  });
}

export async function listBackupTargets(db: Db): Promise<BackupTargetRow[]> {
  return db.selectFrom('backup_targets').selectAll().orderBy('name').execute();
}

export async function backupTargetsByIds(db: Db, ids: readonly string[]): Promise<BackupTargetRow[]> {
  return ids.length ? db.selectFrom('backup_targets').selectAll().where('id', 'in', ids).execute() : [];
}

// Seeing backups

/** A backup with the owner that decides who sees it: its VM's owner now, or the owner at backup time once the VM is gone. */
export type VisibleBackup = BackupRow & { vm_owner_id: string | null; vm_deleted: boolean };

function backupsQuery(db: Db | Transaction<Database>) {
  return db
    .selectFrom('backups')
    .leftJoin('vms', 'vms.id', 'backups.vm_id')
    .selectAll('backups')
    .select(['vms.owner_id as vm_owner_id', sql<boolean>`vms.deleted_at is not null`.as('vm_deleted')]);
}

const ownerOf = (b: Pick<VisibleBackup, 'vm_owner_id' | 'owner_id'>) => ({ owner_id: b.vm_owner_id ?? b.owner_id });

/** Your own VMs' backups (deleted VMs' too), or every backup with VM.ViewAll; seeing never lets you act. */
export function canSeeBackup(viewer: Viewer | null, backup: Pick<VisibleBackup, 'vm_owner_id' | 'owner_id'>): boolean {
  return canSeeVm(viewer, ownerOf(backup));
}

export async function backupsByIds(db: Db, ids: readonly string[]): Promise<VisibleBackup[]> {
  return ids.length ? backupsQuery(db).where('backups.id', 'in', ids).execute() : [];
}

/** The backups the viewer may see, newest first: of one VM, or all (including deleted VMs'). */
export async function listBackups(db: Db, viewer: Viewer, filter: { vmId?: string | null; limit?: number } = {}): Promise<VisibleBackup[]> {
  let query = backupsQuery(db).orderBy('backups.created_at', 'desc').limit(Math.min(filter.limit ?? 500, 500));
  if (filter.vmId) query = query.where('backups.vm_id', '=', filter.vmId);
  if (!hasPrivilege(viewer, 'VM.ViewAll') && !hasPrivilege(viewer, 'VM.ManageAll')) query = query.where(sql<boolean>`coalesce(vms.owner_id, backups.owner_id) = ${viewer.userId}`);
  return query.execute();
}

export async function backupsOfVms(db: Db, viewer: Viewer | null, vmIds: readonly string[]): Promise<VisibleBackup[][]> {
  if (!viewer || !vmIds.length) return vmIds.map(() => []);
  const rows = await backupsQuery(db).where('backups.vm_id', 'in', vmIds).orderBy('backups.created_at', 'desc').execute();
  return vmIds.map((id) => rows.filter((r) => r.vm_id === id && canSeeBackup(viewer, r)));
}

/** A backup the actor may act on: NotFound when they cannot see it, PermissionError when they only see it. */
async function actionableBackup(db: Db | Transaction<Database>, actor: BackupActor, id: string, lock = false): Promise<VisibleBackup> {
  let query = backupsQuery(db).where('backups.id', '=', id);
  if (lock) query = query.forUpdate(['backups']);
  const backup = await query.executeTakeFirst();
  if ('system' in actor) {
    if (!backup) throw new NotFoundError('The backup');
    return backup;
  }
  if (!backup || !canSeeBackup(actor.viewer, backup)) throw new NotFoundError('The backup');
  if (!canActOnVm(actor.viewer, ownerOf(backup))) throw new PermissionError('You may see this backup but not act on it: that needs VM.ManageAll');
  return backup;
}

// Backing up

export interface BackupWithTask extends VmWithTask {
  backup: BackupRow;
}

/** Records the operation's task and sends its job, in the caller's transaction. */
async function queueTask(trx: Transaction<Database>, ctx: ServiceContext, operation: VmOperationName, vm: VmRow, hostId: string, params: Record<string, unknown>, userId: string | null): Promise<TaskRow> {
  const task = await insertTask(trx, { operation, steps: STEPS[operation], vmId: vm.id, vmStateBefore: vm.state, hostId, userId, requestId: ctx.requestInfo.requestId, params: parseInput(OPERATIONS[operation].params, params) as Record<string, unknown> });
  const jobId = await enqueueInTransaction(ctx.boss, trx, hostId, vm.id, { taskId: task.id });
  await trx.updateTable('tasks').set({ job_id: jobId }).where('id', '=', task.id).execute();
  return task;
}

const specOfVm = (vm: VmRow): BackupVmSpec => ({ vcpus: vm.vcpus, memoryMb: vm.memory_mb, diskGb: vm.disk_gb, imageId: vm.image_id, description: vm.description });

/**
 * Asks for a backup of the VM into the target: a row (QUEUED) and a task, in one transaction. The
 * task decides full or incremental when it runs. For schedules: `as` a schedule's owner or the
 * system, with the schedule's id recorded on the backup.
 */
export async function requestBackup(ctx: ServiceContext, vmId: string, targetId: string, options: { as?: BackupActor; scheduleId?: string | null; chainCap?: number } = {}): Promise<BackupWithTask> {
  const actor = actorIn(ctx, options.as);
  need(actor, 'VM.Backup', 'Backing up a VM');
  const chainCap = options.chainCap ?? DEFAULT_CHAIN_CAP;
  if (!Number.isInteger(chainCap) || chainCap < 1 || chainCap > 1000) throw ValidationError.forField('chainCap', 'A chain cap between 1 and 1000 is expected');
  const result = await ctx.db.transaction().execute(async (trx) => {
    const vm = 'viewer' in actor ? await lockedVmFor(trx, actor.viewer, vmId, 'vm.backup') : await systemVm(trx, vmId, 'vm.backup');
    const target = await trx.selectFrom('backup_targets').selectAll().where('id', '=', targetId).executeTakeFirst();
    if (!target) throw ValidationError.forField('targetId', 'No such backup target');
    if (target.host_id && target.host_id !== vm.host_id) throw ValidationError.forField('targetId', `The target ${target.name} is on another host than the VM`);
    const userId = 'viewer' in actor ? actor.viewer.userId : null;
    const backup = await trx
      .insertInto('backups')
      .values({ vm_id: vm.id, owner_id: vm.owner_id, vm_name: vm.name, vm_spec: JSON.stringify(specOfVm(vm)), target_id: target.id, host_id: vm.host_id, schedule_id: options.scheduleId ?? null, created_by: userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    const task = await queueTask(trx, ctx, 'vm.backup', vm, vm.host_id!, { backupId: backup.id, chainCap }, userId);
    const tagged = await trx.updateTable('backups').set({ task_id: task.id }).where('id', '=', backup.id).returningAll().executeTakeFirstOrThrow();
    return { backup: tagged, vm, task };
  });
  return announceQueued(ctx, result, false);
}

/** The VM for work the system asks for: it exists, is not deleted, and its state and host allow the operation. */
async function systemVm(trx: Transaction<Database>, vmId: string, operation: VmOperationName): Promise<VmRow> {
  const vm = await trx.selectFrom('vms').selectAll().where('id', '=', vmId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
  if (!vm) throw new NotFoundError('The VM');
  const host = vm.host_id ? await trx.selectFrom('hosts').select(['status', 'name']).where('id', '=', vm.host_id).executeTakeFirst() : undefined;
  if (!host) throw new ConflictError('The VM has no host');
  if (!(OPERATIONS[operation].from as readonly string[]).includes(vm.state)) throw new ConflictError(`The VM is ${vm.state}`);
  if (host.status !== 'online') throw new ConflictError(`The host ${host.name} is ${host.status}`);
  return vm;
}

/** backupVm as the API asks it: the caller backs up a VM they may act on. */
export function backupVm(ctx: ServiceContext, vmId: string, targetId: string): Promise<BackupWithTask> {
  return requestBackup(ctx, vmId, targetId);
}

// Deleting

/** Every kept backup below this one (incrementals built on it), deepest last. */
async function dependentsOf(db: Db | Transaction<Database>, id: string): Promise<BackupRow[]> {
  const found: BackupRow[] = [];
  let frontier = [id];
  while (frontier.length) {
    const children = await db.selectFrom('backups').selectAll().where('parent_id', 'in', frontier).execute();
    found.push(...children);
    frontier = children.map((c) => c.id);
  }
  return found;
}

/**
 * Deletes a backup's files and row. Refused while another backup depends on it (an incremental on
 * top) unless withDependents: then they go too, newest first, so no kept backup loses its parent.
 */
export async function deleteBackup(ctx: ServiceContext, id: string, options: { withDependents?: boolean; as?: BackupActor } = {}): Promise<string[]> {
  const actor = actorIn(ctx, options.as);
  need(actor, 'VM.Backup', 'Deleting a backup');
  const { doomed, target } = await ctx.db.transaction().execute(async (trx) => {
    const backup = await actionableBackup(trx, actor, id, true);
    const dependents = await dependentsOf(trx, id);
    const kept = dependents.filter((d) => d.status !== 'failed');
    if (kept.length && !options.withDependents) throw new ConflictError(`${kept.length} later backup(s) are incrementals built on this one: delete them too (withDependents) or keep it`);
    const all = [backup, ...dependents];
    if (all.some((b) => b.status === 'queued' || b.status === 'running')) throw new ConflictError('A backup in this chain is still being made');
    const target = await trx.selectFrom('backup_targets').selectAll().where('id', '=', backup.target_id).executeTakeFirstOrThrow();
    return { doomed: all.reverse(), target };
  });
  const host = target.host_id
    ? await ctx.db.selectFrom('hosts').selectAll().where('id', '=', target.host_id).executeTakeFirst()
    : await ctx.db.selectFrom('hosts').selectAll().where('status', '=', 'online').limit(1).executeTakeFirst();
  if (!host) throw new ConflictError(`No host reaches the target ${target.name} now`);
  const hypervisor = hypervisorFor(host, { timeoutMs: 60_000 });
  if (!target.host_id) await hypervisor.ensureBackupPool(target.pool, target.path);
  // libvirt learns of files QEMU wrote only when it looks at the directory again.
  await hypervisor.refreshPool(target.pool).catch(() => {});
  const deleted: string[] = [];
  for (const backup of doomed) {
    for (const disk of backup.disks as BackupDisk[]) await hypervisor.deleteVolume(target.pool, disk.volume);
    await ctx.db.deleteFrom('backups').where('id', '=', backup.id).execute();
    deleted.push(backup.id);
  }
  return deleted;
}

// Restoring

const restoreSchema = z
  .object({
    toVm: z.boolean().nullish(),
    asNewVm: z.object({ name: z.string().trim().min(1, 'A name is required').max(200), hostId: z.uuid().nullish() }).nullish(),
  })
  .refine((r) => !!r.toVm !== !!r.asNewVm, { message: 'Restore either to the VM (toVm) or as a new VM (asNewVm)', path: ['toVm'] });
export type RestoreInput = z.input<typeof restoreSchema>;

/** A restore refused before anything is queued: the backup is not READY or its chain is not whole. */
async function restorableBackup(trx: Transaction<Database>, actor: BackupActor, id: string): Promise<{ backup: VisibleBackup; target: BackupTargetRow }> {
  const backup = await actionableBackup(trx, actor, id);
  if (backup.status !== 'ready') throw new ConflictError(`The backup is ${backup.status}: only a ready backup can be restored`);
  for (let parent = backup.parent_id; parent; ) {
    const row = await trx.selectFrom('backups').select(['status', 'parent_id']).where('id', '=', parent).executeTakeFirst();
    if (!row || row.status !== 'ready') throw new ConflictError('A backup this one is built on is missing or not ready');
    parent = row.parent_id;
  }
  const target = await trx.selectFrom('backup_targets').selectAll().where('id', '=', backup.target_id).executeTakeFirstOrThrow();
  return { backup, target };
}

/**
 * Restores a backup: onto its VM (toVm: the VM is powered off, its disks replaced once the copy
 * is verified), or as a new VM owned by the caller (asNewVm: quota checked like a create, on the
 * target's host or, for a shared target, wherever placement puts it).
 */
export async function restoreBackup(ctx: ServiceContext, id: string, raw: RestoreInput): Promise<VmWithTask & { backup: BackupRow }> {
  const actor = actorIn(ctx);
  need(actor, 'Backup.Restore', 'Restoring a backup');
  const input = parseInput(restoreSchema, raw);
  const viewer = (actor as { viewer: Viewer }).viewer;
  if (input.asNewVm) need(actor, 'VM.Create', 'Restoring a backup as a new VM');
  if (input.asNewVm?.hostId && !hasPrivilege(viewer, 'Host.Manage')) throw new PermissionError('Only administrators of hosts may choose the host');
  const result = await ctx.db.transaction().execute(async (trx) => {
    const { backup, target } = await restorableBackup(trx, actor, id);
    if (input.toVm) {
      if (!backup.vm_id || backup.vm_deleted) throw new ConflictError('The VM of this backup is deleted: restore it as a new VM');
      const vm = await lockedVmFor(trx, viewer, backup.vm_id, 'vm.restore');
      if (target.host_id && target.host_id !== vm.host_id) throw new ConflictError(`The VM is on another host than the target ${target.name}`);
      const task = await queueTask(trx, ctx, 'vm.restore', vm, vm.host_id!, { backupId: backup.id }, viewer.userId);
      return { vm, task, backup, changed: false };
    }
    const spec = backup.vm_spec as BackupVmSpec;
    const hostId = target.host_id ?? input.asNewVm!.hostId ?? null;
    if (target.host_id && input.asNewVm!.hostId && input.asNewVm!.hostId !== target.host_id) throw ValidationError.forField('hostId', `The target ${target.name} is reached only from its own host`);
    await checkQuota(trx, viewer.userId, spec);
    const host = await placeVm(trx, spec, hostId, ctx.config.hostConcurrency);
    const network = settingsOf(host, ctx.config).network;
    const vm = await trx
      .insertInto('vms')
      .values({
        name: input.asNewVm!.name,
        description: spec.description,
        owner_id: viewer.userId,
        host_id: host.id,
        vcpus: spec.vcpus,
        memory_mb: spec.memoryMb,
        disk_gb: spec.diskGb,
        image_id: null,
        mac_address: randomMac(),
        network: JSON.stringify(network),
        state: 'creating',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // Its rows as any new VM's: the boot disk and its first NIC (no pool address: the restored guest
    // keeps the network configuration on its disk, which no seed rewrites).
    await insertBootDisk(trx, vm);
    await insertFirstInterface(trx, vm, host.id, network, false);
    const task = await queueTask(trx, ctx, 'vm.restore-new', vm, host.id, { backupId: backup.id }, viewer.userId);
    return { vm, task, backup, changed: true };
  });
  if (result.changed) publishVm(ctx.pubsub, result.vm);
  publishTask(ctx.pubsub, { ...result.task, vm_owner_id: result.vm.owner_id });
  return { vm: result.vm, task: result.task, backup: result.backup };
}

// What the backup and restore tasks read and write (handed to operations by the worker)

export async function backupForTask(db: Db, backupId: string): Promise<{ backup: BackupRow; target: BackupTargetRow; parent: BackupRow | null }> {
  const backup = await db.selectFrom('backups').selectAll().where('id', '=', backupId).executeTakeFirst();
  if (!backup) throw new Error('The backup is gone');
  const target = await db.selectFrom('backup_targets').selectAll().where('id', '=', backup.target_id).executeTakeFirstOrThrow();
  const parent = backup.parent_id ? ((await db.selectFrom('backups').selectAll().where('id', '=', backup.parent_id).executeTakeFirst()) ?? null) : null;
  return { backup, target, parent };
}

export async function lastReadyBackup(db: Db, vmId: string, targetId: string, exceptId: string): Promise<BackupRow | null> {
  const row = await db
    .selectFrom('backups')
    .selectAll()
    .where('vm_id', '=', vmId)
    .where('target_id', '=', targetId)
    .where('status', '=', 'ready')
    .where('id', '!=', exceptId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export async function updateBackupRow(db: Db, backupId: string, patch: BackupPatch): Promise<void> {
  const { disks, ...rest } = patch;
  await db
    .updateTable('backups')
    .set({ ...rest, ...(disks ? { disks: JSON.stringify(disks) } : {}) })
    .where('id', '=', backupId)
    .execute();
}
