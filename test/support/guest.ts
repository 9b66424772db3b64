// Looks inside a running test guest through its QEMU guest agent (virsh qemu-agent-command),
// independently of Hangar's own agent code, to check what cloud-init really did.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LOCAL_URI } from './libvirt.ts';

const run = promisify(execFile);

async function agent(vmId: string, command: object, timeoutSeconds = 10, uri = LOCAL_URI): Promise<any> {
  const { stdout } = await run('virsh', ['-c', uri, 'qemu-agent-command', '--timeout', String(timeoutSeconds), vmId, JSON.stringify(command)], { timeout: 60_000 });
  return JSON.parse(stdout).return;
}

/** Runs a program in the guest (on the host at uri, this machine's libvirt unless told) and returns its exit code and output. */
export async function guestRun(vmId: string, path: string, args: string[] = [], timeoutMs = 120_000, uri = LOCAL_URI): Promise<{ code: number; stdout: string; stderr: string }> {
  const agent = (id: string, command: object) => agentOn(uri, id, command);
  const { pid } = await agent(vmId, { execute: 'guest-exec', arguments: { path, arg: args, 'capture-output': true } });
  const started = Date.now();
  for (;;) {
    const status = await agent(vmId, { execute: 'guest-exec-status', arguments: { pid } });
    if (status.exited) {
      const text = (b64?: string) => (b64 ? Buffer.from(b64, 'base64').toString('utf8') : '');
      return { code: status.exitcode ?? -1, stdout: text(status['out-data']), stderr: text(status['err-data']) };
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${path} ${args.join(' ')} did not end within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// Libvirt waits this long for one agent command: a TCG guest on a loaded machine can take more than its usual 10 s.
const agentOn = (uri: string, vmId: string, command: object) => agent(vmId, command, 30, uri);

/** A shell line in the guest (test-authored text only); its stdout, trimmed; throws on failure. */
export async function guestSh(vmId: string, line: string, timeoutMs?: number, uri = LOCAL_URI): Promise<string> {
  const result = await guestRun(vmId, '/bin/sh', ['-c', line], timeoutMs, uri);
  if (result.code !== 0) throw new Error(`guest: ${line} exited ${result.code}: ${result.stderr}`);
  return result.stdout.trim();
}

export async function agentAnswers(vmId: string, uri = LOCAL_URI, timeoutSeconds = 3): Promise<boolean> {
  try {
    await agent(vmId, { execute: 'guest-ping' }, timeoutSeconds, uri);
    return true;
  } catch {
    return false;
  }
}
