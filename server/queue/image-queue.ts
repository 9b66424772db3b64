import type { Transaction } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { Database } from '../../db/types.ts';
import type { JobData } from './queue.ts';

/** Image work that needs no hypervisor host (imports from a URL): one queue for every worker. */
export const IMAGE_QUEUE = 'images';

export async function ensureImageQueue(boss: PgBoss): Promise<void> {
  if (await boss.getQueue(IMAGE_QUEUE)) return;
  try {
    // Jobs never fail in pg-boss: the task row records the outcome. A download may take hours.
    await boss.createQueue(IMAGE_QUEUE, { policy: 'standard', notify: true, retryLimit: 0, expireInSeconds: 12 * 3600 });
  } catch (error) {
    // Another process made it at the same moment.
    if (!(await boss.getQueue(IMAGE_QUEUE))) throw error;
  }
}

/**
 * Sends the job inside the caller's transaction: it exists exactly when the task does. Call
 * ensureImageQueue first, outside the transaction (on PGlite pg-boss shares Kysely's one session).
 */
export async function enqueueImageJob(boss: PgBoss, trx: Transaction<Database>, data: JobData): Promise<string> {
  const id = await boss.send(IMAGE_QUEUE, data, { db: fromKysely(trx) });
  if (!id) throw new Error(`the job for task ${data.taskId} was not accepted`);
  return id;
}
