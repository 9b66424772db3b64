// Admin hooks: an executable named after a host action (e.g. `vm.start`) in the hooks directory
// replaces the built-in implementation; `pre-<action>` / `post-<action>` run around it.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { settleOnce } from './command.ts';

export class HookFailedError extends Error {
  readonly hook: string;
  /** null when the hook was killed (timeout) or could not be started. */
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(hook: string, exitCode: number | null, stderr: string, reason?: string) {
    super(`hook ${hook} ${reason ?? `exited with code ${exitCode}`}${stderr ? `: ${stderr}` : ''}`);
    this.name = 'HookFailedError';
    this.hook = hook;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

// No slash and no leading dot: a name can only designate a file directly inside the hooks dir.
const HOOK_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const STDERR_KEEP = 2048;
export const DEFAULT_HOOK_TIMEOUT_MS = 10 * 60_000;

/** The path of an executable regular file `name` in hooksDir, or null. Throws on an invalid name. */
export async function findHook(hooksDir: string | undefined, name: string): Promise<string | null> {
  if (!HOOK_NAME.test(name)) throw new Error(`invalid hook name: ${JSON.stringify(name)}`);
  if (!hooksDir) return null;
  const path = join(hooksDir, name);
  try {
    if (!(await stat(path)).isFile()) return null;
    await access(path, constants.X_OK);
    return path;
  } catch {
    return null; // missing dir or file, or not executable
  }
}

/** vmId → HANGAR_VM_ID */
function envName(param: string): string {
  return `HANGAR_${param.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}

/** Runs one hook: params as JSON on stdin and as HANGAR_* env vars, stdout lines to onLine. */
export function runHook(path: string, name: string, params: Record<string, unknown>, onLine: (line: string) => void, timeoutMs: number): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, HANGAR_ACTION: name };
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    env[envName(key)] = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return new Promise((resolve, reject) => {
    // detached: the hook leads its own process group, so a timeout also kills what it spawned.
    const child = spawn(path, [], { stdio: ['pipe', 'pipe', 'pipe'], env, detached: true });
    let stderr = '';
    let pending = '';
    const settle = settleOnce<void>(resolve, reject, () => clearTimeout(timer));
    const finish = (error: Error | null) => settle(error, undefined);
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      finish(new HookFailedError(name, null, stderr.trim(), `gave no answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line.replace(/\r$/, ''));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEEP)));
    child.on('error', (error) => finish(new HookFailedError(name, null, '', `could not start: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (pending) onLine(pending.replace(/\r$/, ''));
      pending = '';
      if (code === 0) finish(null);
      else finish(new HookFailedError(name, code, stderr.trim(), signal ? `was killed by ${signal}` : undefined));
    });
    child.stdin.on('error', () => {}); // a hook that ignores stdin may exit before reading it
    child.stdin.end(JSON.stringify(params));
  });
}

/** pre-<action>, then the <action> hook instead of builtIn when present, then post-<action>. */
export async function runAction(
  hooksDir: string | undefined,
  action: string,
  params: Record<string, unknown>,
  onLine: (line: string) => void,
  builtIn: () => Promise<void>,
  timeoutMs = DEFAULT_HOOK_TIMEOUT_MS,
): Promise<{ replaced: boolean }> {
  const [pre, main, post] = await Promise.all([findHook(hooksDir, `pre-${action}`), findHook(hooksDir, action), findHook(hooksDir, `post-${action}`)]);
  if (pre) await runHook(pre, `pre-${action}`, params, onLine, timeoutMs);
  if (main) await runHook(main, action, params, onLine, timeoutMs);
  else await builtIn();
  if (post) await runHook(post, `post-${action}`, params, onLine, timeoutMs);
  return { replaced: main !== null };
}
