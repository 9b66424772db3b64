// Cancelling a task: a queued one leaves the queue at once (its VM gets back the state it had); a
// running one whose operation can be undone (a deploy, an import) stops before its next step and
// rolls back; a power action that has started finishes.
import type { Transaction } from 'kysely';
import { fromKysely } from 'pg-boss';
import type { Database, ImageRow, TaskRow, VmRow } from '../../db/types.ts';
import { ConflictError, NotFoundError, PermissionError } from '../errors.ts';
import type { Operation } from '../operations/define.ts';
import { cancellableWhileQueued, cancellableWhileRunning, isOperationName, OPERATIONS } from '../operations/registry.ts';
import { IMAGE_QUEUE } from '../queue/image-queue.ts';
import { hostQueue } from '../queue/queue.ts';
import { hasPrivilege, type Viewer } from './auth.ts';
import type { Privilege } from './privileges.ts';
import { actorOf, type ServiceContext } from './context.ts';
import { canManageImage, markImageFailed, publishImage } from './images.ts';
import { canSeeTask, DRAIN_OPERATION, finishTaskIn, publishTask } from './tasks.ts';
import { assertMayActOnVm, canSeeVm } from './vm-authority.ts';

/** What a cancellation changed, announced once its transaction committed. */
export interface Cancellation {
  task: TaskRow & { vm_owner_id: string | null };
  /** The task was running: its worker is told to stop. */
  running: boolean;
  vm: VmRow | null;
  /** The image a queued import was to make: ERROR now. */
  image?: ImageRow;
  reason: string;
  /** A drain's migrations cancelled with it. */
  children?: Cancellation[];
}

/**
 * Cancels the task when the viewer may: the same rights as asking for its operation on its VM
 * (acting on the VM and the operation's privileges) or, for an image's task, on its image.
 */
export async function cancelTask(ctx: ServiceContext, id: string): Promise<Cancellation> {
  const viewer = actorOf(ctx);
  const done = await ctx.db.transaction().execute(async (trx) => {
    const task = await trx.selectFrom('tasks as t').leftJoin('vms as v', 'v.id', 't.vm_id').selectAll('t').select('v.owner_id as vm_owner_id').where('t.id', '=', id).forUpdate('t').executeTakeFirst();
    if (!task || !canSeeTask(viewer, task)) throw new NotFoundError('The task');
    if (task.operation === DRAIN_OPERATION) return cancelDrain(ctx, trx, viewer, task);
    await assertMayCancel(trx, viewer, task);
    return cancelInTransaction(ctx, trx, task, `Cancelled by ${viewer.user.name}`);
  });
  announce(ctx, done);
  return done;
}

const DRAIN_PRIVILEGES: Privilege[] = ['Host.Manage', 'VM.Migrate'];

/**
 * Cancelling a drain cancels the migrations it queued that have not ended (queued ones leave the
 * queue, running ones are aborted and rolled back, each VM staying where it was); the drain ends
 * CANCELLED with the last of them.
 */
async function cancelDrain(ctx: Pick<ServiceContext, 'boss'>, trx: Transaction<Database>, viewer: Viewer, task: TaskRow & { vm_owner_id: string | null }): Promise<Cancellation> {
  const missing = DRAIN_PRIVILEGES.filter((p) => !hasPrivilege(viewer, p));
  if (missing.length) throw new PermissionError(`Cancelling a drain needs ${missing.join(', ')}`);
  if (task.status !== 'running') throw new ConflictError('The task has already finished');
  if (task.cancel_requested_at) throw new ConflictError('The task is already being cancelled');
  const reason = `Cancelled by ${viewer.user.name} with the drain`;
  await trx.updateTable('tasks').set({ cancel_requested_at: new Date() }).where('id', '=', task.id).execute();
  const open = await trx.selectFrom('tasks as t').leftJoin('vms as v', 'v.id', 't.vm_id').selectAll('t').select('v.owner_id as vm_owner_id').where('t.parent_task_id', '=', task.id).where('t.status', 'in', ['queued', 'running']).where('t.cancel_requested_at', 'is', null).orderBy('t.created_at').forUpdate('t').execute();
  const children: Cancellation[] = [];
  for (const child of open) children.push(await cancelInTransaction(ctx, trx, child, reason));
  return { task, running: false, vm: null, reason, children };
}

