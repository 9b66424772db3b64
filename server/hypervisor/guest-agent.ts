// The QEMU guest agent inside a VM, reached through libvirt (`virsh qemu-agent-command`), so it works
// for remote hosts too. Commands are JSON built from objects; user text only ever travels as values.
import { HypervisorError } from './errors.ts';
import type { VirshRunner } from './virsh-runner.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** libvirt's ways of saying "nobody is answering right now" (not installed yet, still booting, VM off). */
const NOT_ANSWERING = /guest agent is not responding|guest agent is not connected|guest agent not available|guest agent is not configured|domain is not running|agent command timed out|Guest agent disappeared/i;
/** Seconds libvirt waits for one agent reply. */
const AGENT_TIMEOUT_S = 5;
const READ_CHUNK = 1024 * 1024;
const READ_LIMIT = 16 * 1024 * 1024;

export class GuestAgentTimeoutError extends HypervisorError {
  constructor(message: string) {
    super(message, 'qemu-agent-command');
    this.name = 'GuestAgentTimeoutError';
  }
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export class GuestAgent {
  readonly virsh: Pick<VirshRunner, 'run'>;
  readonly vmId: string;

  constructor(virsh: Pick<VirshRunner, 'run'>, vmId: string) {
    // A UUID can never be taken by virsh for an option or for another domain's name.
    if (!UUID.test(vmId)) throw new HypervisorError(`invalid VM id: ${JSON.stringify(vmId)}`, 'qemu-agent-command');
    this.virsh = virsh;
    this.vmId = vmId;
  }

  /** One agent command; returns its "return" value. */
  async command<T = unknown>(execute: string, args?: Record<string, unknown>): Promise<T> {
    const json = JSON.stringify(args === undefined ? { execute } : { execute, arguments: args });
    const { stdout } = await this.virsh.run(['qemu-agent-command', '--domain', this.vmId, '--timeout', String(AGENT_TIMEOUT_S), '--cmd', json]);
    return (JSON.parse(stdout) as { return: T }).return;
  }

  /** false while the agent does not answer (not installed, still booting, VM not running). */
  async ping(): Promise<boolean> {
    try {
      await this.command('guest-ping');
      return true;
    } catch (error) {
      if (error instanceof Error && NOT_ANSWERING.test(error.message)) return false;
      throw error;
    }
  }

  async waitUntilReady(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      signal?.throwIfAborted();
      if (await this.ping()) return;
      if (Date.now() >= deadline) {
        throw new GuestAgentTimeoutError(`The guest agent of VM ${this.vmId} did not answer within ${Math.round(timeoutMs / 1000)} s: is qemu-guest-agent installed and running in the guest?`);
      }
      await sleep(Math.min(1000, Math.max(0, deadline - Date.now())), signal);
    }
  }

  /** Runs path with args in the guest (no shell), feeding input on stdin; waits for it to end. */
  async exec(path: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const { pid } = await this.command<{ pid: number }>('guest-exec', {
      path,
      arg: args,
      'capture-output': true,
      ...(options.input !== undefined ? { 'input-data': Buffer.from(options.input, 'utf8').toString('base64') } : {}),
    });
    const deadline = Date.now() + timeoutMs;
    let wait = 100;
    for (;;) {
      const status = await this.command<{ exited: boolean; exitcode?: number; signal?: number; 'out-data'?: string; 'err-data'?: string }>('guest-exec-status', { pid });
      if (status.exited) {
        const decode = (b64?: string) => (b64 ? Buffer.from(b64, 'base64').toString('utf8') : '');
        // Killed by a signal: report it the way a shell does.
        const exitCode = status.exitcode ?? (status.signal !== undefined ? 128 + status.signal : -1);
        return { exitCode, stdout: decode(status['out-data']), stderr: decode(status['err-data']) };
      }
      if (Date.now() >= deadline) {
        throw new GuestAgentTimeoutError(`${path} (pid ${pid}) was still running in VM ${this.vmId} after ${Math.round(timeoutMs / 1000)} s`);
      }
      await sleep(wait);
      wait = Math.min(wait * 2, 1000);
    }
  }

  /** Sets the password from a crypt(3) hash (see hashPassword): the plain password never enters the guest. */
  async setUserPassword(user: string, passwordHash: string): Promise<void> {
    // The agent expects the (hashed) password base64-encoded.
    await this.command('guest-set-user-password', { username: user, password: Buffer.from(passwordHash, 'utf8').toString('base64'), crypted: true });
  }

  /** A text file of the guest, up to 16 MiB. */
  async readFile(path: string): Promise<string> {
    const handle = await this.command<number>('guest-file-open', { path, mode: 'r' });
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const { 'buf-b64': b64, eof } = await this.command<{ count: number; 'buf-b64': string; eof: boolean }>('guest-file-read', { handle, count: READ_CHUNK });
        const chunk = Buffer.from(b64, 'base64');
        chunks.push(chunk);
        total += chunk.length;
        if (total > READ_LIMIT) throw new HypervisorError(`${path} in VM ${this.vmId} is larger than ${READ_LIMIT / 1024 / 1024} MiB`, 'guest-file-read');
        if (eof || chunk.length === 0) break;
      }
      return Buffer.concat(chunks).toString('utf8');
    } finally {
      // The agent keeps a handle open until told otherwise; a failed close must not hide the result.
      await this.command('guest-file-close', { handle }).catch(() => {});
    }
  }
}
