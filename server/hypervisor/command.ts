import { spawn } from 'node:child_process';
import { CommandTimeoutError, DomainNotFoundError, HostUnreachableError, HypervisorError, ToolMissingError } from './errors.ts';
import { checkVirshUri, LibvirtUriError } from './uri.ts';

export interface CommandOptions {
  timeoutMs: number;
  input?: string;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool with an argument array (never a shell) and a timeout; a failure becomes a typed
 * error carrying the tool's own message.
 */
export function runCommand(tool: string, args: string[], options: CommandOptions): Promise<CommandResult> {
  const label = `${tool} ${args.find((a) => !a.startsWith('-') && !a.includes('://')) ?? ''}`.trim();
  // Defence in depth: whichever caller builds the line, virsh never starts with a URI that runs programs.
  if (tool === 'virsh') {
    const problem = virshUriProblem(args);
    if (problem) return Promise.reject(new HypervisorError(problem, label));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env, LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    const settle = settleOnce(resolve, reject, () => clearTimeout(timer));
    const finish = (error: Error | null) => settle(error, { stdout, stderr });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(new CommandTimeoutError(label, options.timeoutMs));
    }, options.timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ENOENT' ? new ToolMissingError(tool) : new HypervisorError(error.message, label)));
    child.on('close', (code) => finish(code === 0 ? null : errorFromStderr(label, stderr, code)));
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/**
 * A child process's outcome settles its promise once: the first of exit, error and timeout wins
 * (a child killed on timeout still closes later), and `stop` (its timer) is cleared then.
 */
export function settleOnce<T>(resolve: (value: T) => void, reject: (error: Error) => void, stop: () => void): (error: Error | null, value: T) => void {
  let settled = false;
  return (error, value) => {
    if (settled) return;
    settled = true;
    stop();
    if (error) reject(error);
    else resolve(value);
  };
}

/** Why virsh must not start with these arguments (its -c URI, required), or null. */
export function virshUriProblem(args: readonly string[]): string | null {
  const at = args.indexOf('-c');
  if (at < 0 || at + 1 >= args.length) return 'virsh runs only with an explicit -c URI';
  try {
    checkVirshUri(args[at + 1]);
    return null;
  } catch (error) {
    if (error instanceof LibvirtUriError) return `Refused libvirt URI: ${error.message}`;
    throw error;
  }
}

/** virsh prints "error: failed to connect…" then "error: <cause>"; keep the cause, typed. */
export function errorFromStderr(label: string, stderr: string, code: number | null): HypervisorError {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^error:\s*/, '').trim())
    .filter(Boolean);
  const unreachable = lines.some((l) => /failed to connect to the hypervisor|Cannot recv data|Connection refused|no connection driver/i.test(l));
  const cause = lines.filter((l) => !/^failed to connect to the hypervisor$/i.test(l)).join(': ') || `exited with code ${code}`;
  if (unreachable) return new HostUnreachableError(`Cannot connect to libvirt: ${cause}`, label);
  if (/Domain not found|failed to get domain/i.test(cause)) return new DomainNotFoundError(cause, label);
  return new HypervisorError(cause, label);
}
