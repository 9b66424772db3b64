// A host's storage: directory pools and the volumes in them, and the disks its domains use.
// Deleting a missing volume is fine; a missing volume reads as null.
import { isAbsolute } from 'node:path';
import { HypervisorError } from './errors.ts';
import { checkSize, checkStorageName, unless, xmlBuilder, xmlParser, type VirshRunner } from './virsh-runner.ts';

export type VolumeFormat = 'qcow2' | 'raw';

const NO_VOLUME = /Storage volume not found|failed to get vol/i;
const NO_POOL = /Storage pool not found|failed to get pool/i;

/** A directory pool at path, defined, built, started and autostarted as needed. */
export async function ensurePool(virsh: VirshRunner, name: string, path: string): Promise<void> {
  checkStorageName('pool', name);
  let info = await virsh.run(['pool-info', '--pool', name]).catch((error: unknown) => {
    unless(NO_POOL)(error);
    return null;
  });
  if (!info) {
    await virsh.run(['pool-define-as', '--name', name, '--type', 'dir', '--target', path]).catch(unless(/already exists/i));
    await virsh.run(['pool-autostart', '--pool', name]);
    info = await virsh.run(['pool-info', '--pool', name]);
  }
  if (!/^State:\s+running$/m.test(info.stdout)) {
    // pool-build creates the directory (with parents) and is harmless when it exists.
    await virsh.run(['pool-build', '--pool', name]);
    await virsh.run(['pool-start', '--pool', name]).catch(unless(/already active/i));
  }
}

/** Names of the host's storage pools, running or not. */
export async function listPools(virsh: VirshRunner): Promise<{ active: string[]; inactive: string[] }> {
  const names = async (flag: string) => (await virsh.run(['pool-list', flag, '--name'])).stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  const [active, inactive] = await Promise.all([names('--all'), names('--inactive')]);
  return { active: active.filter((name) => !inactive.includes(name)), inactive };
}

/** Has libvirt look at the pool's directory again (volumes made there by other tools, external snapshots). */
export async function refreshPool(virsh: VirshRunner, pool: string): Promise<void> {
  await virsh.run(['pool-refresh', '--pool', checkStorageName('pool', pool)]);
}

/** Creates an empty volume and returns its path. */
export async function createVolume(virsh: VirshRunner, pool: string, name: string, sizeBytes: number, format: VolumeFormat): Promise<string> {
  checkStorageName('pool', pool);
  checkStorageName('volume', name);
  checkSize(sizeBytes);
  const xml = xmlBuilder.build({
    volume: {
      name,
      capacity: { '@unit': 'bytes', '#text': sizeBytes },
      allocation: { '@unit': 'bytes', '#text': 0 },
      // qcow2 v3 (compat 1.1): libvirt's default is v2, which cannot keep the dirty bitmaps backups use.
      target: { format: { '@type': format }, ...(format === 'qcow2' ? { compat: '1.1' } : {}) },
    },
  });
  await virsh.runWithXml((file) => ['vol-create', '--pool', pool, '--file', file], xml);
  return createdPath(virsh, pool, name, 'virsh vol-create');
}

/** The path of a volume just created; its absence is an error. */
export async function createdPath(virsh: VirshRunner, pool: string, name: string, command: string): Promise<string> {
  const path = await volumePath(virsh, pool, name);
  if (!path) throw new HypervisorError(`volume ${name} vanished after creation`, command);
  return path;
}

/** Absent is fine. */
export async function deleteVolume(virsh: VirshRunner, pool: string, name: string): Promise<void> {
  await virsh.run(['vol-delete', '--pool', checkStorageName('pool', pool), '--vol', checkStorageName('volume', name)]).catch(unless(NO_VOLUME));
}

export async function volumePath(virsh: VirshRunner, pool: string, name: string): Promise<string | null> {
  try {
    const { stdout } = await virsh.run(['vol-path', '--pool', checkStorageName('pool', pool), '--vol', checkStorageName('volume', name)]);
    return stdout.trim() || null;
  } catch (error) {
    if (error instanceof Error && NO_VOLUME.test(error.message)) return null;
    throw error;
  }
}

/** A volume's own path, and the path of the file it backs onto (a qcow2 overlay's base) or null. */
export async function volumePaths(virsh: VirshRunner, pool: string, name: string): Promise<{ path: string; backingPath: string | null }> {
  const { stdout } = await virsh.run(['vol-dumpxml', '--pool', checkStorageName('pool', pool), '--vol', checkStorageName('volume', name)]);
  const volume = xmlParser.parse(stdout).volume;
  const backingPath = volume?.backingStore?.path;
  return { path: String(volume?.target?.path ?? ''), backingPath: typeof backingPath === 'string' && backingPath ? backingPath : null };
}

