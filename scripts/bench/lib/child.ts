// Runs a server script in its own Node process (so the load generator never shares its event loop)
// and waits for the one JSON line {"url": …} it prints when listening.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** SIGTERM, then waits for exit (SIGKILL after `timeoutMs`). Safe to call more than once. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startServerProcess(name: string, script: string, env: Record<string, string>, startTimeoutMs = 30_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = (timeoutMs = 15_000) => stopChild(child, exited, timeoutMs);

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name}: no URL within ${startTimeoutMs} ms`)), startTimeoutMs);
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        try {
          const parsed = JSON.parse(line) as { url?: unknown };
          if (typeof parsed.url === 'string') {
            clearTimeout(timer);
            resolve(parsed.url);
            return;
          }
        } catch {
          // not the URL line
        }
        process.stdout.write(`[${name}] ${line}\n`);
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name}: exited before listening (code ${code}, signal ${signal})`));
      });
    });
    return { name, url, pid: child.pid!, stop };
  } catch (error) {
    await stop(5_000);
    throw error;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>, timeoutMs: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  const late = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await exited;
  }
}
