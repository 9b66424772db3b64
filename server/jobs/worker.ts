import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Job, PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { HostRow, TaskRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { listHosts, settingsOf } from '../services/hosts.ts';
import { finishTask, runningTasks } from '../services/tasks.ts';
import { CachePruner, PRUNE_RETRY_MS } from './cache-pruning.ts';
import { HostMonitor } from './host-monitor.ts';
import { recoverInterruptedImports, serveImageQueue } from './image-import.ts';
import { IMAGE_QUEUE } from '../queue/image-queue.ts';
import { holdLiveness, type Liveness } from './liveness.ts';
import { recoverTask } from './recovery.ts';
import { scheduleRepositoryRefresh } from './repository-refresh.ts';
import { BACKUP_SCHEDULE_QUEUE, serveBackupSchedules } from './backup-schedules.ts';
import { executeTask } from './run-task.ts';
import { untilWritten } from './transient.ts';
import { ensureHostQueue, hostQueue, type JobData } from '../queue/queue.ts';

interface Deps {
  db: Db;
  pubsub: PubSub;
  boss: PgBoss;
  config: Config;
  log: Logger;
  /** Host names to serve; empty: every host, including ones added later. */
  hostNames: string[];
}

/**
 * Takes jobs from the queues of the hosts it serves and runs them (run-task.ts), with their steps
 * written as they happen. Watches those hosts too (lifecycle events, reconcile), recovers the tasks
 * of workers that died (recovery.ts) and prunes the hosts' image caches (cache-pruning.ts).
 */
export class Worker {
  readonly id = randomUUID();
  private readonly deps: Deps;
  private readonly served = new Map<string, { host: HostRow; monitor: HostMonitor }>();
  private liveness: Liveness | null = null;
  private readonly pruner: CachePruner;
  private pruneTimer: NodeJS.Timeout | null = null;
  private stopRepositoryRefresh: () => void = () => {};
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private ticking = false;
  /** Resolves when stop() is called: a job waiting for the liveness lock gives up. */
  private readonly stopped: Promise<void>;
  private stop_: () => void = () => {};
  /** Tasks this worker is running now. */
  private readonly runningHere = new Set<string>();

  constructor(deps: Deps) {
    this.deps = deps;
    this.pruner = new CachePruner(deps);
    this.stopped = new Promise((resolve) => (this.stop_ = resolve));
  }

  async start(): Promise<void> {
    this.liveness = await holdLiveness(this.deps.db, this.deps.config.databaseUrl, this.id, {
      graceMs: this.deps.config.workerDeathGraceMs,
      log: this.deps.log.child({ worker: this.id }),
      onRegained: () => void this.checkNotTakenOver(),
    });
    await this.serveNewHosts();
    // Image imports run on any worker (they need no host), under this worker's id so that
    // another worker can tell when they were cut off.
    await this.recoverImports();
    await serveImageQueue(this.deps, this.id, () => this.whenAlive());
    // New hosts are picked up, and tasks of workers that died are recovered, on every tick.
    this.timer = setInterval(() => void this.tick(), this.deps.config.reconcileIntervalMs);
    const pruneMs = this.deps.config.imageCachePruneMs;
    if (pruneMs) this.pruneTimer = setInterval(() => void this.pruner.pass(this.served.keys(), () => this.stopping), Math.min(pruneMs, PRUNE_RETRY_MS));
    this.stopRepositoryRefresh = scheduleRepositoryRefresh(this.deps);
    await serveBackupSchedules(this.deps, () => this.whenAlive());
    this.deps.log.info({ worker: this.id }, 'worker ready');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stop_();
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.stopRepositoryRefresh();
    for (const { host, monitor } of this.served.values()) {
      monitor.stop();
      await this.deps.boss.offWork(hostQueue(host.id), { wait: true }).catch(() => {});
    }
    await this.deps.boss.offWork(IMAGE_QUEUE, { wait: true }).catch(() => {});
    await this.deps.boss.offWork(BACKUP_SCHEDULE_QUEUE).catch(() => {});
    await this.liveness?.close();
  }

  /** The monitor of a served host (tests and the API use it to reconcile at once). */
  monitorOf(hostId: string): HostMonitor | undefined {
    return this.served.get(hostId)?.monitor;
  }

  private async tick(): Promise<void> {
    // A slow rollback must not let two passes work on the same task.
    if (this.ticking) return;
    // Without its lock this worker may be taken for dead: it does nothing until it holds it again.
    if (!this.liveness?.holding()) return;
    this.ticking = true;
    try {
      await this.serveNewHosts();
      await this.recoverOrphans();
      await this.recoverImports();
    } catch (error) {
      this.deps.log.error({ err: error }, 'worker tick failed');
    } finally {
      this.ticking = false;
    }
  }

  async serveNewHosts(): Promise<void> {
    const { db, boss, config, log, pubsub } = this.deps;
    const hosts = await listHosts(db, this.deps.hostNames);
    const fresh = hosts.filter((h) => !this.served.has(h.id));
    for (const host of fresh) {
      if (this.stopping) return;
      await ensureHostQueue(boss, host.id);
      const monitor = new HostMonitor(host, { db, pubsub, log, intervalMs: config.reconcileIntervalMs });
      this.served.set(host.id, { host, monitor });
      // Tasks left running by a dead worker are finished before new work on this host starts.
      await this.recoverOrphans([host.id]);
      await boss.work<JobData>(
        hostQueue(host.id),
        { localConcurrency: settingsOf(host, config).concurrency, batchSize: 1, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 5 },
        async (jobs: Job<JobData>[]) => {
          for (const job of jobs) {
            // A worker without its liveness lock starts nothing (another may be recovering its tasks).
            if (!(await this.whenAlive())) return;
            await this.runJob(job);
            // The outcome is on record: the job ends even if the database was away for a while.
            await untilWritten(() => boss.complete(job.name, job.id), () => this.stopping);
            // The VM's next operation became fetchable just now: wake this host's workers (here and in other processes).
            await wakeQueue(db, job.name).catch((err: Error) => log.warn({ err: err.message }, 'the queue was not woken'));
          }
        },
      );
      monitor.start();
      log.info({ host: host.name, worker: this.id }, 'serving host');
    }
    for (const [id, entry] of this.served) {
      if (!hosts.some((h) => h.id === id)) {
        entry.monitor.stop();
        this.served.delete(id);
        await boss.offWork(hostQueue(id)).catch(() => {});
      }
    }
  }

  /** Runs one job to its end. It never throws: the task row records success or failure. */
  private async runJob(job: Job<JobData>): Promise<void> {
    const { db, log } = this.deps;
    const task = await db.selectFrom('tasks').selectAll().where('id', '=', job.data.taskId).executeTakeFirst();
    // A task already finished (recovered after its worker died, say) has nothing left to do.
    if (!task || task.status !== 'queued') return;
    const taskLog = log.child({ requestId: task.request_id, taskId: task.id, operation: task.operation });
    this.runningHere.add(task.id);
    try {
      await executeTask(this.deps, this.id, task, taskLog, () => this.stopping);
    } catch (error) {
      taskLog.error({ err: error }, 'task crashed');
      await untilWritten(() => finishTask(db, task.id, 'failed', (error as Error).message), () => this.stopping).catch(() => {});
    } finally {
      this.runningHere.delete(task.id);
    }
  }

  /** Waits until this worker holds its liveness lock; false when it stops first. */
  private async whenAlive(): Promise<boolean> {
    if (this.liveness?.holding()) return true;
    await Promise.race([this.liveness!.held(), this.stopped]);
    return !this.stopping && this.liveness!.holding();
  }

  /**
   * After the lock came back: if another worker took this one for dead meanwhile (this process was
   * stopped, say, for longer than the grace period while Postgres restarted) and recovered a task
   * it is still running, two workers would act on one VM. This one exits: what it was doing was
   * rolled back.
   */
  private async checkNotTakenOver(): Promise<void> {
    const ids = [...this.runningHere];
    if (!ids.length) return;
    try {
      const taken = await this.deps.db.selectFrom('tasks').select(['id', 'status', 'worker_id']).where('id', 'in', ids).where((eb) => eb.or([eb('status', '!=', 'running'), eb('worker_id', '!=', this.id)])).execute();
      const stillHere = taken.filter((t) => this.runningHere.has(t.id));
      if (!stillHere.length) return;
      this.deps.log.fatal({ worker: this.id, tasks: stillHere.map((t) => t.id) }, 'another worker recovered tasks this worker is still running (it was taken for dead); exiting');
      process.exit(75);
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message }, 'could not check whether this worker was taken for dead');
    }
  }

  private recoverImports(): Promise<void> {
    return recoverInterruptedImports(this.deps, (workerId, recover) => this.liveness!.whileDead(workerId, recover), this.id);
  }

  /**
   * Tasks marked running by a worker that is gone: their leftovers are rolled back, the task
   * fails with the reason, and the job is finished so the VM's next operations can run.
   */
  async recoverOrphans(hostIds = [...this.served.keys()]): Promise<void> {
    const { db } = this.deps;
    if (!this.liveness!.holding()) return;
    for (const task of await runningTasks(db, hostIds)) {
      if (task.worker_id === this.id) continue;
      // Only while the dead worker's lock is held here: it cannot come back in the middle.
      await this.liveness!.whileDead(task.worker_id!, () => recoverTask(this.deps, task));
    }
  }
}

/**
 * The NOTIFY pg-boss itself sends when a job lands on a notify-enabled queue (channel derived from
 * its schema name, see pg-boss's plans.notifyChannelSql): the next job for the same VM was held
 * back by key_strict_fifo and would otherwise wait for the next poll.
 */
async function wakeQueue(db: Db, queue: string): Promise<void> {
  await sql`select pg_notify('pgboss_' || left(encode(sha224('pgboss'::bytea), 'hex'), 24), ${queue})`.execute(db);
}
