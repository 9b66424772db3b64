// Backup schedules: a cron expression in a time zone (pg-boss keeps the timing and sends one job
// per occurrence to BACKUP_SCHEDULE_QUEUE), the VMs it backs up, a target, and a retention policy
// applied after each run (backup-retention.ts). A run acts with its owner's rights as they are
// then; a VM busy with another operation is skipped with the reason, never queued behind it.
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { BackupRow, BackupScheduleRow, BackupScheduleRun, VmRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import { NotFoundError, PermissionError, ValidationError } from '../errors.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { hasPrivilege, viewerOfUser, type Viewer } from './auth.ts';
import { applyRetention, retentionFields, retentionRefinement, retentionSchema, type RetentionDecision, type RetentionPolicy } from './backup-retention.ts';
import { deleteBackup, requestBackup } from './backups.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { parseInput } from './validation.ts';
import { actionableVm, canActOnVm } from './vm-authority.ts';
import { vmTagSchema } from './vm-input.ts';
import type { ViewerDirectory } from './viewers.ts';

export const BACKUP_SCHEDULE_QUEUE = 'backup-schedule';
export interface ScheduleJob {
  scheduleId: string;
  /** Who asked for a run now; absent: the schedule's own time came. */
  requestedBy?: string;
}

const TIMEZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
/** How long a run waits for its backups before it prunes (and records what it saw). */
const RUN_WAIT_MS = 6 * 3600_000;

const scheduleFields = {
  name: z.string().trim().min(1, 'A name is required').max(64, 'A name has at most 64 characters'),
  vmIds: z.array(z.uuid()).max(200, 'At most 200 VMs; use a tag for more').default([]),
  tag: vmTagSchema.nullish(),
  targetId: z.uuid(),
  cron: z
    .string()
    .trim()
    .max(100)
    .refine((c) => c.split(/\s+/).length === 5, 'A cron expression has five fields: minute hour day-of-month month day-of-week (e.g. 0 2 * * *)'),
  timezone: z.string().refine((t) => TIMEZONES.has(t), 'An IANA time zone such as Europe/Paris or UTC').default('UTC'),
  chainCap: z.number().int().min(1, 'At least 1 backup per chain').max(1000).default(14),
  enabled: z.boolean().default(true),
  ...retentionFields,
};
export const createScheduleSchema = z
  .object(scheduleFields)
  .superRefine(retentionRefinement)
  .refine((s) => s.vmIds.length > 0 || !!s.tag, { message: 'Name the VMs to back up, or a tag', path: ['vmIds'] });
export type CreateScheduleInput = z.input<typeof createScheduleSchema>;
export type UpdateScheduleInput = Partial<CreateScheduleInput>;

/** A retention policy as the API gives it (absent counts are 0); a ValidationError when it keeps nothing. */
export function parseRetention(raw: { keepLast?: number | null; keepDaily?: number | null; keepWeekly?: number | null; keepMonthly?: number | null }): RetentionPolicy {
  return parseInput(retentionSchema, Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined)));
}

export const policyOf = (s: Pick<BackupScheduleRow, 'keep_last' | 'keep_daily' | 'keep_weekly' | 'keep_monthly'>): RetentionPolicy => ({
  keepLast: s.keep_last,
  keepDaily: s.keep_daily,
  keepWeekly: s.keep_weekly,
  keepMonthly: s.keep_monthly,
});

/** The next occurrences, in the schedule's time zone; throws a ValidationError on an expression pg-boss cannot read. */
export function nextRuns(boss: Pick<PgBoss, 'previewSchedule'>, cron: string, timezone: string, count = 5): Date[] {
  try {
    return boss.previewSchedule(cron, { tz: timezone, count, from: new Date() });
  } catch (error) {
    throw ValidationError.forField('cron', `Not a cron expression: ${(error as Error).message}`);
  }
}

function need(viewer: Viewer): void {
  if (!hasPrivilege(viewer, 'VM.Backup')) throw new PermissionError('Backup schedules need the VM.Backup privilege');
}

const canSeeSchedule = (viewer: Viewer, s: Pick<BackupScheduleRow, 'owner_id'>) => s.owner_id === viewer.userId || hasPrivilege(viewer, 'VM.ViewAll') || hasPrivilege(viewer, 'VM.ManageAll');
const canActOnSchedule = (viewer: Viewer, s: Pick<BackupScheduleRow, 'owner_id'>) => s.owner_id === viewer.userId || hasPrivilege(viewer, 'VM.ManageAll');

