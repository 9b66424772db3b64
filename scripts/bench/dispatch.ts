// Job dispatch latency: from the commit of the transaction that sends a job to the moment a worker's
// handler starts on it, with the pg-boss setup Hangar uses (openQueue, a key_strict_fifo host queue made
// by ensureHostQueue, enqueueInTransaction, and boss.work with the worker's options), on a fresh Postgres
// database. Jobs go one at a time with a small gap, so it measures latency, not backlog.
// Settings: BENCH_DISPATCH_JOBS (250), BENCH_DISPATCH_GAP_MS (15).
import { randomUUID } from 'node:crypto';
import type { Job, PgBoss } from 'pg-boss';
import { openDatabase, type Db } from '../../db/connection.ts';
import { loadConfig } from '../../server/config.ts';
import { enqueueInTransaction, ensureHostQueue, hostQueue, openQueue, type JobData } from '../../server/queue/queue.ts';
import { createLogger } from '../../server/log.ts';
import type { BenchContext } from './lib/context.ts';
import { benchDatabase } from './lib/database.ts';
import { percentile } from './lib/stats.ts';

export const TARGET_P50_MS = 5;
export const TARGET_P99_MS = 20;
// Jobs before the measured ones. A fresh process runs pg, pg-boss and Kysely code for the first
// time: with 10 warm-up jobs, all of a run's jobs over 12 ms came in the first 150 ms of the measured
// ones (fetches waiting on a busy event loop, not on Postgres: no statement took over 8 ms) and p99
// was 18-29 ms; after 100 it is 5-7 ms. A worker is a long-running process.
const WARMUP_JOBS = 100;

function count(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min}, not ${raw}`);
  return value;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function benchDispatch(ctx: BenchContext): Promise<void> {
  const jobs = Math.round(count('BENCH_DISPATCH_JOBS', 250, 200));
  const gapMs = count('BENCH_DISPATCH_GAP_MS', 15, 0);
  const database = await benchDatabase();
  if (database.kind !== 'postgres') throw new Error(`dispatch needs a real Postgres: ${database.description}`);
  ctx.note(`dispatch: ${database.description}; ${jobs} jobs (+${WARMUP_JOBS} warm-up), ${gapMs} ms apart`);

  const config = loadConfig({ ...database.env, LOG_LEVEL: 'silent' });
  const log = createLogger(config.logLevel);
  let db: Db | undefined;
  let boss: PgBoss | undefined;
  try {
    db = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    boss = await openQueue(db, config, log);
    const hostId = randomUUID();
    const queue = hostQueue(hostId);
    await ensureHostQueue(boss, hostId);
    const created = await boss.getQueue(queue);
    ctx.note(`dispatch: queue ${queue} policy ${created?.policy} notify ${created?.notify}`);

    // taskId -> commit time / handler start time (performance.now()).
    const committed = new Map<string, number>();
    const startedAt = new Map<string, number>();
    const waiters = new Map<string, () => void>();
    await boss.work<JobData>(queue, { localConcurrency: config.hostConcurrency, batchSize: 1, pollingIntervalSeconds: 2 }, async (batch: Job<JobData>[]) => {
      const now = performance.now();
      for (const job of batch) {
        startedAt.set(job.data.taskId, now);
        waiters.get(job.data.taskId)?.();
      }
    });

    const send = async (taskId: string) => {
      const handled = new Promise<void>((resolve) => waiters.set(taskId, resolve));
      await db!.transaction().execute((trx) => enqueueInTransaction(boss!, trx, hostId, `vm-${taskId}`, { taskId }));
      committed.set(taskId, performance.now());
      return handled;
    };

    const pending: Promise<void>[] = [];
    for (let i = 0; i < WARMUP_JOBS; i++) {
      pending.push(send(`warm-${i}`));
      await sleep(gapMs);
    }
    const measured: string[] = [];
    for (let i = 0; i < jobs; i++) {
      const taskId = randomUUID();
      measured.push(taskId);
      pending.push(send(taskId));
      await sleep(gapMs);
    }
    const all = Promise.all(pending);
    const timeout = sleep(60_000).then(() => 'timeout' as const);
    if ((await Promise.race([all, timeout])) === 'timeout') throw new Error(`dispatch: only ${startedAt.size} of ${pending.length} jobs reached the handler within 60 s of the last send`);

    // A handler can start before `committed` is recorded (the commit reply and the NOTIFY race); that is a latency of ~0.
    const latencies = measured.map((id) => Math.max(0, startedAt.get(id)! - committed.get(id)!)).sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    ctx.note(
      `dispatch: min ${latencies[0].toFixed(2)} ms, p90 ${percentile(latencies, 90).toFixed(2)} ms, max ${latencies[latencies.length - 1].toFixed(2)} ms; ` +
        `over 100 ms: ${latencies.filter((l) => l > 100).length}/${latencies.length}`,
    );
    ctx.figure('dispatch_p50_ms', p50, 'ms');
    ctx.figure('dispatch_p99_ms', p99, 'ms');
    ctx.note(
      p50 <= TARGET_P50_MS && p99 <= TARGET_P99_MS
        ? `dispatch: target met, p50 ${p50.toFixed(2)} <= ${TARGET_P50_MS} ms, p99 ${p99.toFixed(2)} <= ${TARGET_P99_MS} ms`
        : `dispatch: TARGET MISSED, p50 ${p50.toFixed(2)} ms (target ${TARGET_P50_MS}), p99 ${p99.toFixed(2)} ms (target ${TARGET_P99_MS})`,
    );
  } finally {
    await boss?.stop({ graceful: true, timeout: 5000 }).catch((error: Error) => ctx.note(`dispatch: pg-boss stop failed: ${error.message}`));
    await db?.destroy().catch(() => {});
    await database.drop();
  }
}
