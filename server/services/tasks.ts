import { sql, type Transaction } from 'kysely';
import type { Db } from '../../db/connection.ts';
import type { Database, TaskLogRow, TaskRow, TaskStepRow } from '../../db/types.ts';
import type { PubSub, TaskEvent } from '../events/pubsub.ts';
import type { Viewer } from './auth.ts';
import { hasPrivilege } from './auth.ts';
import { keysetOrder, pageByKeyset, type KeysetPage, type KeysetPageArgs } from './keyset.ts';

/** A host drain: a parent task whose children are the migrations it queued (host-drain.ts). */
export const DRAIN_OPERATION = 'host.drain';

export type TaskStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type TaskOutcome = 'succeeded' | 'failed' | 'cancelled';
export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface NewTask {
  operation: string;
  steps: readonly string[];
  vmId: string | null;
  /** The VM's state when it was queued (a task cancelled before it ran gives it back). */
  vmStateBefore?: string | null;
  /** null for work that needs no host (image imports). */
  hostId: string | null;
  userId: string | null;
  requestId: string | null;
  params?: Record<string, unknown>;
  /** The task that queued this one (a drain and its migrations). */
  parentTaskId?: string | null;
}

/** Writes a queued task with its planned steps, inside the caller's transaction. */
export async function insertTask(trx: Transaction<Database>, task: NewTask): Promise<TaskRow> {
  const row = await trx
    .insertInto('tasks')
    .values({
      operation: task.operation,
      vm_id: task.vmId,
      vm_state_before: task.vmStateBefore ?? null,
      host_id: task.hostId,
      user_id: task.userId,
      request_id: task.requestId,
      status: 'queued',
      params: JSON.stringify(task.params ?? {}),
      parent_task_id: task.parentTaskId ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (task.steps.length) {
    await trx.insertInto('task_steps').values(task.steps.map((name, position) => ({ task_id: row.id, position, name }))).execute();
  }
  return row;
}

/** A task as events carry it; `vm_owner_id` when known, so list subscribers need no query. */
export type TaskOfEvent = Pick<TaskRow, 'id' | 'vm_id' | 'user_id'> & { vm_owner_id?: string | null; parent_task_id?: string | null };

export function taskEvent(task: TaskOfEvent): TaskEvent {
  const event: TaskEvent = { id: task.id, vmId: task.vm_id, userId: task.user_id };
  if (task.vm_owner_id !== undefined) event.vmOwnerId = task.vm_owner_id;
  return event;
}

export function publishTask(pubsub: PubSub, task: TaskOfEvent): void {
  const event = taskEvent(task);
  pubsub.publish('task:updated', task.id, event);
  pubsub.publish('tasks:updated', event);
  // A parent's steps are its children: each change of a child is a change of its parent too (asked by the same user).
  if (task.parent_task_id) publishTask(pubsub, { id: task.parent_task_id, vm_id: null, user_id: task.user_id });
}

/** The worker's pen: every write is committed at once and announced, so subscribers see steps as they happen. */
export class TaskRecorder {
  readonly task: TaskRow;
  private readonly db: Db;
  private readonly pubsub: PubSub;
  /** The VM's owner (who sees the task too), read once per task rather than by every subscriber for every event. */
  private vmOwnerId: Promise<string | null | undefined> | undefined;

  constructor(db: Db, pubsub: PubSub, task: TaskRow & { vm_owner_id?: string | null }) {
    this.db = db;
    this.pubsub = pubsub;
    this.task = task;
    if (task.vm_owner_id !== undefined || !task.vm_id) this.vmOwnerId = Promise.resolve(task.vm_owner_id ?? null);
  }

  /** Claims the queued task for the worker; null when it is no longer queued (cancelled meanwhile). Safe to retry: a claim already the worker's is its again. */
  async started(workerId: string): Promise<{ cancelRequested: boolean } | null> {
    const row = await this.db
      .updateTable('tasks')
      .set({ status: 'running', worker_id: workerId, started_at: new Date() })
      .where('id', '=', this.task.id)
      .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('worker_id', '=', workerId)])]))
      .returning('cancel_requested_at')
      .executeTakeFirst();
    if (!row) return null;
    await this.publish();
    return { cancelRequested: row.cancel_requested_at !== null };
  }

  async step(position: number, change: { state?: StepState; progress?: number; message?: string | null }): Promise<void> {
    const now = new Date();
    await this.db
      .updateTable('task_steps')
      .set({
        ...(change.state ? { state: change.state } : {}),
        ...(change.progress !== undefined ? { progress: Math.max(0, Math.min(100, Math.round(change.progress))) } : {}),
        ...(change.message !== undefined ? { message: change.message?.slice(0, 2000) ?? null } : {}),
        ...(change.state === 'running' ? { started_at: now } : {}),
        ...(change.state === 'done' || change.state === 'failed' || change.state === 'skipped' ? { finished_at: now } : {}),
      })
      .where('task_id', '=', this.task.id)
      .where('position', '=', position)
      .execute();
    await this.publish();
  }

  async log(line: string, warning = false): Promise<void> {
    await this.db.insertInto('task_log').values({ task_id: this.task.id, line: line.slice(0, 4000), warning }).execute();
    await this.publish();
  }

  async finished(status: TaskOutcome, error: string | null = null): Promise<void> {
    await finishTask(this.db, this.task.id, status, error);
    await this.publish();
  }

  private async publish(): Promise<void> {
    // Unknown (the read failed): subscribers then look the owner up themselves.
    this.vmOwnerId ??= this.db
      .selectFrom('vms')
      .select('owner_id')
      .where('id', '=', this.task.vm_id!)
      .executeTakeFirst()
      .then((vm) => vm?.owner_id ?? null, () => undefined);
    publishTask(this.pubsub, { ...this.task, vm_owner_id: await this.vmOwnerId });
  }
}