/** Whether the viewer may cancel the task now (the client's Cancel button). */
export function mayCancel(viewer: Viewer | null, task: TaskRow & { vm_owner_id?: string | null }): boolean {
  if (viewer && task.operation === DRAIN_OPERATION) return task.status === 'running' && !task.cancel_requested_at && DRAIN_PRIVILEGES.every((p) => hasPrivilege(viewer, p));
  if (!viewer || !isOperationName(task.operation)) return false;
  const operation = OPERATIONS[task.operation];
  const now = task.status === 'queued' ? cancellableWhileQueued(operation) : task.status === 'running' && !task.cancel_requested_at && cancellableWhileRunning(operation);
  if (!now) return false;
  if (!operation.privileges.every((p) => hasPrivilege(viewer, p as Privilege))) return false;
  // Acting on the VM (its owner or VM.ManageAll); an image's task: who asked for it or Image.Manage.
  if (task.vm_id) return task.vm_owner_id === viewer.userId || hasPrivilege(viewer, 'VM.ManageAll');
  return task.user_id === viewer.userId || hasPrivilege(viewer, 'Image.Manage');
}

async function assertMayCancel(trx: Transaction<Database>, viewer: Viewer, task: TaskRow): Promise<void> {
  if (!isOperationName(task.operation)) throw new ConflictError(`A ${task.operation} task cannot be cancelled`);
  const operation = OPERATIONS[task.operation];
  if (task.vm_id) {
    const vm = await trx.selectFrom('vms').select('owner_id').where('id', '=', task.vm_id).executeTakeFirst();
    if (vm && !canSeeVm(viewer, vm)) throw new NotFoundError('The task');
    assertMayActOnVm(viewer, vm);
  } else {
    const imageId = typeof task.params.imageId === 'string' ? task.params.imageId : null;
    const image = imageId ? await trx.selectFrom('images').select('owner_id').where('id', '=', imageId).executeTakeFirst() : undefined;
    if (task.user_id !== viewer.userId && !(image && canManageImage(viewer, image))) throw new PermissionError('Only who asked for the task, or an image manager (Image.Manage), may cancel it');
  }
  const missing = operation.privileges.filter((p) => !hasPrivilege(viewer, p as Privilege));
  if (missing.length) throw new PermissionError(`Cancelling a ${operation.name} task needs ${missing.join(', ')}`);
}

/** Cancels the task inside the caller's transaction (the task row locked); announce() after it commits. */
export async function cancelInTransaction(ctx: Pick<ServiceContext, 'boss'>, trx: Transaction<Database>, task: TaskRow & { vm_owner_id: string | null }, reason: string, forDelete = false): Promise<Cancellation> {
  if (!isOperationName(task.operation)) throw new ConflictError(`A ${task.operation} task cannot be cancelled`);
  const operation = OPERATIONS[task.operation];
  if (task.status === 'running') {
    if (!cancellableWhileRunning(operation)) throw new ConflictError(`A ${operation.name} that has started finishes: it cannot be cancelled`);
    if (task.cancel_requested_at) throw new ConflictError('The task is already being cancelled');
    await trx.updateTable('tasks').set({ cancel_requested_at: new Date() }).where('id', '=', task.id).execute();
    return { task, running: true, vm: null, reason };
  }
  if (task.status !== 'queued') throw new ConflictError('The task has already finished');
  // Before a delete, what it asked of the VM's record no longer matters.
  if (!forDelete && !cancellableWhileQueued(operation)) throw new ConflictError(`A ${operation.name} changed the VM's record when it was asked: it cannot be cancelled (ask for another instead)`);
  await finishTaskIn(trx, task.id, 'cancelled', reason);
  // Out of the queue at once: nothing waits behind it (pg-boss runs one VM's jobs in order).
  if (task.job_id) await ctx.boss.deleteJob(task.host_id ? hostQueue(task.host_id) : IMAGE_QUEUE, task.job_id, { db: fromKysely(trx) });
  const vm = !forDelete && task.vm_id ? await restoreVmState(trx, task) : null;
  // An import or capture that never ran leaves its image's row UPLOADING: it says why it will not be made.
  const imageId = (!task.vm_id || task.operation === 'vm.capture') && typeof task.params.imageId === 'string' ? task.params.imageId : null;
  const image = imageId ? await markImageFailed(trx, imageId, `The ${task.operation === 'vm.capture' ? 'capture' : 'import'} was cancelled (${reason})`) : undefined;
  return { task, running: false, vm, reason, ...(image ? { image } : {}) };
}

