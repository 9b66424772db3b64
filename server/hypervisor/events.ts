// Lifecycle events of a host's domains (started, stopped, crashed, …) as libvirt announces them.
import { spawn } from 'node:child_process';
import { errorFromStderr, virshUriProblem } from './command.ts';
import { HypervisorError, ToolMissingError } from './errors.ts';
import { vmIdFromDomainName } from './virsh-runner.ts';

export interface LifecycleEvent {
  vmId: string;
  /** libvirt's event name: Defined, Undefined, Started, Suspended, Resumed, Stopped, Shutdown, PMSuspended, Crashed. */
  event: string;
  /** Its detail, e.g. "Booted", "Destroyed", "Shutdown", "Finished after host request". */
  detail: string;
}

/**
 * Follows lifecycle events of our domains on the host at uri through a long-lived
 * `virsh event --loop`. onExit fires once when it ends: null after stop(), an error otherwise
 * (e.g. libvirtd went away). Registration takes a moment after the call: events in the first few
 * hundred ms may be missed.
 */
export function watchLifecycle(uri: string, onEvent: (e: LifecycleEvent) => void, onExit: (error: Error | null) => void): { stop(): void } {
  // No --all: virsh refuses it together with --event; without a domain it watches every domain.
  const args = ['--quiet', '-c', uri, 'event', '--loop', '--event', 'lifecycle'];
  const problem = virshUriProblem(args);
  if (problem) {
    queueMicrotask(() => onExit(new HypervisorError(problem, 'virsh event')));
    return { stop() {} };
  }
  const child = spawn('virsh', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  let stopped = false;
  let exited = false;
  let stderr = '';
  let pending = '';
  const exit = (error: Error | null) => {
    if (exited) return;
    exited = true;
    onExit(stopped ? null : error);
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^event 'lifecycle' for domain '(.*)': (\S+)\s*(.*)$/.exec(line.trim());
      const vmId = match && vmIdFromDomainName(match[1]);
      if (match && vmId) onEvent({ vmId, event: match[2], detail: match[3] });
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
  child.on('error', (error: NodeJS.ErrnoException) => exit(error.code === 'ENOENT' ? new ToolMissingError('virsh') : new HypervisorError(error.message, 'virsh event')));
  child.on('close', (code) => exit(code === 0 ? new HypervisorError('virsh event ended', 'virsh event') : errorFromStderr('virsh event', stderr, code)));
  return {
    stop() {
      stopped = true;
      child.kill('SIGTERM');
    },
  };
}
