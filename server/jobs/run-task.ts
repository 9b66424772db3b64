// Running one task of a host's queue: the context its operation gets (rows, hypervisor, checked
// parameters, steps recorded through the journal), the operation or its hook, the failure policy,
// and the VM's state afterwards.
import type { Db } from '../../db/connection.ts';
import type { TaskRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { runAction } from '../hypervisor/hooks.ts';
import { hypervisorFor } from '../hypervisor/libvirt-hypervisor.ts';
import { throwIfCancelled, type ImageOperation, type Operation, type OperationContext, type TaskContext, type VmState } from '../operations/define.ts';
import { OPERATIONS, isImageOperation, isOperationName } from '../operations/registry.ts';
import { runOperation, type Runnable } from '../operations/run.ts';
import { settingsOf } from '../services/hosts.ts';
import { releaseAddress } from '../services/ip-pools.ts';
import { TaskRecorder } from '../services/tasks.ts';
import { publishVm, setVmState } from '../services/vms.ts';
import { operationServices } from './operation-services.ts';
import { holdAtStep } from './step-hold.ts';
import { TaskJournal } from './task-journal.ts';
import { untilWritten } from './transient.ts';
import { vmStateOf } from './vm-state.ts';

export interface TaskDeps {
  db: Db;
  pubsub: PubSub;
  config: Config;
}

/** Runs the task to its end, recording each step; throws only when its outcome could not be written. */
export async function executeTask(deps: TaskDeps, workerId: string, task: TaskRow, log: Logger, stopping: () => boolean): Promise<void> {
  const recorder = new TaskRecorder(deps.db, deps.pubsub, task);
  const journal = new TaskJournal(recorder);
  const cancel = new AbortController();
  const listening = listenForCancel(deps.db, deps.pubsub, task.id, cancel);
  try {
    // Claimed while the VM and host rows are read; a task cancelled while queued is not run.
    // Retried through a database restart, as the journal's writes are.
    const claiming = untilWritten(() => recorder.started(workerId), stopping);
    const ctx = await contextFor(deps, task, journal, log, cancel.signal).catch(async (error: unknown) => {
      await claiming.catch(() => {});
      throw error;
    });
    const claim = await claiming;
    if (!claim) {
      log.info('task no longer queued (cancelled): not run');
      return;
    }
    if (claim.cancelRequested) cancel.abort(CANCELLED);
    if (!ctx) {
      await recorder.finished('failed', 'The VM or its host no longer exists');
      return;
    }
    await runToEnd(deps, task, ctx, journal, recorder, log, stopping);
  } finally {
    listening.stop();
  }
}

const CANCELLED = 'The task was cancelled';

const CANCEL_POLL_MS = 2000;

/**
 * Aborts the run when cancelTask asks, until stopped: at once through pubsub (from any process),
 * and from the record within CANCEL_POLL_MS (a message may be lost while Redis is away). Steps
 * never wait for either: the host work does not wait for the database.
 */
function listenForCancel(db: Db, pubsub: PubSub, taskId: string, cancel: AbortController): { stop(): void } {
  const events = pubsub.subscribe('task:cancel', taskId);
  void (async () => {
    for await (const event of events) cancel.abort(event.reason || CANCELLED);
  })().catch(() => {});
  const poll = setInterval(() => {
    void db
      .selectFrom('tasks')
      .select('cancel_requested_at')
      .where('id', '=', taskId)
      .executeTakeFirst()
      .then((row) => row?.cancel_requested_at && cancel.abort(CANCELLED), () => {});
  }, CANCEL_POLL_MS);
  return {
    stop: () => {
      clearInterval(poll);
      void events.return?.(undefined);
    },
  };
}

async function runToEnd(deps: TaskDeps, task: TaskRow, ctx: TaskContext | OperationContext, journal: TaskJournal, recorder: TaskRecorder, log: Logger, stopping: () => boolean): Promise<void> {
  const operation = OPERATIONS[task.operation as keyof typeof OPERATIONS];
  const vmCtx = 'vm' in ctx ? ctx : null;
  const vmOperation = 'hookParams' in operation || 'afterHook' in operation ? (operation as Operation) : null;
  log.info('task started');
  let replaced = false;
  const failure = await runOperation(operation as Runnable<TaskContext>, ctx, async () => {
    const own = vmCtx && vmOperation?.hookParams ? await vmOperation.hookParams(vmCtx) : {};
    const hookParams = vmCtx ? { taskId: task.id, vmId: vmCtx.vm.id, vmName: vmCtx.vm.name, uri: vmCtx.host.uri, host: vmCtx.host.name, domainType: vmCtx.host.domain_type, ...task.params, ...own } : { taskId: task.id, ...task.params };
    ({ replaced } = await runAction(deps.config.hooksDir, operation.name, hookParams, (line) => void ctx.line(line), () => operation.run(ctx as never)));
    if (replaced && vmCtx && vmOperation?.afterHook) await vmOperation.afterHook(vmCtx);
  });
  if (!failure) {
    if (replaced) for (let position = 0; position < operation.steps.length; position++) journal.step(position, { state: 'done', progress: 100, message: `Done by the ${operation.name} hook` });
    // Every step is on record before the task is: a step write that failed fails the task.
    await journal.flush();
    if (vmCtx) await untilWritten(() => settleVm(deps, vmCtx, task.operation === 'vm.delete' ? 'deleted' : null), stopping);
    await untilWritten(() => recorder.finished('succeeded'), stopping);
    log.info('task succeeded');
    return;
  }
  const message = failure.error.message;
  if (failure.cancelled) log.info({ reason: message }, 'task cancelled');
  else log.warn({ err: message }, 'task failed');
  await journal.flush().catch((err: Error) => log.warn({ err: err.message }, 'a task step could not be recorded'));
  await untilWritten(() => recorder.finished(failure.cancelled ? 'cancelled' : 'failed', message), stopping);
  // A VM whose making was cancelled has nothing left on its host: the user deletes it.
  const vmMessage = failure.cancelled && failure.vm === 'error' ? `${message}: what was made was removed; delete the VM` : message;
  if (vmCtx) await untilWritten(() => settleVm(deps, vmCtx, failure.vm === 'error' ? 'error' : null, vmMessage), stopping);
}

/** The context an operation runs in (a VM operation's with its VM, host and hypervisor); null when its VM or host is gone. */
export async function contextFor(deps: TaskDeps, task: TaskRow, journal: TaskJournal, log: Logger, signal: AbortSignal = new AbortController().signal): Promise<TaskContext | OperationContext | null> {
  const { db, pubsub, config } = deps;
  if (!isOperationName(task.operation)) throw new Error(`Unknown operation ${task.operation}`);
  const operation = OPERATIONS[task.operation];
  const steps = operation.steps as readonly string[];
  const positionOf = (name: string) => {
    const position = steps.indexOf(name);
    if (position < 0) throw new Error(`${task.operation} has no step "${name}"`);
    return position;
  };
  const parsed = operation.params.safeParse(task.params);
  if (!parsed.success) throw new Error(`The task's parameters do not fit ${task.operation}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const base: TaskContext = {
    db,
    pubsub,
    config,
    log,
    task,
    services: operationServices(db, pubsub, config),
    params: parsed.data as Record<string, unknown>,
    signal,
    // Step records go to the journal: the host work does not wait for the database.
    async step(name, fn) {
      const position = positionOf(name);
      // A cancelled task starts no further step.
      throwIfCancelled(signal);
      journal.step(position, { state: 'running', progress: 0 });
      if (config.testStepHoldDir) {
        await journal.flush().catch(() => {});
        await holdAtStep(config.testStepHoldDir, task.operation, position);
      }
      try {
        const result = await fn(async (percent, message) => journal.step(position, { progress: percent, ...(message !== undefined ? { message } : {}) }));
        journal.step(position, { state: 'done', progress: 100 });
        return result;
      } catch (error) {
        journal.step(position, { state: 'failed', message: (error as Error).message });
        throw error;
      }
    },
    skip: async (name, reason) => journal.step(positionOf(name), { state: 'skipped', message: reason }),
    line: async (text) => journal.line(text),
    warn: async (text) => journal.line(text, true),
  };
  if (isImageOperation(operation)) return base;
  const [vm, host] = await Promise.all([
    task.vm_id ? db.selectFrom('vms').selectAll().where('id', '=', task.vm_id).executeTakeFirst() : undefined,
    task.host_id ? db.selectFrom('hosts').selectAll().where('id', '=', task.host_id).executeTakeFirst() : undefined,
  ]);
  if (!vm || !host) return null;
  return { ...base, vm, host, settings: settingsOf(host, config), hypervisor: hypervisorFor(host, { timeoutMs: 60_000 }) };
}

/** The transitional state of the VM's next queued task (it set it when it was queued), or null. */
async function nextQueuedState(db: Db, vmId: string): Promise<VmState | null> {
  const next = await db.selectFrom('tasks').select('operation').where('vm_id', '=', vmId).where('status', '=', 'queued').orderBy('created_at').limit(1).executeTakeFirst();
  const operation = next && isOperationName(next.operation) ? (OPERATIONS[next.operation] as Operation | ImageOperation) : null;
  return operation && !isImageOperation(operation) ? (operation.during ?? null) : null;
}

/** After a task, the VM shows what the host really has (or the given final state, or what the next queued task shows). */
export async function settleVm(deps: Pick<TaskDeps, 'db' | 'pubsub'>, ctx: Pick<OperationContext, 'vm' | 'hypervisor'>, final: 'deleted' | 'error' | null, message: string | null = null): Promise<void> {
  const { db, pubsub } = deps;
  let next: { state: Parameters<typeof setVmState>[2]; message: string | null };
  const following = final ? null : await nextQueuedState(db, ctx.vm.id);
  if (final) next = { state: final, message };
  // The next task already queued (a power-off after a reboot) shows its state until it ends.
  else if (following) next = { state: following, message: null };
  else {
    try {
      // A migration moves the VM: its state is read where it is now.
      const now = await db.selectFrom('vms').innerJoin('hosts', 'hosts.id', 'vms.host_id').select(['hosts.id', 'hosts.uri']).where('vms.id', '=', ctx.vm.id).executeTakeFirst();
      const hypervisor = now && now.id !== ctx.vm.host_id ? hypervisorFor(now) : ctx.hypervisor;
      next = vmStateOf(await hypervisor.domainState(ctx.vm.id));
    } catch (error) {
      next = { state: 'unknown', message: (error as Error).message };
    }
  }
  if (message && !final) next.message = message;
  // A delete asked meanwhile (it cancelled this task, say) keeps the VM DELETING until it runs.
  const changed = await setVmState(db, ctx.vm.id, next.state, next.message, undefined, final === 'deleted' ? undefined : 'deleting');
  if (final === 'deleted') await releaseAddress(db, ctx.vm.id);
  publishVm(pubsub, changed ?? ctx.vm);
}