/** Why a task marked running by a worker that is gone (killed or crashed) failed. */
export const INTERRUPTED = 'The worker running this task stopped (killed or crashed) before it finished';

/** Ends a task; steps still pending or running are marked skipped or failed. */
export async function finishTask(db: Db, taskId: string, status: TaskOutcome, error: string | null): Promise<void> {
  await db.transaction().execute((trx) => finishTaskIn(trx, taskId, status, error));
}

/** finishTask inside the caller's transaction. */
export async function finishTaskIn(trx: Transaction<Database>, taskId: string, status: TaskOutcome, error: string | null): Promise<void> {
  const now = new Date();
  await trx.updateTable('task_steps').set({ state: 'failed', finished_at: now, message: error?.slice(0, 2000) ?? null }).where('task_id', '=', taskId).where('state', '=', 'running').execute();
  await trx.updateTable('task_steps').set({ state: 'skipped' }).where('task_id', '=', taskId).where('state', '=', 'pending').execute();
  const row = await trx.updateTable('tasks').set({ status, error: error?.slice(0, 4000) ?? null, finished_at: now }).where('id', '=', taskId).returning('parent_task_id').executeTakeFirst();
  if (row?.parent_task_id) await settleParent(trx, row.parent_task_id);
}

/** A parent task ends with its last child: succeeded when every child did, else failed saying which did not. */
async function settleParent(trx: Transaction<Database>, parentId: string): Promise<void> {
  const parent = await trx.selectFrom('tasks').select(['status', 'params', 'cancel_requested_at']).where('id', '=', parentId).forUpdate().executeTakeFirst();
  if (!parent || (parent.status !== 'running' && parent.status !== 'queued')) return;
  const children = await trx.selectFrom('tasks as t').leftJoin('vms as v', 'v.id', 't.vm_id').select(['t.status', 't.error', 'v.name']).where('t.parent_task_id', '=', parentId).execute();
  if (children.some((c) => c.status === 'queued' || c.status === 'running')) return;
  const missed = children.filter((c) => c.status !== 'succeeded');
  // What the parent could not even queue (a drain's running VMs that had nowhere to go).
  const left = Array.isArray(parent.params.leftRunning) ? (parent.params.leftRunning as string[]) : [];
  const failed = missed.length > 0 || left.length > 0;
  const error = failed ? [`${children.length - missed.length} of ${children.length} done`, ...missed.map((c) => `${c.name ?? 'a VM'}: ${c.status === 'cancelled' ? 'cancelled' : (c.error ?? 'failed')}`), ...left].join('; ') : null;
  await trx.updateTable('tasks').set({ status: failed ? (parent.cancel_requested_at ? 'cancelled' : 'failed') : 'succeeded', error: error?.slice(0, 4000) ?? null, finished_at: new Date() }).where('id', '=', parentId).execute();
}

