// The Debian 12 cloud image the end-to-end tests deploy VMs from. scripts/build-test-image builds
// it once (about 1.5 minutes, needs root and the Debian mirrors) and caches it outside the repo
// under /var/cache/hangar/test-images/, keyed by the script's content; later calls return at once.
//
// What a guest booted from it with a NoCloud seed looks like: first NIC eth0 (net.ifnames=0),
// network rendered for systemd-networkd, timezone in /etc/timezone and the /etc/localtime link,
// passwords as SHA-512 crypt hashes in /etc/shadow, serial console on ttyS0, the guest agent
// on the org.qemu.guest_agent.0 channel.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'build-test-image');

/** Path of the cached qcow2 image, building it first if needed. */
export async function testImagePath(): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await run('bash', [SCRIPT], { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 }));
  } catch (error) {
    const e = error as { code?: unknown; stderr?: string; message?: string };
    const tail = (e.stderr ?? '').trim().split('\n').slice(-20).join('\n');
    throw new Error(`building the test image failed (bash ${SCRIPT}, exit ${String(e.code)}): ${tail || e.message}`, { cause: error });
  }
  const path = stdout.trim();
  if (!path.startsWith('/') || path.includes('\n') || !path.endsWith('.qcow2')) {
    throw new Error(`bash ${SCRIPT} printed no image path: ${JSON.stringify(stdout)}`);
  }
  return path;
}
