// What the fault tests share: `hangar worker` as separate processes (killed, stopped, restarted
// by the test), and probes of tasks and of what is left on libvirt.
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestHangar } from './hangar.ts';
import { rawId, virsh } from './libvirt.ts';

/** A raw task id from a raw or a global (GraphQL) one. */
const taskIdOf = (id: string) => (/^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? id : rawId(id));

const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

export interface WorkerProcess {
  child: ChildProcess;
  logs: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every worker process started here, so that `stopWorkers`/`killWorkers` reach them all. */
export const workerProcesses: WorkerProcess[] = [];

/**
 * `hangar worker` as its own process, with the test Hangar's settings (database, Redis, image
 * store) and its log lines kept for a failure report. Ticks every second; a worker whose lock is
 * free counts as dead after 2 s (HANGAR_WORKER_DEATH_GRACE_SECONDS), unless env says otherwise.
 */
export function startWorker(t: TestHangar, env: Record<string, string> = {}): WorkerProcess {
  const fullEnv = {
    ...process.env,
    ...t.env,
    HANGAR_HOOKS_DIR: join(tmpdir(), 'hangar-no-hooks'),
    HANGAR_RECONCILE_SECONDS: '1',
    HANGAR_WORKER_DEATH_GRACE_SECONDS: '2',
    LOG_LEVEL: 'info',
    ...env,
  };
  const child = spawn(process.execPath, [MAIN, 'worker'], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const keep = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const worker = { child, logs, exited };
  workerProcesses.push(worker);
  return worker;
}

export function isRunning(worker: WorkerProcess): boolean {
  return worker.child.exitCode === null && worker.child.signalCode === null;
}

/** Throws (with the worker's log) when the worker has exited. */
export function alive(worker: WorkerProcess): void {
  if (!isRunning(worker)) throw new Error(`the worker exited (${worker.child.exitCode ?? worker.child.signalCode}):\n${worker.logs.join('\n')}`);
}

export async function kill(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!isRunning(worker)) return;
  worker.child.kill(signal);
  await worker.exited;
}

/** Stops the workers still running (SIGCONT first, for stopped ones), so the next one is alone. */
export async function stopWorkers(): Promise<void> {
  for (const worker of workerProcesses) {
    if (!isRunning(worker)) continue;
    worker.child.kill('SIGCONT');
    worker.child.kill('SIGTERM');
    const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10_000);
    await worker.exited;
    clearTimeout(timer);
  }
}

export async function killWorkers(): Promise<void> {
  for (const worker of workerProcesses) await kill(worker);
}

/** Prints the workers' logs (on a failure). */
export function dumpWorkerLogs(): void {
  workerProcesses.forEach((worker, i) => console.error(`--- worker ${i} (pid ${worker.child.pid}) log ---\n${worker.logs.join('\n')}`));
}

/** Log lines of a worker that say it recovered something. */
export function recoveries(worker: WorkerProcess): string[] {
  return worker.logs.filter((line) => /recovering (a task|an import) whose worker died/.test(line));
}

/** Tasks of the database still queued or running (should be none when a case ends). */
export async function unfinishedTasks(t: TestHangar): Promise<Array<{ id: string; operation: string; status: string }>> {
  return t.hangar.db.selectFrom('tasks').select(['id', 'operation', 'status']).where('status', 'in', ['queued', 'running']).execute();
}

/** The domains and the disk-pool volumes libvirt has for a VM id. */
export async function leftoversOf(vmId: string, pool = 'hangar-disks'): Promise<{ domain: boolean; volumes: string[] }> {
  const domain = await virsh('domstate', vmId).then(
    () => true,
    () => false,
  );
  await virsh('pool-refresh', pool).catch(() => {});
  const volumes = (await virsh('vol-list', '--pool', pool).catch(() => ''))
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name) => name?.startsWith(vmId));
  return { domain, volumes };
}

/** The state of a task's step (position from 1), straight from the database. */
export async function stepState(t: TestHangar, taskId: string, step: number): Promise<string | undefined> {
  const row = await t.hangar.db.selectFrom('task_steps').select('state').where('task_id', '=', taskIdOf(taskId)).where('position', '=', step - 1).executeTakeFirst();
  return row?.state;
}

export async function taskRow(t: TestHangar, taskId: string) {
  return t.hangar.db.selectFrom('tasks').selectAll().where('id', '=', taskIdOf(taskId)).executeTakeFirstOrThrow();
}

/**
 * Step holds (HANGAR_TEST_STEP_HOLD_DIR, see server/jobs/step-hold.ts): a worker that starts step
 * `step` of `operation` waits while the hold is there.
 */
export async function hold(dir: string, operation: string, step: number): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, `${operation}.${step}`), '');
}

export async function release(dir: string, operation: string, step: number): Promise<void> {
  const { rm } = await import('node:fs/promises');
  await rm(join(dir, `${operation}.${step}`), { force: true });
}

/** The worker id a `hangar worker` process logged when it began serving. */
export function workerIdOf(worker: WorkerProcess): string | undefined {
  for (const line of worker.logs) {
    if (!line.includes('serving host')) continue;
    try {
      return JSON.parse(line).worker;
    } catch {}
  }
  return undefined;
}
