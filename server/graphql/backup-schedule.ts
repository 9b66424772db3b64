import type { BackupScheduleRow, BackupScheduleRun } from '../../db/types.ts';
import { NotFoundError } from '../errors.ts';
import * as schedules from '../services/backup-schedules.ts';
import { builder, NO_MEMO } from './builder.ts';
import { BackupRef, BackupTargetRef } from './backup.ts';
import { idOf } from './errors.ts';
import { UserRef } from './user.ts';
import { VmRef } from './vm.ts';

const RunVmStatusEnum = builder.enumType('BackupScheduleRunVmStatus', {
  values: { BACKED_UP: { value: 'backed-up' }, FAILED: { value: 'failed' }, SKIPPED: { value: 'skipped', description: 'Not backed up this time: see reason (busy, gone)' } },
});

type RunVm = BackupScheduleRun['vms'][number];
const RunVmRef = builder.objectRef<RunVm>('BackupScheduleRunVm').implement({
  fields: (t) => ({
    vmId: t.exposeString('vmId'),
    vmName: t.exposeString('vmName'),
    backup: t.field({ type: BackupRef, nullable: true, resolve: (v) => v.backupId }),
    status: t.expose('status', { type: RunVmStatusEnum }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const RunRef = builder.objectRef<BackupScheduleRun>('BackupScheduleRun').implement({
  description: 'What one run of a schedule did',
  fields: (t) => ({
    startedAt: t.field({ type: 'DateTime', resolve: (r) => new Date(r.startedAt) }),
    finishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => (r.finishedAt ? new Date(r.finishedAt) : null) }),
    skipped: t.exposeString('skipped', { nullable: true, description: 'Why the run did nothing at all' }),
    vms: t.field({ type: [RunVmRef], resolve: (r) => r.vms }),
    prunedCount: t.int({ description: 'Backups its retention deleted', resolve: (r) => r.pruned.length }),
  }),
});

const RetentionRef = builder.objectRef<BackupScheduleRow>('BackupRetention').implement({
  description: 'How many backups a schedule keeps: the last N, and the newest of each of the last days, weeks and months that have one; what a kept backup depends on is always kept',
  fields: (t) => ({
    keepLast: t.exposeInt('keep_last'),
    keepDaily: t.exposeInt('keep_daily'),
    keepWeekly: t.exposeInt('keep_weekly'),
    keepMonthly: t.exposeInt('keep_monthly'),
  }),
});

export const BackupScheduleRef = builder.loadableNode('BackupSchedule', {
  description: 'Backups of some VMs at the times of a cron expression, with retention',
  loaderOptions: NO_MEMO,
  id: { resolve: (s: BackupScheduleRow) => s.id },
  authScopes: { authenticated: true },
  load: async (ids: string[], ctx) => {
    const rows = await schedules.backupSchedulesByIds(ctx.db, ids);
    return ids.map((id) => rows.find((r) => r.id === id && schedules.canSeeBackupSchedule(ctx.viewer, r)) ?? new NotFoundError('The backup schedule'));
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    owner: t.field({ type: UserRef, nullable: true, description: 'Null for callers who may not see users; it runs with its owner\u2019s rights', resolve: (s) => s.owner_id }),
    vms: t.field({ type: [VmRef], description: 'The VMs it names (those you may see)', resolve: (s) => s.vm_ids }),
    tag: t.exposeString('tag', { nullable: true, description: 'Also every VM with this tag its owner may act on' }),
    target: t.field({ type: BackupTargetRef, resolve: (s) => s.target_id }),
    cron: t.exposeString('cron'),
    timezone: t.exposeString('timezone'),
    chainCap: t.exposeInt('chain_cap', { description: 'Backups in a chain (a full and its incrementals) before the next is full' }),
    retention: t.field({ type: RetentionRef, resolve: (s) => s }),
    enabled: t.exposeBoolean('enabled'),
    nextRuns: t.field({
      type: ['DateTime'],
      args: { count: t.arg.int({ validate: { min: 1, max: 20 } }) },
      resolve: (s, { count }, ctx) => (s.enabled ? schedules.nextRuns(ctx.boss, s.cron, s.timezone, count ?? 3) : []),
    }),
    lastRunAt: t.expose('last_run_at', { type: 'DateTime', nullable: true }),
    lastRun: t.field({ type: RunRef, nullable: true, resolve: (s) => s.last_run }),
    createdAt: t.expose('created_at', { type: 'DateTime' }),
  }),
});

const RetentionInput = builder.inputType('BackupRetentionInput', {
  fields: (t) => ({
    keepLast: t.int({ validate: { min: 0, max: 1000 } }),
    keepDaily: t.int({ validate: { min: 0, max: 1000 } }),
    keepWeekly: t.int({ validate: { min: 0, max: 1000 } }),
    keepMonthly: t.int({ validate: { min: 0, max: 1000 } }),
  }),
});

const ScheduleInput = builder.inputType('BackupScheduleInput', {
  description: 'For an update, what is absent or null stays as it is',
  fields: (t) => ({
    name: t.string({ validate: { maxLength: 200 } }),
    vmIds: t.idList({ validate: { maxLength: 200 } }),
    tag: t.string({ validate: { maxLength: 64 } }),
    targetId: t.id(),
    cron: t.string({ description: 'Five fields: minute hour day-of-month month day-of-week (e.g. 0 2 * * *)', validate: { maxLength: 100 } }),
    timezone: t.string({ description: 'IANA name (default UTC)', validate: { maxLength: 64 } }),
    chainCap: t.int({ validate: { min: 1, max: 1000 } }),
    retention: t.field({ type: RetentionInput }),
    enabled: t.boolean(),
  }),
});

type ScheduleArgs = typeof ScheduleInput.$inferInput;
const present = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
function inputOf(input: ScheduleArgs): schedules.UpdateScheduleInput {
  return {
    name: present(input.name),
    vmIds: input.vmIds?.map((id, i) => idOf(String(id), 'Vm', `vmIds.${i}`)),
    tag: input.tag === '' ? null : present(input.tag),
    targetId: input.targetId ? idOf(String(input.targetId), 'BackupTarget', 'targetId') : undefined,
    cron: present(input.cron),
    timezone: present(input.timezone),
    chainCap: present(input.chainCap),
    enabled: present(input.enabled),
    keepLast: present(input.retention?.keepLast),
    keepDaily: present(input.retention?.keepDaily),
    keepWeekly: present(input.retention?.keepWeekly),
    keepMonthly: present(input.retention?.keepMonthly),
  };
}

const RetentionPreviewRef = builder.objectRef<schedules.RetentionPreviewEntry>('RetentionPreviewEntry').implement({
  fields: (t) => ({
    backup: t.field({ type: BackupRef, resolve: (e) => e.id }),
    keep: t.exposeBoolean('keep'),
    reason: t.exposeString('reason'),
  }),
});

builder.queryFields((t) => ({
  backupSchedules: t.field({
    type: [BackupScheduleRef],
    description: 'Your backup schedules (every one with VM.ViewAll), newest first',
    authScopes: { authenticated: true },
    resolve: (_root, _args, ctx) => schedules.listBackupSchedules(ctx.db, ctx.viewer!),
  }),
  backupRetentionPreview: t.field({
    type: [RetentionPreviewRef],
    errors: {},
    description: 'What a retention policy would keep of one VM\u2019s backups on a target, newest first (of a schedule\u2019s own backups when scheduleId is given)',
    authScopes: { privilege: 'VM.Backup' },
    args: {
      vmId: t.arg.id({ required: true }),
      targetId: t.arg.id({ required: true }),
      retention: t.arg({ type: RetentionInput, required: true }),
      timezone: t.arg.string({ validate: { maxLength: 64 } }),
      scheduleId: t.arg.id(),
    },
    resolve: (_root, args, ctx) =>
      schedules.previewRetention(ctx.db, ctx.viewer!, {
        vmId: idOf(String(args.vmId), 'Vm', 'vmId'),
        targetId: idOf(String(args.targetId), 'BackupTarget', 'targetId'),
        policy: schedules.parseRetention(args.retention),
        timezone: args.timezone ?? 'UTC',
        scheduleId: args.scheduleId ? idOf(String(args.scheduleId), 'BackupSchedule', 'scheduleId') : null,
      }),
  }),
}));

builder.mutationFields((t) => ({
  createBackupSchedule: t.field({
    type: BackupScheduleRef,
    errors: {},
    description: 'Backs up the named VMs (and those with the tag) at the times of the cron expression, as you, and prunes by the retention after each run',
    authScopes: { privilege: 'VM.Backup' },
    extensions: { auditCreates: 'BackupSchedule' },
    args: { input: t.arg({ type: ScheduleInput, required: true }) },
    resolve: (_root, { input }, ctx) => schedules.createBackupSchedule(ctx, inputOf(input) as schedules.CreateScheduleInput),
  }),
  updateBackupSchedule: t.field({
    type: BackupScheduleRef,
    errors: {},
    authScopes: { privilege: 'VM.Backup' },
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: ScheduleInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => schedules.updateBackupSchedule(ctx, idOf(String(id), 'BackupSchedule'), inputOf(input)),
  }),
  deleteBackupSchedule: t.field({
    type: BackupScheduleRef,
    errors: {},
    description: 'Removes the schedule; its backups stay',
    authScopes: { privilege: 'VM.Backup' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => schedules.deleteBackupSchedule(ctx, idOf(String(id), 'BackupSchedule')),
  }),
  runBackupScheduleNow: t.field({
    type: BackupScheduleRef,
    errors: {},
    description: 'Runs the schedule now, besides its own times (lastRun shows what it did)',
    authScopes: { privilege: 'VM.Backup' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => schedules.runBackupScheduleNow(ctx, idOf(String(id), 'BackupSchedule')),
  }),
}));
