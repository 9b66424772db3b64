// Backup schedules on the job queue: pg-boss sends one job per occurrence (its clock runs in the
// worker processes) and any worker runs it (services/backup-schedules.ts). A run lasts as long as
// its backups do; runs of different schedules go on side by side.
import type { Job, PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { BACKUP_SCHEDULE_QUEUE, ensureScheduleQueue, runBackupSchedule, type ScheduleJob } from '../services/backup-schedules.ts';

export { BACKUP_SCHEDULE_QUEUE };

export async function serveBackupSchedules(deps: { db: Db; boss: PgBoss; pubsub: PubSub; config: Config; log: Logger }, whenAlive: () => Promise<boolean>): Promise<void> {
  const { boss, log } = deps;
  await ensureScheduleQueue(boss);
  await boss.work<ScheduleJob>(BACKUP_SCHEDULE_QUEUE, { localConcurrency: 4, batchSize: 1, pollingIntervalSeconds: 2 }, async (jobs: Job<ScheduleJob>[]) => {
    for (const job of jobs) {
      if (!(await whenAlive())) return;
      try {
        const run = await runBackupSchedule(deps, job.data);
        if (run) log.info({ schedule: job.data.scheduleId, skipped: run.skipped, vms: run.vms.length, pruned: run.pruned.length }, 'backup schedule ran');
      } catch (error) {
        // A run that failed is not retried: the next occurrence comes.
        log.error({ schedule: job.data.scheduleId, err: (error as Error).message }, 'backup schedule run failed');
      }
    }
  });
}