async function actionableSchedule(db: Db, viewer: Viewer, id: string): Promise<BackupScheduleRow> {
  const row = await db.selectFrom('backup_schedules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !canSeeSchedule(viewer, row)) throw new NotFoundError('The backup schedule');
  if (!canActOnSchedule(viewer, row)) throw new PermissionError('You may see this schedule but not change it: that needs VM.ManageAll');
  return row;
}

/** The named VMs must be ones the owner may act on, and on the target's host when it has one. */
async function checkSelection(db: Db, viewer: Viewer, input: { vmIds: string[]; targetId: string }): Promise<void> {
  const target = await db.selectFrom('backup_targets').selectAll().where('id', '=', input.targetId).executeTakeFirst();
  if (!target) throw ValidationError.forField('targetId', 'No such backup target');
  for (const [i, vmId] of input.vmIds.entries()) {
    const vm = await actionableVm(db, viewer, vmId).catch((error: Error) => {
      throw ValidationError.forField(`vmIds.${i}`, error instanceof NotFoundError ? 'No such VM' : error.message);
    });
    if (target.host_id && vm.host_id !== target.host_id) throw ValidationError.forField(`vmIds.${i}`, `${vm.name} is not on the host of the target ${target.name}`);
  }
}

export async function ensureScheduleQueue(boss: Pick<PgBoss, 'getQueue' | 'createQueue'>): Promise<void> {
  if (!(await boss.getQueue(BACKUP_SCHEDULE_QUEUE))) await boss.createQueue(BACKUP_SCHEDULE_QUEUE, { retryLimit: 0, expireInSeconds: RUN_WAIT_MS / 1000 + 600 });
}

/** pg-boss's timing follows the row: scheduled while enabled, not otherwise. */
async function syncTiming(boss: PgBoss, row: BackupScheduleRow): Promise<void> {
  await ensureScheduleQueue(boss);
  if (row.enabled) await boss.schedule(BACKUP_SCHEDULE_QUEUE, row.cron, { scheduleId: row.id } satisfies ScheduleJob, { tz: row.timezone, key: row.id });
  else await boss.unschedule(BACKUP_SCHEDULE_QUEUE, row.id);
}

export async function createBackupSchedule(ctx: ServiceContext, raw: CreateScheduleInput): Promise<BackupScheduleRow> {
  const viewer = actorOf(ctx);
  need(viewer);
  const input = parseInput(createScheduleSchema, raw);
  nextRuns(ctx.boss, input.cron, input.timezone, 1);
  await checkSelection(ctx.db, viewer, input);
  const row = await ctx.db
    .insertInto('backup_schedules')
    .values({
      name: input.name,
      owner_id: viewer.userId,
      vm_ids: [...new Set(input.vmIds)],
      tag: input.tag ?? null,
      target_id: input.targetId,
      cron: input.cron,
      timezone: input.timezone,
      chain_cap: input.chainCap,
      keep_last: input.keepLast,
      keep_daily: input.keepDaily,
      keep_weekly: input.keepWeekly,
      keep_monthly: input.keepMonthly,
      enabled: input.enabled,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  try {
    await syncTiming(ctx.boss, row);
  } catch (error) {
    await ctx.db.deleteFrom('backup_schedules').where('id', '=', row.id).execute();
    throw error;
  }
  return row;
}

export async function updateBackupSchedule(ctx: ServiceContext, id: string, raw: UpdateScheduleInput): Promise<BackupScheduleRow> {
  const viewer = actorOf(ctx);
  need(viewer);
  const current = await actionableSchedule(ctx.db, viewer, id);
  const merged = parseInput(createScheduleSchema, {
    name: current.name,
    vmIds: current.vm_ids,
    tag: current.tag,
    targetId: current.target_id,
    cron: current.cron,
    timezone: current.timezone,
    chainCap: current.chain_cap,
    enabled: current.enabled,
    ...policyOf(current),
    ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
  });
  nextRuns(ctx.boss, merged.cron, merged.timezone, 1);
  await checkSelection(ctx.db, viewer, merged);
  const row = await ctx.db
    .updateTable('backup_schedules')
    .set({
      name: merged.name,
      vm_ids: [...new Set(merged.vmIds)],
      tag: merged.tag ?? null,
      target_id: merged.targetId,
      cron: merged.cron,
      timezone: merged.timezone,
      chain_cap: merged.chainCap,
      keep_last: merged.keepLast,
      keep_daily: merged.keepDaily,
      keep_weekly: merged.keepWeekly,
      keep_monthly: merged.keepMonthly,
      enabled: merged.enabled,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await syncTiming(ctx.boss, row);
  return row;
}

/** Removes the schedule and its timing; its backups stay (nothing prunes them any more). */
export async function deleteBackupSchedule(ctx: ServiceContext, id: string): Promise<BackupScheduleRow> {
  const viewer = actorOf(ctx);
  need(viewer);
  const row = await actionableSchedule(ctx.db, viewer, id);
  await ensureScheduleQueue(ctx.boss);
  await ctx.boss.unschedule(BACKUP_SCHEDULE_QUEUE, id);
  await ctx.db.deleteFrom('backup_schedules').where('id', '=', id).execute();
  return row;
}

/** Sends a run now (the schedule's own time still comes); returns the schedule. */
export async function runBackupScheduleNow(ctx: ServiceContext, id: string): Promise<BackupScheduleRow> {
  const viewer = actorOf(ctx);
  need(viewer);
  const row = await actionableSchedule(ctx.db, viewer, id);
  await ensureScheduleQueue(ctx.boss);
  await ctx.boss.send(BACKUP_SCHEDULE_QUEUE, { scheduleId: id, requestedBy: viewer.user.name } satisfies ScheduleJob);
  return row;
}

export async function listBackupSchedules(db: Db, viewer: Viewer): Promise<BackupScheduleRow[]> {
  let query = db.selectFrom('backup_schedules').selectAll().orderBy('created_at', 'desc');
  if (!hasPrivilege(viewer, 'VM.ViewAll') && !hasPrivilege(viewer, 'VM.ManageAll')) query = query.where('owner_id', '=', viewer.userId);
  return query.execute();
}

export async function backupSchedulesByIds(db: Db, ids: readonly string[]): Promise<BackupScheduleRow[]> {
  return ids.length ? db.selectFrom('backup_schedules').selectAll().where('id', 'in', ids).execute() : [];
}

export function canSeeBackupSchedule(viewer: Viewer | null, row: Pick<BackupScheduleRow, 'owner_id'>): boolean {
  return !!viewer && canSeeSchedule(viewer, row);
}

// Retention

export interface RetentionPreviewEntry extends RetentionDecision {
  backup: BackupRow;
}

/** What a policy keeps of one VM's finished backups on a target (of the schedule's own, when one is named; else of all of them). */
export async function previewRetention(db: Db, viewer: Viewer, input: { vmId: string; targetId: string; policy: RetentionPolicy; timezone: string; scheduleId?: string | null }): Promise<RetentionPreviewEntry[]> {
  await actionableVm(db, viewer, input.vmId);
  const backups = await db.selectFrom('backups').selectAll().where('vm_id', '=', input.vmId).where('target_id', '=', input.targetId).where('status', '!=', 'failed').execute();
  return retain(backups, input.policy, input.timezone, input.scheduleId ?? null);
}

function retain(backups: BackupRow[], policy: RetentionPolicy, timezone: string, scheduleId: string | null): RetentionPreviewEntry[] {
  const byId = new Map(backups.map((b) => [b.id, b]));
  const decisions = applyRetention(
    backups.map((b) => ({ id: b.id, parentId: b.parent_id, createdAt: b.created_at, prunable: b.status === 'ready' && (scheduleId === null || b.schedule_id === scheduleId) })),
    policy,
    timezone,
  );
  return decisions.map((d) => ({ ...d, backup: byId.get(d.id)! }));
}

// Runs

export interface ScheduleRunDeps {
  db: Db;
  boss: PgBoss;
  pubsub: PubSub;
  config: Config;
  log: Logger;
}

/** A service context for work a schedule does as its owner (no request, no secret to resolve). */
function ownerContext(deps: ScheduleRunDeps, viewer: Viewer, schedule: BackupScheduleRow): ServiceContext {
  return {
    db: deps.db,
    boss: deps.boss,
    pubsub: deps.pubsub,
    config: deps.config,
    // Nothing a schedule does resolves a session or token secret.
    viewers: null as unknown as ViewerDirectory,
    viewer,
    requestInfo: { requestId: `schedule-${schedule.id.slice(0, 8)}-${Date.now().toString(36)}`, ip: null, userAgent: null },
  };
}

/** The VMs a run backs up: the named ones and the tagged ones its owner may act on now. */
async function selectedVms(db: Db, owner: Viewer, schedule: BackupScheduleRow): Promise<VmRow[]> {
  let query = db.selectFrom('vms').selectAll().where('deleted_at', 'is', null);
  query = query.where((eb) => {
    const either = [];
    if (schedule.vm_ids.length) either.push(eb('id', 'in', schedule.vm_ids));
    if (schedule.tag) either.push(eb(eb.val(schedule.tag), '=', eb.fn.any('tags')));
    return eb.or(either);
  });
  return (await query.orderBy('name').execute()).filter((vm) => canActOnVm(owner, vm));
}

/** Why the VM cannot be backed up now without waiting behind other work, or null. */
async function busyReason(db: Db, vm: VmRow): Promise<string | null> {
  const task = await db.selectFrom('tasks').select(['operation', 'status']).where('vm_id', '=', vm.id).where('status', 'in', ['queued', 'running']).orderBy('created_at').limit(1).executeTakeFirst();
  return task ? `Busy: ${task.operation} is ${task.status}` : null;
}

async function waitForTasks(db: Db, taskIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (taskIds.length && Date.now() < deadline) {
    const open = await db.selectFrom('tasks').select('id').where('id', 'in', taskIds).where('status', 'in', ['queued', 'running']).execute();
    if (!open.length) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * One run of a schedule: a backup of each selected VM that is not busy (as its owner), then, once
 * they ended, retention on each VM's backups of this schedule on its target. What it did is
 * recorded on the schedule (lastRun).
 */
export async function runBackupSchedule(deps: ScheduleRunDeps, job: ScheduleJob): Promise<BackupScheduleRun | null> {
  const { db, log } = deps;
  const schedule = await db.selectFrom('backup_schedules').selectAll().where('id', '=', job.scheduleId).executeTakeFirst();
  if (!schedule) return null;
  const run: BackupScheduleRun = { startedAt: new Date().toISOString(), finishedAt: null, skipped: null, vms: [], pruned: [] };
  const record = () => db.updateTable('backup_schedules').set({ last_run_at: new Date(run.startedAt), last_run: JSON.stringify(run) }).where('id', '=', schedule.id).execute();
  if (!schedule.enabled && !job.requestedBy) run.skipped = 'The schedule is disabled';
  const owner = await viewerOfUser(db, schedule.owner_id);
  if (!run.skipped && !owner) run.skipped = 'Its owner is disabled';
  else if (!run.skipped && !hasPrivilege(owner, 'VM.Backup')) run.skipped = 'Its owner no longer holds VM.Backup';
  if (run.skipped || !owner) {
    run.finishedAt = new Date().toISOString();
    await record();
    return run;
  }
  const ctx = ownerContext(deps, owner, schedule);
  const vms = await selectedVms(db, owner, schedule);
  const taskIds: string[] = [];
  for (const vm of vms) {
    const busy = await busyReason(db, vm);
    if (busy) {
      run.vms.push({ vmId: vm.id, vmName: vm.name, backupId: null, status: 'skipped', reason: busy });
      continue;
    }
    try {
      const { backup, task } = await requestBackup(ctx, vm.id, schedule.target_id, { scheduleId: schedule.id, chainCap: schedule.chain_cap });
      taskIds.push(task.id);
      run.vms.push({ vmId: vm.id, vmName: vm.name, backupId: backup.id, status: 'backed-up', reason: null });
    } catch (error) {
      run.vms.push({ vmId: vm.id, vmName: vm.name, backupId: null, status: 'skipped', reason: (error as Error).message });
    }
  }
  for (const named of schedule.vm_ids) if (!vms.some((vm) => vm.id === named)) run.vms.push({ vmId: named, vmName: '', backupId: null, status: 'skipped', reason: 'The VM is gone, or its owner may no longer act on it' });
  await record();
  await waitForTasks(db, taskIds, RUN_WAIT_MS);
  // What the backups became.
  for (const entry of run.vms) {
    if (!entry.backupId) continue;
    const backup = await db.selectFrom('backups').select(['status', 'error']).where('id', '=', entry.backupId).executeTakeFirst();
    if (backup?.status === 'failed') Object.assign(entry, { status: 'failed', reason: backup.error });
  }
  run.pruned = await prune(ctx, schedule, vms, log);
  run.finishedAt = new Date().toISOString();
  await record();
  return run;
}

/** Retention on each VM's backups of this schedule on its target; deletes newest first, so a chain is never left without a parent. */
async function prune(ctx: ServiceContext, schedule: BackupScheduleRow, vms: VmRow[], log: Logger): Promise<string[]> {
  const pruned: string[] = [];
  for (const vm of vms) {
    const backups = await ctx.db.selectFrom('backups').selectAll().where('vm_id', '=', vm.id).where('target_id', '=', schedule.target_id).where('status', '!=', 'failed').execute();
    const doomed = retain(backups, policyOf(schedule), schedule.timezone, schedule.id)
      .filter((d) => !d.keep)
      .sort((a, b) => b.backup.created_at.getTime() - a.backup.created_at.getTime());
    for (const d of doomed) {
      try {
        pruned.push(...(await deleteBackup(ctx, d.id, { as: { system: `retention of the schedule ${schedule.name}` } })));
      } catch (error) {
        log.warn({ schedule: schedule.id, backup: d.id, err: (error as Error).message }, 'a pruned backup was not deleted');
      }
    }
  }
  return pruned;
}
