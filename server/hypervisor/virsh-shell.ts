// Long-lived `virsh` shells, a few per libvirt URI: a command costs a round trip to libvirtd
// instead of a process start plus a connection (~15 ms idle, far more on a loaded host).
// Each shell runs one command at a time; its output is framed by `echo` sentinels on stdout and
// stderr. Whatever cannot go through a shell (busy pool, odd characters, a shell that cannot
// start) returns null, and the caller runs a one-shot `virsh` as before.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { errorFromStderr, virshUriProblem, type CommandResult } from './command.ts';
import { CommandTimeoutError, HypervisorError } from './errors.ts';

const MAX_SHELLS_PER_URI = 4;
const IDLE_CLOSE_MS = 30_000;
/** A busy shell is still replaced now and then (a fresh connection, a fresh process). */
const MAX_AGE_MS = 10 * 60_000;
/** After a shell could not start (host down, bad URI), one-shot processes for a while: they fail just as fast. */
const START_BACKOFF_MS = 5_000;
/** readline re-draws lines longer than the terminal is wide; COLUMNS keeps it from wrapping ours. */
const MAX_LINE = 64 * 1024;
/** Commands that would change the shared shell (its connection, directory), wait on a terminal or an editor, or never end. */
const ONE_SHOT_ONLY = /^(connect|cd|quit|exit|console|.*edit|.*event)$/;
/** The connection under the shell failed: the command did not run (or its fate is unknown). */
const CONNECTION_LOST = /failed to (re)?connect to the hypervisor|no valid connection|Cannot recv data|Cannot write data|client socket is closed|End of file while reading data|Broken pipe|Connection reset by peer/i;
/**
 * What virsh says when its connection dropped while idle and when the next command reconnected:
 * news, not a failure of that command (which says so itself if it failed).
 */
const RECONNECT_NEWS = /^error: (Disconnected from .* due to .*|Reconnected to the hypervisor)$/;

/** An unquoted word for virsh's command parser, or the argument single-quoted (virsh reads quotes like a shell). */
function quote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The line typed into the shell, or null when readline could mangle it (control or non-ASCII characters, very long). */
function commandLine(args: string[]): string | null {
  if (args.length === 0 || ONE_SHOT_ONLY.test(args[0]) || args.some((a) => !/^[\x20-\x7e]*$/.test(a))) return null;
  const line = args.map(quote).join(' ');
  return line.length <= MAX_LINE ? line : null;
}

interface Frame {
  token: string;
  /** The typed line; null for the start-up frame. */
  line: string | null;
  label: string;
  resolve(result: CommandResult | null): void;
  reject(error: HypervisorError): void;
  timer: NodeJS.Timeout | null;
}

/** One `virsh -c URI` reading commands from its stdin. */
class VirshShell {
  readonly child: ChildProcessWithoutNullStreams;
  busy = false;
  dead = false;
  private out = '';
  private err = '';
  private readonly frames: Frame[] = [];
  private readonly prefix = randomBytes(6).toString('hex');
  private count = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly onDead: (shell: VirshShell, started: boolean) => void;
  private readonly born = Date.now();
  private started = false;
  /** What virsh prints before reading each line ("virsh # "), learnt from the start-up frame. */
  private prompt: string | null = null;

