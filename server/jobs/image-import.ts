// The image queue: image operations (imports from a URL) need no hypervisor host, so every worker
// takes them, runs them like a host's tasks (run-task.ts) and recovers those of workers that died.
import type { Job, PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { IMAGE_OPERATION_NAMES } from '../operations/registry.ts';
import { IMAGE_QUEUE, ensureImageQueue } from '../queue/image-queue.ts';
import type { JobData } from '../queue/queue.ts';
import { finishTask } from '../services/tasks.ts';
import { recoverTask } from './recovery.ts';
import { executeTask } from './run-task.ts';
import { untilWritten } from './transient.ts';

export interface ImageQueueDeps {
  db: Db;
  pubsub: PubSub;
  boss: PgBoss;
  config: Config;
  log: Logger;
}

/** Takes image jobs from the `images` queue; `workerId` is the worker's (its liveness lock's) id. */
export async function serveImageQueue(deps: ImageQueueDeps, workerId: string, whenAlive: () => Promise<boolean> = async () => true): Promise<void> {
  await ensureImageQueue(deps.boss);
  await deps.boss.work<JobData>(IMAGE_QUEUE, { localConcurrency: 2, batchSize: 1, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5 }, async (jobs: Job<JobData>[]) => {
    for (const job of jobs) {
      // Without its liveness lock the worker starts nothing (another may be recovering its tasks).
      if (!(await whenAlive())) return;
      await runImageJob(deps, job.data.taskId, workerId);
    }
  });
}

/** Runs one image task to its end. It never throws: the task row records the outcome. */
export async function runImageJob(deps: ImageQueueDeps, taskId: string, workerId: string): Promise<void> {
  const { db, log } = deps;
  const task = await db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
  if (!task || task.status !== 'queued') return;
  const taskLog = log.child({ requestId: task.request_id, taskId: task.id, operation: task.operation });
  try {
    await executeTask(deps, workerId, task, taskLog, () => false);
  } catch (error) {
    taskLog.error({ err: error }, 'task crashed');
    await untilWritten(() => finishTask(db, task.id, 'failed', (error as Error).message)).catch(() => {});
  }
}

/**
 * Image tasks marked running by a worker that is gone (killed or crashed) would stay RUNNING, and
 * their images UPLOADING, for ever: each is recovered like a host's task (its rollback removes the
 * partial download and leaves the image in ERROR), the task fails and its job is finished.
 */
export async function recoverInterruptedImports(deps: ImageQueueDeps, whileDead: (workerId: string, recover: () => Promise<void>) => Promise<boolean>, selfId?: string): Promise<void> {
  const running = await deps.db.selectFrom('tasks').selectAll().where('operation', 'in', IMAGE_OPERATION_NAMES).where('status', '=', 'running').where('worker_id', 'is not', null).execute();
  for (const task of running) {
    if (task.worker_id === selfId) continue;
    // Only once its worker counts as dead, and while its lock is held here (see liveness.ts).
    await whileDead(task.worker_id!, () => recoverTask(deps, task));
  }
}
