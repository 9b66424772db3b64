// The fan-out benchmark's child processes: Node scripts started through bash so they can raise their
// open-file limit to the hard limit (10,000 sockets need 10,000 descriptors on each side), and read
// back from /proc (RSS, CPU time, the limit they got).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface NodeChild {
  name: string;
  child: ChildProcess;
  pid: number;
  /** SIGTERM, then SIGKILL after `timeoutMs`; safe to call more than once. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  execArgv?: string[];
  /** An IPC channel (process.send / 'message'), as fork gives. */
  ipc?: boolean;
  /** Each line the child prints on stdout; default: passed on with the child's name. */
  onLine?: (line: string) => void;
}

// Children still running when the bench process exits (an uncaught error, process.exit in a signal
// handler) are killed then, so a 10,000-socket client never outlives the run.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function spawnNode(name: string, script: string, options: SpawnOptions = {}): NodeChild {
  // `exec` keeps the pid: the one we are given is Node's, not a shell's.
  const child = spawn('bash', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'bash', process.execPath, ...(options.execArgv ?? []), script], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'inherit', ...(options.ipc ? (['ipc'] as const) : [])],
  });
  running.add(child);
  createInterface({ input: child.stdout! }).on('line', options.onLine ?? ((line) => process.stdout.write(`[${name}] ${line}\n`)));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  void exited.then(() => running.delete(child));
  const stop = async (timeoutMs = 15_000) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)))]);
    clearTimeout(timer);
    if (late) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return { name, child, pid: child.pid!, stop };
}

/** A server script that prints {"url": …} once listening (scripts/bench/hangar-server.ts); other lines are passed on. */
export async function startServer(name: string, script: string, options: SpawnOptions, startTimeoutMs = 60_000): Promise<NodeChild & { url: string }> {
  let listening: (url: string) => void = () => {};
  const server = spawnNode(name, script, {
    ...options,
    onLine: (line) => {
      try {
        const parsed = JSON.parse(line) as { url?: unknown };
        if (typeof parsed.url === 'string') return listening(parsed.url);
      } catch {
        // not the URL line
      }
      process.stdout.write(`[${name}] ${line}\n`);
    },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no URL within ${startTimeoutMs} ms`)), startTimeoutMs);
      listening = (url) => {
        clearTimeout(timer);
        resolve(url);
      };
      server.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name}: exited before listening (code ${code}, signal ${signal})`));
      });
    });
    return { ...server, url };
  } catch (error) {
    await server.stop(5_000);
    throw error;
  }
}

/** Resident memory of a process in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** The user and the system (kernel) CPU time a process has used so far, in ms. */
export function cpuMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * TICK_MS, system: Number(fields[12]) * TICK_MS };
}

/** How often a process's main thread has given up its core: waiting (voluntary) or preempted. */
export function contextSwitches(pid: number): { voluntary: number; involuntary: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)$`, 'm').exec(status)?.[1] ?? NaN);
  return { voluntary: field('voluntary_ctxt_switches'), involuntary: field('nonvoluntary_ctxt_switches') };
}

/** The soft limit on open files of a process. */
export function openFileLimit(pid: number): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  if (!match) throw new Error(`no open-file limit for process ${pid}`);
  return match[1] === 'unlimited' ? Infinity : Number(match[1]);
}
