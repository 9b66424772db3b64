import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { virshUriProblem } from './command.ts';
import { HypervisorError, ToolMissingError } from './errors.ts';
import { checkId, domainName, VirshRunner } from './virsh-runner.ts';

/** Where a running domain's VNC server accepts TCP connections. */
export interface VncEndpoint {
  host: string;
  port: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// virsh prints vnc://ADDRESS:DISPLAY, the display being the TCP port minus 5900.
const VNC_DISPLAY = /^vnc:\/\/(?:\[[^\]]*\]|[^\s/]*?):(\d+)(?:[/?].*)?$/;
const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * The VNC endpoint of a VM's domain: the port from libvirt (autoport picks it at start), the
 * address from the host's vncListen; a wildcard listen is reached at the URI's host name.
 */
export async function vncEndpoint(uri: string, vmId: string, vncListen: string, timeoutMs = 10_000): Promise<VncEndpoint> {
  if (!UUID.test(vmId)) throw new HypervisorError(`invalid VM id: ${JSON.stringify(vmId)}`, 'virsh');
  const { stdout } = await new VirshRunner(uri, timeoutMs).run(['domdisplay', '--type', 'vnc', domainName(vmId)]);
  const display = VNC_DISPLAY.exec(stdout.trim());
  if (!display) throw new HypervisorError(`the domain has no VNC display (virsh said ${JSON.stringify(stdout.trim().slice(0, 200))})`, 'virsh domdisplay');
  return { host: WILDCARD.has(vncListen) ? uriHost(uri) : vncListen, port: 5900 + Number(display[1]) };
}

/** The host name of a libvirt URI, or loopback for a local one (qemu:///system, qemu+unix://…). */
export function uriHost(uri: string): string {
  let host = '';
  try {
    host = new URL(uri).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    // An unparsable URI never reaches here (hosts are validated); fall back to loopback.
  }
  return host || '127.0.0.1';
}

/*
 * `virsh console` refuses to run without a controlling TTY, so it runs under util-linux's `script`,
 * which gives it a pseudo-terminal, made raw and silent (stty) before virsh starts so that no byte
 * is echoed or translated by the terminal itself; only Ctrl+], virsh's escape, ends the console.
 * The URI and domain reach the shell that `script` starts as variables, never as text of the
 * command. --force takes the serial line over from another console (libvirt allows one reader).
 */
const SERIAL_COMMAND = 'stty raw -echo && exec virsh -c "$HANGAR_URI" console "$HANGAR_DOMAIN" --force';
/** virsh's last line before the guest's bytes (LC_ALL=C); what comes before it is virsh's own. */
const SERIAL_READY = /Escape character is [^\n]*\n/;

/**
 * The serial console of a running domain as a byte stream: what the guest writes to its first
 * serial port comes out, what is written goes to the guest (held until virsh is connected).
 * Destroying the stream ends `virsh console`; the stream ends when virsh does (the domain stopped,
 * another console took over, or virsh failed: then its error is what comes out).
 */
export function openSerialConsole(uri: string, vmId: string): Duplex {
  checkId(vmId);
  const problem = virshUriProblem(['-c', uri]);
  if (problem) throw new HypervisorError(problem, 'virsh console');
  const child = spawn('script', ['-qfec', SERIAL_COMMAND, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, LC_ALL: 'C', SHELL: '/bin/sh', HANGAR_URI: uri, HANGAR_DOMAIN: domainName(vmId) },
  });
  // virsh's greeting collects here until its ready line; then the guest's bytes flow.
  let preamble: Buffer | null = Buffer.alloc(0);
  let connected: () => void = () => {};
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const stream = new Duplex({
    read: () => child.stdout.resume(),
    write: (chunk: Buffer, _encoding, done) =>
      void ready.then(() => {
        if (child.stdin.write(chunk)) done();
        else child.stdin.once('drain', () => done());
      }),
    final: (done) => child.stdin.end(done),
    destroy: (error, done) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      connected();
      done(error);
    },
  });
  const push = (bytes: Buffer) => {
    if (bytes.length && !stream.push(bytes)) child.stdout.pause();
  };
  child.stdout.on('data', (chunk: Buffer) => {
    if (!preamble) return push(chunk);
    preamble = Buffer.concat([preamble, chunk]);
    const found = SERIAL_READY.exec(preamble.toString('latin1'));
    if (!found) return;
    const rest = preamble.subarray(found.index + found[0].length);
    preamble = null;
    connected();
    push(rest);
  });
  child.stdout.on('end', () => {
    if (preamble) push(preamble);
    stream.push(null);
  });
  child.stdin.on('error', () => {});
  child.on('error', (error: NodeJS.ErrnoException) =>
    stream.destroy(error.code === 'ENOENT' ? new ToolMissingError('script') : new HypervisorError(error.message, 'virsh console')),
  );
  child.on('close', () => {
    connected();
    if (!stream.readableEnded) stream.push(null);
    stream.end();
  });
  return stream;
}