// ---- reading ----

/** Users see their own tasks; holders of VM.ViewAll, VM.ManageAll or Host.View see every task. */
export function canSeeTask(viewer: Viewer | null, task: Pick<TaskRow, 'user_id'> & { vm_owner_id?: string | null }): boolean {
  if (!viewer) return false;
  if (seesEveryTask(viewer)) return true;
  return task.user_id === viewer.userId || task.vm_owner_id === viewer.userId;
}

function seesEveryTask(viewer: Viewer): boolean {
  return hasPrivilege(viewer, 'VM.ViewAll') || hasPrivilege(viewer, 'VM.ManageAll') || hasPrivilege(viewer, 'Host.View');
}

/**
 * canSeeTask for a task known only by its event. The VM's owner is read only for an event
 * published without it (a worker recovering an orphaned task) that no other rule lets through.
 */
export async function canSeeTaskOfEvent(db: Db, viewer: Viewer | null, event: TaskEvent): Promise<boolean> {
  if (canSeeTask(viewer, { user_id: event.userId, vm_owner_id: event.vmOwnerId })) return true;
  if (!viewer || event.vmOwnerId !== undefined || !event.vmId) return false;
  const vm = await db.selectFrom('vms').select('owner_id').where('id', '=', event.vmId).executeTakeFirst();
  return vm?.owner_id === viewer.userId;
}

export async function tasksByIds(db: Db, ids: readonly string[]): Promise<Array<TaskRow & { vm_owner_id: string | null }>> {
  if (!ids.length) return [];
  return db
    .selectFrom('tasks as t')
    .leftJoin('vms as v', 'v.id', 't.vm_id')
    .selectAll('t')
    .select('v.owner_id as vm_owner_id')
    .where('t.id', 'in', ids)
    .execute();
}

export async function stepsOfTasks(db: Db, taskIds: readonly string[]): Promise<TaskStepRow[][]> {
  const rows = taskIds.length ? await db.selectFrom('task_steps').selectAll().where('task_id', 'in', taskIds).orderBy('position').execute() : [];
  const parents = await childStepsOf(db, taskIds);
  return taskIds.map((id) => parents.get(id) ?? rows.filter((r) => r.task_id === id));
}

const CHILD_STEP_STATE: Record<string, StepState> = { queued: 'pending', running: 'running', succeeded: 'done', failed: 'failed', cancelled: 'failed' };

/**
 * A parent task's steps are its children, one step each, oldest first: named by the child's VM and
 * operation label, its state and progress the child's, its message the child's running step or error.
 */
async function childStepsOf(db: Db, taskIds: readonly string[]): Promise<Map<string, TaskStepRow[]>> {
  const children = taskIds.length
    ? await db
        .selectFrom('tasks as t')
        .leftJoin('vms as v', 'v.id', 't.vm_id')
        .select(['t.id', 't.parent_task_id', 't.status', 't.error', 't.params', 't.started_at', 't.finished_at', 'v.name as vm_name'])
        .where('t.parent_task_id', 'in', taskIds)
        .orderBy('t.created_at')
        .orderBy('t.id')
        .execute()
    : [];
  const steps = children.length ? await db.selectFrom('task_steps').selectAll().where('task_id', 'in', children.map((c) => c.id)).orderBy('position').execute() : [];
  const targetIds = [...new Set(children.map((c) => c.params.targetHostId).filter((h): h is string => typeof h === 'string'))];
  const targets = targetIds.length ? await db.selectFrom('hosts').select(['id', 'name']).where('id', 'in', targetIds).execute() : [];
  const byParent = new Map<string, TaskStepRow[]>();
  for (const child of children) {
    const own = steps.filter((s) => s.task_id === child.id);
    const current = own.find((s) => s.state === 'running') ?? own.findLast((s) => s.state === 'failed');
    const progress = own.length ? own.reduce((sum, s) => sum + (s.state === 'done' || s.state === 'skipped' ? 100 : s.state === 'running' ? s.progress : 0), 0) / own.length : 0;
    const list = byParent.get(child.parent_task_id!) ?? [];
    const targetName = targets.find((h) => h.id === child.params.targetHostId)?.name;
    const target = targetName ? ` to ${targetName}` : '';
    list.push({
      task_id: child.parent_task_id!,
      position: list.length,
      name: `Move ${child.vm_name ?? 'a VM'}${target}`,
      state: CHILD_STEP_STATE[child.status] ?? 'pending',
      progress: child.status === 'succeeded' ? 100 : Math.round(progress),
      message: child.status === 'cancelled' ? 'Cancelled' : (child.error ?? (current ? `${current.name}${current.message ? `: ${current.message}` : ''}` : null)),
      started_at: child.started_at,
      finished_at: child.finished_at,
    } as TaskStepRow);
    byParent.set(child.parent_task_id!, list);
  }
  return byParent;
}

