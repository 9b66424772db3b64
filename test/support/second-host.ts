// The second hypervisor host of the multi-host tests (scripts/test-host): a libvirtd in its own
// namespaces on this machine, reached over qemu+tcp at an address that exists only on the veth pair
// between them. Starting it is idempotent, so every file that needs it starts it; `npm test` stops it
// when the whole run ends (test/support/global-setup.ts).
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../scripts/test-host', import.meta.url));

export const SECOND_HOST = { uri: 'qemu+tcp://10.251.0.2/system', address: '10.251.0.2', hostname: 'hv2', localAddress: '10.251.0.1' };

export async function startSecondHost(): Promise<string> {
  const { stdout } = await run('bash', [SCRIPT, 'start'], { timeout: 60_000 });
  return stdout.trim();
}

/** Whether it is up now. */
export async function secondHostUp(): Promise<boolean> {
  return run('bash', [SCRIPT, 'status'], { timeout: 30_000 }).then(
    () => true,
    () => false,
  );
}

export async function stopSecondHost(): Promise<void> {
  await run('bash', [SCRIPT, 'stop'], { timeout: 60_000 });
}

/** virsh against the second host. */
export async function virsh2(...args: string[]): Promise<string> {
  const { stdout } = await run('virsh', ['-c', SECOND_HOST.uri, ...args], { timeout: 60_000 });
  return stdout;
}

/**
 * Holds the second host for this file until the returned release runs (or the process ends):
 * shared by files that only use it, exclusive for one that breaks it on purpose (its daemon killed,
 * its link cut), so no other file sees that. A flock held by a child that exits when its stdin closes.
 */
export async function holdSecondHost(mode: 'shared' | 'exclusive'): Promise<() => void> {
  const child = spawn('flock', [mode === 'shared' ? '-s' : '-x', '/run/hangar-test-host-use.lock', '-c', 'echo held; read _'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`flock exited ${code}`)));
  });
  child.unref();
  for (const stream of [child.stdin, child.stdout]) (stream as unknown as { unref?: () => void }).unref?.();
  return () => {
    child.stdin.end();
  };
}
