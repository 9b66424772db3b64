// Bytes moving through libvirt: a local file into a new volume and back, an overlay onto a base,
// and a flattened copy between pools. Big transfers get a virsh process and a timeout of their own.
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CommandResult } from './command.ts';
import { HypervisorError } from './errors.ts';
import type { VolumeFormat } from './storage.ts';
import { createdPath, deleteVolume, volumeInfo, volumePath } from './storage.ts';
import { checkSize, checkStorageName, withXmlFile, xmlBuilder, xmlParser, type VirshRunner } from './virsh-runner.ts';

/** Transfers up to this size go through a shared virsh shell; larger ones get their own process. */
const SHELL_TRANSFER_MAX_BYTES = 16 * 1024 * 1024;

/**
 * A new volume holding exactly the bytes of a local file (sent through libvirt, so remote hosts
 * work); returns its path. A volume that was created here but not filled is removed again.
 */
export async function uploadVolume(virsh: VirshRunner, pool: string, name: string, filePath: string, format: VolumeFormat): Promise<string> {
  checkStorageName('pool', pool);
  checkStorageName('volume', name);
  const file = resolve(filePath);
  const { size } = await stat(file);
  if (size <= 0) throw new HypervisorError(`${file} is empty`, 'virsh vol-upload');
  // Created raw at the file's exact length: vol-upload writes in place without truncating, so a
  // qcow2 volume made by qemu-img create could keep stray bytes past the uploaded data.
  const xml = xmlBuilder.build({
    volume: {
      name,
      capacity: { '@unit': 'bytes', '#text': size },
      allocation: { '@unit': 'bytes', '#text': 0 },
      target: { format: { '@type': 'raw' } },
    },
  });
  await virsh.runWithXml((xmlFile) => ['vol-create', '--pool', pool, '--file', xmlFile], xml);
  try {
    await runTransfer(virsh, ['vol-upload', '--pool', pool, '--vol', name, '--file', file, '--sparse'], size);
    await settleVolumeFormat(virsh, pool, name, format);
    const path = await volumePath(virsh, pool, name);
    if (!path) throw new HypervisorError(`volume ${name} vanished after upload`, 'virsh vol-upload');
    return path;
  } catch (error) {
    await retryWhileBusy(() => deleteVolume(virsh, pool, name)).catch(() => {});
    throw error;
  }
}

/** Copies a volume's bytes into a local file (created or overwritten). */
export async function downloadVolume(virsh: VirshRunner, pool: string, name: string, filePath: string): Promise<void> {
  const info = await volumeInfo(virsh, pool, name);
  if (!info) throw new HypervisorError(`no volume ${name} in pool ${pool}`, 'virsh vol-download');
  await runTransfer(virsh, ['vol-download', '--pool', pool, '--vol', name, '--file', resolve(filePath), '--sparse'], Math.max(info.allocationBytes, info.capacityBytes));
}

/** A qcow2 volume whose unwritten blocks read from backingPath (a file of backingFormat); returns its path. */
export async function createOverlay(virsh: VirshRunner, pool: string, name: string, backingPath: string, capacityBytes: number, backingFormat: VolumeFormat): Promise<string> {
  checkStorageName('pool', pool);
  checkStorageName('volume', name);
  // A relative name could be read by qemu as a protocol ("nbd:…", "json:{…}") or resolve elsewhere.
  if (!isAbsolute(backingPath)) throw new HypervisorError(`backing path must be absolute: ${JSON.stringify(backingPath)}`, 'virsh vol-create');
  checkSize(capacityBytes);
  const xml = xmlBuilder.build({
    volume: {
      name,
      capacity: { '@unit': 'bytes', '#text': capacityBytes },
      // qcow2 v3: v2 cannot keep the dirty bitmaps of backups' checkpoints.
      target: { format: { '@type': 'qcow2' }, compat: '1.1' },
      // The backing format is stated, never probed: a probed raw file could pose as qcow2.
      backingStore: { path: backingPath, format: { '@type': backingFormat } },
    },
  });
  await virsh.runWithXml((file) => ['vol-create', '--pool', pool, '--file', file], xml);
  return createdPath(virsh, pool, name, 'virsh vol-create');
}

/** A full, standalone copy (the backing chain flattened into it); returns its path. */
export async function copyVolume(virsh: VirshRunner, fromPool: string, fromName: string, toPool: string, toName: string, format: 'qcow2'): Promise<string> {
  checkStorageName('pool', toPool);
  checkStorageName('volume', toName);
  const info = await volumeInfo(virsh, fromPool, fromName);
  if (!info) throw new HypervisorError(`no volume ${fromName} in pool ${fromPool}`, 'virsh vol-create-from');
  // No <backingStore>: libvirt runs qemu-img convert, which reads through the chain.
  const xml = xmlBuilder.build({
    volume: {
      name: toName,
      capacity: { '@unit': 'bytes', '#text': info.capacityBytes },
      target: { format: { '@type': format }, compat: '1.1' },
    },
  });
  await withXmlFile(xml, (file) => runTransfer(virsh, ['vol-create-from', '--pool', toPool, '--file', file, '--vol', fromName, '--inputpool', fromPool], info.capacityBytes));
  return createdPath(virsh, toPool, toName, 'virsh vol-create-from');
}

/** The format libvirt records for a volume (what it tells qemu when the volume is used). */
async function volumeFormat(virsh: VirshRunner, pool: string, name: string): Promise<string | null> {
  const { stdout } = await virsh.run(['vol-dumpxml', '--pool', pool, '--vol', name]);
  return xmlParser.parse(stdout).volume?.target?.format?.['@type'] ?? null;
}

/**
 * libvirt learns an uploaded file's format by probing it: a pool refresh it starts by itself when
 * the upload ends (asynchronously). Wait for that, or refresh ourselves, then insist on format.
 */
async function settleVolumeFormat(virsh: VirshRunner, pool: string, name: string, format: VolumeFormat): Promise<void> {
  // Raw content that libvirt recognises as an ISO 9660 filesystem (a cloud-init seed) is still raw.
  const fits = (found: string | null) => found === format || (format === 'raw' && found === 'iso');
  let actual = await volumeFormat(virsh, pool, name);
  for (let i = 0; !fits(actual) && i < 10; i++) {
    await new Promise((r) => setTimeout(r, 200));
    actual = await volumeFormat(virsh, pool, name);
  }
  if (!fits(actual)) {
    await retryWhileBusy(() => virsh.run(['pool-refresh', '--pool', pool]));
    actual = await volumeFormat(virsh, pool, name);
  }
  if (!fits(actual)) throw new HypervisorError(`volume ${name} was uploaded as ${format} but libvirt reads it as ${actual ?? 'unknown'}`, 'virsh vol-upload');
}

/** Retries while libvirt still finishes an upload on the pool (its refresh holds the pool busy). */
async function retryWhileBusy<T>(action: () => Promise<T>, attempts = 25): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await action();
    } catch (error) {
      if (i >= attempts || !(error instanceof Error && /asynchronous jobs running|still in use|in use by/i.test(error.message))) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** A virsh call that moves bytes: its timeout grows with the size (at least 1 MiB/s, plus 2 min). */
function runTransfer(virsh: VirshRunner, args: string[], bytes: number): Promise<CommandResult> {
  const timeoutMs = Math.max(virsh.timeoutMs, 120_000 + Math.ceil(bytes / 1024 / 1024) * 1000);
  // A big one would keep a shell busy for minutes.
  if (bytes <= SHELL_TRANSFER_MAX_BYTES) return virsh.run(args, timeoutMs);
  return virsh.runAlone(args, timeoutMs);
}