/** Volume names of a pool (first column of vol-list; our names have no spaces). */
export async function listVolumes(virsh: VirshRunner, pool: string): Promise<string[]> {
  const { stdout } = await virsh.run(['vol-list', '--pool', checkStorageName('pool', pool)]);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter(Boolean);
}

/**
 * Grows a volume to capacityBytes; already that large or larger is fine (never shrinks). Not for
 * a disk a running VM has open: that takes `blockresize` on the domain.
 */
export async function resizeVolume(virsh: VirshRunner, pool: string, name: string, capacityBytes: number): Promise<void> {
  checkSize(capacityBytes);
  const info = await volumeInfo(virsh, pool, name);
  if (!info) throw new HypervisorError(`no volume ${name} in pool ${pool}`, 'virsh vol-resize');
  if (info.capacityBytes >= capacityBytes) return;
  // A concurrent resize may have grown it past our size meanwhile: libvirt then refuses to "shrink".
  await virsh.run(['vol-resize', '--pool', pool, '--vol', name, '--capacity', String(capacityBytes)]).catch(unless(/shrink/i));
}

/** null when the pool has no such volume. */
export async function volumeInfo(virsh: VirshRunner, pool: string, name: string): Promise<{ capacityBytes: number; allocationBytes: number } | null> {
  try {
    const { stdout } = await virsh.run(['vol-info', '--bytes', '--pool', checkStorageName('pool', pool), '--vol', checkStorageName('volume', name)]);
    const field = (label: string) => Number(new RegExp(`^${label}:\\s*(\\d+) bytes$`, 'm').exec(stdout)?.[1] ?? NaN);
    return { capacityBytes: field('Capacity'), allocationBytes: field('Allocation') };
  } catch (error) {
    if (error instanceof Error && NO_VOLUME.test(error.message)) return null;
    throw error;
  }
}

/** The size of the volume at a path, in whichever of the host's pools holds it; null when none does. */
export async function volumeByPath(virsh: VirshRunner, path: string): Promise<{ capacityBytes: number; allocationBytes: number } | null> {
  if (!isAbsolute(path)) throw new HypervisorError(`a volume path must be absolute: ${JSON.stringify(path)}`, 'virsh vol-info');
  try {
    const { stdout } = await virsh.run(['vol-info', '--bytes', '--vol', path]);
    const field = (label: string) => Number(new RegExp(`^${label}:\\s*(\\d+) bytes$`, 'm').exec(stdout)?.[1] ?? NaN);
    return { capacityBytes: field('Capacity'), allocationBytes: field('Allocation') };
  } catch (error) {
    if (error instanceof Error && NO_VOLUME.test(error.message)) return null;
    throw error;
  }
}

/**
 * The disks (not CD-ROMs or floppies) of every domain on the host, running or not: the files or
 * block devices of each disk's backing chain as libvirt shows it, and whether that chain is whole.
 * A running domain's chain is (libvirt ends it with an empty backingStore); an inactive domain's
 * shows only the disk itself.
 */
export async function domainDisks(virsh: VirshRunner): Promise<Array<{ domain: string; files: string[]; wholeChain: boolean }>> {
  const uuids = (await virsh.run(['list', '--all', '--uuid'])).stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  const disks: Array<{ domain: string; files: string[]; wholeChain: boolean }> = [];
  for (const uuid of uuids) {
    const domain = xmlParser.parse((await virsh.run(['dumpxml', uuid])).stdout).domain;
    const name = String(domain?.name);
    for (const disk of [domain?.devices?.disk ?? []].flat()) {
      if (disk['@device'] === 'cdrom' || disk['@device'] === 'floppy') continue;
      const files: string[] = [];
      for (let layer = disk; ; layer = layer.backingStore) {
        const file = layer.source?.['@file'] ?? layer.source?.['@dev'];
        if (typeof file === 'string') files.push(file);
        // No backingStore: libvirt has not looked (inactive); an empty one: nothing further down.
        if (typeof layer.backingStore !== 'object' || !layer.backingStore.source) {
          disks.push({ domain: name, files, wholeChain: layer.backingStore !== undefined });
          break;
        }
      }
    }
  }
  return disks;
}