/**
 * The VM showed the task's transitional state from the moment it was queued: it gets back the state
 * it had then (a VM being made, which has nothing yet, shows ERROR and can be deleted).
 */
async function restoreVmState(trx: Transaction<Database>, task: TaskRow): Promise<VmRow | null> {
  const operation = OPERATIONS[task.operation as keyof typeof OPERATIONS] as Operation;
  if (!operation.during) return null;
  // Another open task of the VM shows its own state (a reboot under way); else the state before.
  const other = await trx.selectFrom('tasks').select('operation').where('vm_id', '=', task.vm_id).where('id', '!=', task.id).where('status', 'in', ['queued', 'running']).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  const otherDuring = other && isOperationName(other.operation) ? (OPERATIONS[other.operation] as Operation).during : undefined;
  // CREATING before: the VM was being made by this task and has nothing yet.
  const before = otherDuring ?? (task.vm_state_before !== 'creating' ? task.vm_state_before : null);
  const next = before ? { state: before, state_message: null } : { state: 'error', state_message: `Its ${operation.action.label.toLowerCase()} was cancelled before it started: delete the VM` };
  return (await trx.updateTable('vms').set({ ...next, updated_at: new Date() }).where('id', '=', task.vm_id!).where('state', '=', operation.during).returningAll().executeTakeFirst()) ?? null;
}

/**
 * A delete makes every earlier task of the VM moot: queued ones are cancelled, running ones that can
 * be undone (its deploy) are asked to stop, so the delete does not wait behind them for minutes.
 */
export async function cancelTasksBeforeDelete(ctx: Pick<ServiceContext, 'boss'>, trx: Transaction<Database>, vmId: string, reason: string): Promise<Cancellation[]> {
  const tasks = await trx.selectFrom('tasks as t').leftJoin('vms as v', 'v.id', 't.vm_id').selectAll('t').select('v.owner_id as vm_owner_id').where('t.vm_id', '=', vmId).where('t.status', 'in', ['queued', 'running']).where('t.cancel_requested_at', 'is', null).forUpdate('t').execute();
  const done: Cancellation[] = [];
  for (const task of tasks) {
    if (!isOperationName(task.operation)) continue;
    if (task.status === 'running' && !cancellableWhileRunning(OPERATIONS[task.operation])) continue;
    done.push(await cancelInTransaction(ctx, trx, task, reason, true));
  }
  return done;
}

/** After the transaction committed: the task's watchers, its worker (when it runs) and the VM's and image's watchers hear of it. */
export function announce(ctx: Pick<ServiceContext, 'pubsub' | 'db'>, cancellation: Cancellation): void {
  if (cancellation.image) void publishImage(ctx.db, ctx.pubsub, cancellation.image).catch(() => {});
  if (cancellation.running) ctx.pubsub.publish('task:cancel', cancellation.task.id, { id: cancellation.task.id, reason: cancellation.reason });
  publishTask(ctx.pubsub, cancellation.task);
  for (const child of cancellation.children ?? []) announce(ctx, child);
  // As vms.ts's publishVm (which imports this file).
  if (cancellation.vm) {
    const event = { id: cancellation.vm.id, ownerId: cancellation.vm.owner_id };
    ctx.pubsub.publish('vm:updated', event.id, event);
    ctx.pubsub.publish('vms:updated', event);
  }
}