  constructor(uri: string, onDead: (shell: VirshShell, started: boolean) => void) {
    this.onDead = onDead;
    // TERM=dumb and a huge COLUMNS: readline echoes each line exactly; no history file is written
    // (a guest password can travel in a qemu-agent-command line).
    this.child = spawn('virsh', ['--quiet', '-c', uri], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', TERM: 'dumb', COLUMNS: '1000000', INPUTRC: '/dev/null', XDG_CACHE_HOME: '/dev/null' },
    });
    // An idle shell must not keep the process alive; a pending command's timer does.
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.out += chunk;
      this.drain();
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.err += chunk;
      this.drain();
    });
    this.child.stdin.on('error', () => this.kill());
    this.child.on('error', () => this.kill());
    // exit: a helper it started (ssh for qemu+ssh://) may hold the pipes open past virsh itself.
    this.child.on('exit', () => this.kill());
    this.child.on('close', () => this.kill());
    // The start-up frame soaks up what virsh says while connecting; it fails if virsh exits.
    this.send(null, 'virsh', 0, (result) => {
      if (result) this.started = true;
    }, () => {});
  }

  /** Runs one command; null when the shell died before answering (the caller goes one-shot). */
  run(line: string, label: string, timeoutMs: number): Promise<CommandResult | null> {
    this.busy = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    return new Promise<CommandResult | null>((resolve, reject) => this.send(line, label, timeoutMs, resolve, reject)).finally(() => {
      this.busy = false;
      if (this.dead) return;
      if (Date.now() - this.born > MAX_AGE_MS) this.close();
      else this.idleTimer = setTimeout(() => this.close(), IDLE_CLOSE_MS).unref();
    });
  }

  private send(line: string | null, label: string, timeoutMs: number, resolve: Frame['resolve'], reject: Frame['reject']): void {
    const token = `hangar-${this.prefix}-${this.count++}`;
    const frame: Frame = { token, line, label, resolve, reject, timer: null };
    if (timeoutMs > 0) {
      frame.timer = setTimeout(() => {
        // Like a one-shot virsh killed on timeout: libvirtd may still finish the call.
        this.frames.splice(this.frames.indexOf(frame), 1);
        reject(new CommandTimeoutError(label, timeoutMs));
        this.kill();
      }, timeoutMs);
    }
    this.frames.push(frame);
    this.child.stdin.write(`${line === null ? '' : `${line}\n`}echo --err ${token}\necho ${token}\n`);
  }

  /** Completes the frames whose sentinels arrived on both streams, in order. */
  private drain(): void {
    while (this.frames.length) {
      const frame = this.frames[0];
      if (this.prompt === null) {
        const first = this.out.indexOf(`echo --err ${frame.token}\n`);
        if (first < 0) return;
        this.prompt = this.out.slice(0, first);
        // Anything but a short prompt before our first line: this virsh talks in a way we do not parse.
        if (!/^[^\n]{1,16}$/.test(this.prompt)) return this.kill();
      }
      const prompt = this.prompt;
      const outEnd = `${prompt}echo --err ${frame.token}\n${prompt}echo ${frame.token}\n${frame.token}`;
      const errEnd = `error: ${frame.token}\n`;
      const o = this.out.indexOf(outEnd);
      const e = this.err.indexOf(errEnd);
      if (o < 0 || e < 0) return;
      let stdout = this.out.slice(0, o);
      const stderr = this.err.slice(0, e);
      this.out = this.out.slice(o + outEnd.length);
      this.err = this.err.slice(e + errEnd.length);
      this.frames.shift();
      if (frame.timer) clearTimeout(frame.timer);
      if (frame.line === null) {
        frame.resolve({ stdout: '', stderr });
        continue;
      }
      const echoed = `${prompt}${frame.line}\n`;
      if (!stdout.startsWith(echoed)) {
        // Never expected: the stream is out of step, so nothing more from this shell can be trusted.
        frame.resolve(null);
        this.kill();
        return;
      }
      stdout = stdout.slice(echoed.length);
      const lines = stderr.split('\n').filter((l) => l.trim() && !RECONNECT_NEWS.test(l));
      const failed = lines.some((l) => l.startsWith('error:'));
      if (!failed) frame.resolve({ stdout, stderr: lines.join('\n') });
      else if (CONNECTION_LOST.test(stderr)) {
        // A fresh process reconnects (or reports the host unreachable in the usual words).
        frame.resolve(null);
        this.kill();
        return;
      } else frame.reject(errorFromStderr(frame.label, lines.join('\n'), 1));
    }
  }

  /** Graceful end (EOF on stdin). */
  close(): void {
    if (this.dead) return;
    this.markDead();
    this.child.stdin.end();
  }

  kill(): void {
    if (this.dead) return;
    this.markDead();
    this.child.kill('SIGKILL');
  }

  private markDead(): void {
    this.dead = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const frame of this.frames.splice(0)) {
      if (frame.timer) clearTimeout(frame.timer);
      frame.resolve(null);
    }
    this.onDead(this, this.started);
  }
}

/** The shells of one URI. */
class ShellPool {
  private readonly uri: string;
  private readonly shells: VirshShell[] = [];
  private startBlockedUntil = 0;

  constructor(uri: string) {
    this.uri = uri;
  }

  run(args: string[], label: string, timeoutMs: number): Promise<CommandResult | null> | null {
    const line = commandLine(args);
    if (line === null) return null;
    let shell = this.shells.find((s) => !s.busy && !s.dead);
    if (!shell) {
      if (this.shells.length >= MAX_SHELLS_PER_URI || Date.now() < this.startBlockedUntil) return null;
      shell = new VirshShell(this.uri, (dead, started) => {
        const index = this.shells.indexOf(dead);
        if (index >= 0) this.shells.splice(index, 1);
        if (!started) this.startBlockedUntil = Date.now() + START_BACKOFF_MS;
      });
      this.shells.push(shell);
    }
    return shell.run(line, label, timeoutMs);
  }
}

const pools = new Map<string, ShellPool>();

/**
 * Runs `virsh -c uri args…` in one of the URI's shells. null: not run, use a one-shot process.
 * Failures are the same typed errors a one-shot virsh gives (errorFromStderr).
 */
export function runInShell(uri: string, args: string[], label: string, timeoutMs: number): Promise<CommandResult | null> | null {
  const problem = virshUriProblem(['-c', uri]);
  if (problem) return Promise.reject(new HypervisorError(problem, label));
  let pool = pools.get(uri);
  if (!pool) pools.set(uri, (pool = new ShellPool(uri)));
  return pool.run(args, label, timeoutMs);
}
