// Tasks left running by a worker that died (a host's or the image queue's): their leftovers are
// rolled back, the task fails with the reason, the VM shows what the operation's failure policy says, and the job is finished so
// the VM's next operations can run.
import type { PgBoss } from 'pg-boss';
import type { TaskRow } from '../../db/types.ts';
import type { Logger } from '../log.ts';
import { OPERATIONS, isImageOperation, type OperationName } from '../operations/registry.ts';
import { IMAGE_QUEUE } from '../queue/image-queue.ts';
import { recoverOperation, type Runnable } from '../operations/run.ts';
import { hostQueue } from '../queue/queue.ts';
import { finishTask, INTERRUPTED, publishTask, TaskRecorder } from '../services/tasks.ts';
import { contextFor, settleVm, type TaskDeps } from './run-task.ts';
import { TaskJournal } from './task-journal.ts';

/** Recovers one task whose worker died; the caller holds the dead worker's lock. */
export async function recoverTask(deps: TaskDeps & { boss: PgBoss; log: Logger }, task: TaskRow): Promise<void> {
  const { db, boss, log } = deps;
  // Read again under the lock: another worker may have recovered it meanwhile.
  const now = await db.selectFrom('tasks').select(['status', 'worker_id']).where('id', '=', task.id).executeTakeFirst();
  if (now?.status !== 'running' || now.worker_id !== task.worker_id) return;
  log.warn({ taskId: task.id, operation: task.operation, deadWorker: task.worker_id }, 'recovering a task whose worker died');
  const journal = new TaskJournal(new TaskRecorder(db, deps.pubsub, task));
  const ctx = await contextFor(deps, task, journal, log).catch((error: Error) => {
    log.warn({ taskId: task.id, err: error.message }, 'the task cannot be rolled back');
    return null;
  });
  const operation = OPERATIONS[task.operation as OperationName];
  // Say what really happened on the host: cleaned up, nothing to clean, or cleaning failed.
  const onImages = !!operation && isImageOperation(operation);
  let reason = `${INTERRUPTED}; ${!operation?.rollback ? 'nothing needed cleaning up' : onImages ? 'what it had made was removed' : 'what it had made on the host was removed'}`;
  let vm: 'error' | 'host' = operation?.failure === 'error' ? 'error' : 'host';
  if (ctx && operation) {
    const recovered = await recoverOperation(operation as Runnable<typeof ctx>, ctx, new Error(INTERRUPTED));
    vm = recovered.vm;
    if (typeof recovered.rollback === 'object') reason = `${INTERRUPTED}; cleaning up on the host failed: ${recovered.rollback.failed.message}`;
  }
  await journal.flush().catch((err: Error) => log.warn({ err: err.message, taskId: task.id }, 'a task line could not be recorded'));
  await finishTask(db, task.id, 'failed', reason);
  publishTask(deps.pubsub, task);
  if (ctx && 'vm' in ctx) await settleVm(deps, ctx, vm === 'error' ? 'error' : null, vm === 'error' ? reason : null);
  if (task.job_id) await boss.complete(onImages ? IMAGE_QUEUE : hostQueue(task.host_id!), task.job_id, { recovered: true }).catch(() => {});
}
