import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Job, PgBoss } from 'pg-boss';
import type { Db } from '../../db/connection.ts';
import type { HostRow, TaskRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import { runAction } from '../hypervisor/hooks.ts';
import { hypervisorFor } from '../hypervisor/libvirt-hypervisor.ts';
import { listHosts, settingsOf } from '../services/hosts.ts';
import { finishTask, INTERRUPTED, publishTask, runningTasks, TaskRecorder, type StepState } from '../services/tasks.ts';
import { releaseAddress } from '../services/ip-pools.ts';
import { publishVm, setVmState } from '../services/vms.ts';
import { HostMonitor } from './host-monitor.ts';
import { pruneImageCache } from './image-cache.ts';
import { recoverInterruptedImports, serveImageQueue } from './image-import.ts';
import { IMAGE_QUEUE } from '../queue/image-queue.ts';
import { holdLiveness, type Liveness } from './liveness.ts';
import { holdAtStep } from './step-hold.ts';
import { untilWritten } from './transient.ts';
import { KeepVmError, type JobContext } from './operation.ts';
import { OPERATIONS } from './operations.ts';
import { ensureHostQueue, hostQueue, type JobData } from '../queue/queue.ts';
import { STEPS, type OperationName } from '../operations/steps.ts';
import { vmStateOf } from './vm-state.ts';

interface Deps {
  db: Db;
  pubsub: PubSub;
  boss: PgBoss;
  config: Config;
  log: Logger;
  /** Host names to serve; empty: every host, including ones added later. */
  hostNames: string[];
}

/** A pass over a host's cached images that failed is tried again after this long. */
const PRUNE_RETRY_MS = 5 * 60_000;

/** Operations after whose failure the VM has no usable disk or domain: it shows ERROR. */
const MAKES_THE_VM = new Set(['vm.create', 'vm.deploy', 'vm.reinstall']);

/**
 * Takes jobs from the queues of the hosts it serves and runs them, one file per operation, with
 * their steps written as they happen. Watches those hosts too (lifecycle events, reconcile).
 */
export class Worker {
  readonly id = randomUUID();
  private readonly deps: Deps;
  private readonly served = new Map<string, { host: HostRow; monitor: HostMonitor }>();
  private liveness: Liveness | null = null;
  /** When each served host's image cache is next pruned. */
  private readonly prunedAt = new Map<string, number>();
  private pruneTimer: NodeJS.Timeout | null = null;
  private pruning = false;
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
    if (pruneMs) this.pruneTimer = setInterval(() => void this.pruneImageCaches(), Math.min(pruneMs, PRUNE_RETRY_MS));
    this.deps.log.info({ worker: this.id }, 'worker ready');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stop_();
    if (this.timer) clearInterval(this.timer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    for (const { host, monitor } of this.served.values()) {
      monitor.stop();
      await this.deps.boss.offWork(hostQueue(host.id), { wait: true }).catch(() => {});
    }
    await this.deps.boss.offWork(IMAGE_QUEUE, { wait: true }).catch(() => {});
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
      await this.execute(task, taskLog);
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

  private async execute(task: TaskRow, log: Logger): Promise<void> {
    const { db, pubsub } = this.deps;
    const recorder = new TaskRecorder(db, pubsub, task);
    const journal = new TaskJournal(recorder);
    // Written while the VM and host rows are read: the journal keeps it first.
    journal.write(() => recorder.started(this.id));
    // The caller finishes the task when this throws: that must not race the write above.
    const ctx = await this.contextFor(task, journal, log).catch(async (error: unknown) => {
      await journal.flush().catch(() => {});
      throw error;
    });
    if (!ctx) {
      await journal.flush();
      await recorder.finished('failed', 'The VM or its host no longer exists');
      return;
    }
    const operation = OPERATIONS[task.operation as OperationName];
    const params = { taskId: task.id, vmId: ctx.vm.id, vmName: ctx.vm.name, uri: ctx.host.uri, host: ctx.host.name, domainType: ctx.host.domain_type, ...task.params };
    log.info('task started');
    try {
      const { replaced } = await runAction(this.deps.config.hooksDir, operation.name, params, (line) => void ctx.line(line), () => operation.run(ctx));
      if (replaced) this.markStepsDone(journal, task.operation as OperationName, `Done by the ${operation.name} hook`);
      // Every step is on record before the task is: a step write that failed fails the task.
      await journal.flush();
      await untilWritten(() => this.settleVm(ctx, task.operation === 'vm.delete' ? 'deleted' : null), () => this.stopping);
      await untilWritten(() => recorder.finished('succeeded'), () => this.stopping);
      log.info('task succeeded');
    } catch (error) {
      const message = (error as Error).message;
      log.warn({ err: message }, 'task failed');
      const keep = error instanceof KeepVmError;
      if (!keep) await operation.rollback?.(ctx).catch((err: Error) => ctx.line(`rollback failed: ${err.message}`));
      await journal.flush().catch((err: Error) => log.warn({ err: err.message }, 'a task step could not be recorded'));
      await untilWritten(() => recorder.finished('failed', message), () => this.stopping);
      await untilWritten(() => this.settleVm(ctx, !keep && MAKES_THE_VM.has(task.operation) ? 'error' : null, message), () => this.stopping);
    }
  }

  private async contextFor(task: TaskRow, journal: TaskJournal, log: Logger): Promise<JobContext | null> {
    const { db, pubsub, config } = this.deps;
    const [vm, host] = await Promise.all([
      task.vm_id ? db.selectFrom('vms').selectAll().where('id', '=', task.vm_id).executeTakeFirst() : undefined,
      task.host_id ? db.selectFrom('hosts').selectAll().where('id', '=', task.host_id).executeTakeFirst() : undefined,
    ]);
    if (!vm || !host) return null;
    const steps = STEPS[task.operation as OperationName] as readonly string[];
    const positionOf = (name: string) => {
      const position = steps.indexOf(name);
      if (position < 0) throw new Error(`${task.operation} has no step "${name}"`);
      return position;
    };
    return {
      db,
      pubsub,
      config,
      log,
      task,
      vm,
      host,
      settings: settingsOf(host, config),
      virsh: hypervisorFor(host, { timeoutMs: 60_000 }),
      // Step records go to the journal: the host work does not wait for the database.
      async step(name, fn) {
        const position = positionOf(name);
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
    };
  }

  private markStepsDone(journal: TaskJournal, operation: OperationName, message: string): void {
    for (let position = 0; position < STEPS[operation].length; position++) journal.step(position, { state: 'done', progress: 100, message });
  }

  /** After a task, the VM shows what the host really has (or the given final state). */
  private async settleVm(ctx: Pick<JobContext, 'vm' | 'virsh'>, final: 'deleted' | 'error' | null, message: string | null = null): Promise<void> {
    const { db, pubsub } = this.deps;
    let next: { state: Parameters<typeof setVmState>[2]; message: string | null };
    if (final) next = { state: final, message };
    else {
      try {
        next = vmStateOf(await ctx.virsh.domainState(ctx.vm.id));
      } catch (error) {
        next = { state: 'unknown', message: (error as Error).message };
      }
    }
    if (message && !final) next.message = message;
    const changed = await setVmState(db, ctx.vm.id, next.state, next.message);
    if (final === 'deleted') await releaseAddress(db, ctx.vm.id);
    publishVm(pubsub, changed ?? ctx.vm);
  }

  /**
   * Each served host's cached copies nothing needs go, every HANGAR_IMAGE_CACHE_PRUNE_SECONDS (on
   * a timer of its own: a pass reads every volume and domain of the host). A pass that failed is
   * tried again after a few minutes.
   */
  private async pruneImageCaches(): Promise<void> {
    const { db, config, log } = this.deps;
    if (this.pruning) return;
    this.pruning = true;
    try {
      for (const hostId of this.served.keys()) {
        if ((this.prunedAt.get(hostId) ?? 0) > Date.now()) continue;
        // Read again: its pools may have been changed since it was first served.
        const host = await db.selectFrom('hosts').selectAll().where('id', '=', hostId).executeTakeFirst();
        if (!host || host.status !== 'online' || this.stopping) continue;
        try {
          const removed = await pruneImageCache(db, hypervisorFor(host, { timeoutMs: 60_000 }), host.id, settingsOf(host, config).imagePool);
          if (removed.length) log.info({ host: host.name, removed }, 'removed cached copies of images nothing needs');
          this.prunedAt.set(hostId, Date.now() + config.imageCachePruneMs);
        } catch (error) {
          log.warn({ host: host.name, err: (error as Error).message }, 'cached images were not pruned; trying again soon');
          this.prunedAt.set(hostId, Date.now() + Math.min(config.imageCachePruneMs, PRUNE_RETRY_MS));
        }
      }
    } finally {
      this.pruning = false;
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
      await this.liveness!.whileDead(task.worker_id!, () => this.recoverTask(task));
    }
  }

  private async recoverTask(task: TaskRow): Promise<void> {
    const { db, boss, log } = this.deps;
    // Read again under the lock: another worker may have recovered it meanwhile.
    const now = await db.selectFrom('tasks').select(['status', 'worker_id']).where('id', '=', task.id).executeTakeFirst();
    if (now?.status !== 'running' || now.worker_id !== task.worker_id) return;
    log.warn({ taskId: task.id, operation: task.operation, deadWorker: task.worker_id }, 'recovering a task whose worker died');
    const journal = new TaskJournal(new TaskRecorder(db, this.deps.pubsub, task));
    const ctx = await this.contextFor(task, journal, log);
    const operation = OPERATIONS[task.operation as OperationName];
    // Say what really happened on the host: cleaned up, nothing to clean, or cleaning failed.
    let reason = `${INTERRUPTED}; ${operation.rollback ? 'what it had made on the host was removed' : 'nothing needed cleaning up'}`;
    if (ctx && operation.rollback) {
      await operation.rollback(ctx).catch(async (err: Error) => {
        reason = `${INTERRUPTED}; cleaning up on the host failed: ${err.message}`;
        journal.line(`rollback failed: ${err.message}`);
      });
    }
    await journal.flush().catch((err: Error) => log.warn({ err: err.message, taskId: task.id }, 'a task line could not be recorded'));
    await finishTask(db, task.id, 'failed', reason);
    publishTask(this.deps.pubsub, task);
    if (ctx) await this.settleVm(ctx, MAKES_THE_VM.has(task.operation) ? 'error' : null, MAKES_THE_VM.has(task.operation) ? reason : null);
    if (task.job_id) await boss.complete(hostQueue(task.host_id!), task.job_id, { recovered: true }).catch(() => {});
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

type StepChange = { state?: StepState; progress?: number; message?: string | null };
type Entry = { position: number; change: StepChange } | { write: () => Promise<void> };

/**
 * A task's record, written in the order it happens but off the path of the host work: a step
 * runs while the row saying it started is still being written. Progress queued behind progress
 * of the same step merges into one write. flush() waits until all of it is written.
 */
class TaskJournal {
  private readonly recorder: TaskRecorder;
  private readonly queue: Entry[] = [];
  private writing: Promise<void> | null = null;
  private failure: Error | null = null;

  constructor(recorder: TaskRecorder) {
    this.recorder = recorder;
  }

  step(position: number, change: StepChange): void {
    const last = this.queue.at(-1);
    const progressOnly = change.state === undefined;
    if (progressOnly && last && 'position' in last && last.position === position && (last.change.state ?? 'running') === 'running') Object.assign(last.change, change);
    else this.queue.push({ position, change: { ...change } });
    this.pump();
  }

  line(text: string): void {
    this.write(() => this.recorder.log(text));
  }

  write(write: () => Promise<void>): void {
    this.queue.push({ write });
    this.pump();
  }

  /** Waits for every write so far; throws the first that failed. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }

  private pump(): void {
    this.writing ??= (async () => {
      await null; // so that `writing` is set before the loop can end and clear it
      for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) {
        try {
          // A database restart costs a wait, not the task: the write is tried again until it lands.
          await untilWritten(() => ('write' in entry ? entry.write() : this.recorder.step(entry.position, entry.change)));
        } catch (error) {
          this.failure ??= error as Error;
        }
      }
      this.writing = null;
    })();
  }
}