/** The tasks each parent queued, oldest first. */
export async function childrenOfTasks(db: Db, taskIds: readonly string[]): Promise<string[][]> {
  const rows = taskIds.length ? await db.selectFrom('tasks').select(['id', 'parent_task_id']).where('parent_task_id', 'in', taskIds).orderBy('created_at').orderBy('id').execute() : [];
  return taskIds.map((id) => rows.filter((r) => r.parent_task_id === id).map((r) => r.id));
}

export async function logsOfTasks(db: Db, taskIds: readonly string[], warningsOnly = false): Promise<TaskLogRow[][]> {
  let query = db.selectFrom('task_log').selectAll().where('task_id', 'in', taskIds);
  if (warningsOnly) query = query.where('warning', '=', true);
  const rows = taskIds.length ? await query.orderBy('id').execute() : [];
  return taskIds.map((id) => rows.filter((r) => r.task_id === id));
}

export interface TaskFilter {
  vmId?: string | null;
  hostId?: string | null;
  userId?: string | null;
  status?: TaskStatus | null;
  from?: Date | null;
  to?: Date | null;
}

/** Newest first (ties by id). */
export const TASK_ORDER = keysetOrder('tasks', 'the task list', [
  { column: 't.created_at', kind: 'timestamp', desc: true },
  { column: 't.id', kind: 'uuid' },
]);

export async function listTasks(db: Db, viewer: Viewer, filter: TaskFilter, page: KeysetPageArgs): Promise<KeysetPage<TaskRow>> {
  let query = db.selectFrom('tasks as t').leftJoin('vms as v', 'v.id', 't.vm_id').selectAll('t');
  if (!seesEveryTask(viewer)) {
    query = query.where((eb) => eb.or([eb('t.user_id', '=', viewer.userId), eb('v.owner_id', '=', viewer.userId)]));
  }
  if (filter.vmId) query = query.where('t.vm_id', '=', filter.vmId);
  if (filter.hostId) query = query.where('t.host_id', '=', filter.hostId);
  if (filter.userId) query = query.where('t.user_id', '=', filter.userId);
  if (filter.status) query = query.where('t.status', '=', filter.status);
  if (filter.from) query = query.where('t.created_at', '>=', filter.from);
  if (filter.to) query = query.where('t.created_at', '<', filter.to);
  return pageByKeyset(query, TASK_ORDER, page);
}

/** Tasks some worker marked running; the caller decides whether that worker is gone. */
export async function runningTasks(db: Db, hostIds: readonly string[]): Promise<TaskRow[]> {
  if (!hostIds.length) return [];
  return db.selectFrom('tasks').selectAll().where('status', '=', 'running').where('host_id', 'in', hostIds).where(sql<boolean>`worker_id is not null`).execute();
}

/** Of the given VMs, those with a task queued or running (whose transitional state the task owns). */
export async function vmsWithOpenTasks(db: Db, vmIds: readonly string[]): Promise<Set<string>> {
  if (!vmIds.length) return new Set();
  const rows = await db.selectFrom('tasks').select('vm_id').distinct().where('vm_id', 'in', vmIds).where('status', 'in', ['queued', 'running']).execute();
  return new Set(rows.map((r) => r.vm_id!));
}
