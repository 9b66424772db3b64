// A domain's disks while it exists: one disk's device XML (shared with the whole domain's),
// attaching and detaching it (hot where the domain runs), growing it in place, its I/O limits
// and its size as the domain sees it.
import { XMLBuilder } from 'fast-xml-parser';
import { HypervisorError } from './errors.ts';
import { checkId, checkSize, unless, xmlParser, type VirshRunner } from './virsh-runner.ts';

export type DiskBus = 'virtio' | 'scsi' | 'sata';

/** Per-disk limits (libvirt <iotune>): bytes and operations per second; absent or null: none. */
export interface IoLimits {
  totalBytesSec?: number | null;
  readBytesSec?: number | null;
  writeBytesSec?: number | null;
  totalIopsSec?: number | null;
  readIopsSec?: number | null;
  writeIopsSec?: number | null;
}

export interface DiskSpec {
  path: string;
  format: 'qcow2' | 'raw';
  /** The device name (vda, vdb, sdc…); absent: vd + its place in the list. */
  target?: string;
  bus?: DiskBus;
  ioLimits?: IoLimits | null;
}

/** libvirt's <iotune> element names, by IoLimits key. */
const IOTUNE: Array<[keyof IoLimits, string, string]> = [
  ['totalBytesSec', 'total_bytes_sec', '--total-bytes-sec'],
  ['readBytesSec', 'read_bytes_sec', '--read-bytes-sec'],
  ['writeBytesSec', 'write_bytes_sec', '--write-bytes-sec'],
  ['totalIopsSec', 'total_iops_sec', '--total-iops-sec'],
  ['readIopsSec', 'read_iops_sec', '--read-iops-sec'],
  ['writeIopsSec', 'write_iops_sec', '--write-iops-sec'],
];

const TARGET = /^(vd|sd)[a-z]$/;

export function checkTarget(target: string): string {
  if (!TARGET.test(target)) throw new HypervisorError(`invalid disk target: ${JSON.stringify(target)}`, 'virsh');
  return target;
}

function checkPath(path: string): string {
  if (!path || /[\u0000-\u001f\u007f]/.test(path)) throw new Error(`invalid disk path: ${JSON.stringify(path)}`);
  return path;
}

function limitOf(value: number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (!Number.isSafeInteger(value) || value < 0) throw new HypervisorError(`invalid I/O limit: ${value}`, 'virsh');
  return value;
}

/** A disk as the object the domain's XML builder takes (domain-xml.ts) or as one device's document. */
export function diskElement(disk: DiskSpec, index: number): object {
  const iotune = Object.fromEntries(IOTUNE.filter(([key]) => limitOf(disk.ioLimits?.[key]) > 0).map(([key, element]) => [element, disk.ioLimits![key]]));
  return {
    '@type': 'file',
    '@device': 'disk',
    // No cache mode: cache='none' needs O_DIRECT, which some filesystems (tmpfs, some overlays) lack.
    driver: { '@name': 'qemu', '@type': disk.format },
    source: { '@file': checkPath(disk.path) },
    target: { '@dev': checkTarget(disk.target ?? `vd${String.fromCharCode(97 + index)}`), '@bus': disk.bus ?? 'virtio' },
    ...(Object.keys(iotune).length ? { iotune } : {}),
  };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, processEntities: true, suppressEmptyNode: true });

export function diskDeviceXml(disk: DiskSpec): string {
  return builder.build({ disk: diskElement(disk, 0) });
}

/** A virtio-scsi controller, which SCSI disks sit on. */
export const SCSI_CONTROLLER = { '@type': 'scsi', '@index': 0, '@model': 'virtio-scsi' };

const flags = (live: boolean) => (live ? ['--live', '--config'] : ['--config']);

/** Adds a disk to the domain's definition, and to the running guest when live. */
export async function attachDisk(virsh: VirshRunner, vmId: string, disk: DiskSpec, live: boolean): Promise<void> {
  if (live && disk.bus === 'scsi' && !(await hasScsiController(virsh, vmId))) {
    await virsh.runWithXml((file) => ['attach-device', '--domain', checkId(vmId), '--file', file, ...flags(live)], builder.build({ controller: SCSI_CONTROLLER }));
  }
  await virsh.runWithXml((file) => ['attach-device', '--domain', checkId(vmId), '--file', file, ...flags(live)], diskDeviceXml(disk));
}

/**
 * Asks for the disk's removal from the running guest (live), which has to let go of it (ACPI
 * hot-unplug: diskTargets tells when it did), or from the domain's definition (config). Absent already is fine.
 */
export async function detachDisk(virsh: VirshRunner, vmId: string, target: string, scope: 'live' | 'config'): Promise<void> {
  await virsh.run(['detach-disk', '--domain', checkId(vmId), '--target', checkTarget(target), `--${scope}`], 60_000).catch(unless(/No disk found|disk .* not found|no target device|not found/i));
}

async function domainDoc(virsh: VirshRunner, vmId: string, inactive: boolean): Promise<{ disks: Array<Record<string, any>>; controllers: Array<Record<string, any>> }> {
  const { stdout } = await virsh.run(['dumpxml', '--domain', checkId(vmId), ...(inactive ? ['--inactive'] : [])]);
  const devices = xmlParser.parse(stdout)?.domain?.devices ?? {};
  return { disks: [devices.disk ?? []].flat(), controllers: [devices.controller ?? []].flat() };
}

async function hasScsiController(virsh: VirshRunner, vmId: string): Promise<boolean> {
  return (await domainDoc(virsh, vmId, false)).controllers.some((c) => c['@type'] === 'scsi');
}

/** The targets of the domain's disks (not CD-ROMs): as it runs now, or as defined (inactive). */
export async function diskTargets(virsh: VirshRunner, vmId: string, options: { inactive?: boolean } = {}): Promise<string[]> {
  const { disks } = await domainDoc(virsh, vmId, options.inactive ?? false);
  return disks.filter((d) => d['@device'] === 'disk').map((d) => String(d.target?.['@dev'] ?? ''));
}

/** Grows a disk of a running domain: the volume and the guest's view of it at once. */
export async function blockResize(virsh: VirshRunner, vmId: string, target: string, bytes: number): Promise<void> {
  checkSize(bytes);
  await virsh.run(['blockresize', '--domain', checkId(vmId), '--path', checkTarget(target), '--size', `${bytes}B`], 60_000);
}

/** Sets every one of the disk's limits (0: none) in its definition, and in the running guest when live. */
export async function setIoLimits(virsh: VirshRunner, vmId: string, target: string, limits: IoLimits, live: boolean): Promise<void> {
  const args = IOTUNE.flatMap(([key, , flag]) => [flag, String(limitOf(limits[key]))]);
  await virsh.run(['blkdeviotune', '--domain', checkId(vmId), '--device', checkTarget(target), ...args, ...flags(live)]);
}

/** The disk's limits as libvirt holds them (running guest, or definition). */
export async function ioLimits(virsh: VirshRunner, vmId: string, target: string, live: boolean): Promise<IoLimits> {
  const { stdout } = await virsh.run(['blkdeviotune', '--domain', checkId(vmId), '--device', checkTarget(target), live ? '--live' : '--config']);
  const field = (name: string) => Number(new RegExp(`^${name}\\s*:\\s*(\\d+)`, 'm').exec(stdout)?.[1] ?? 0) || null;
  return Object.fromEntries(IOTUNE.map(([key, element]) => [key, field(element)])) as IoLimits;
}

/** The disk's size and the bytes its file takes, as the domain sees them. */
export async function blockInfo(virsh: VirshRunner, vmId: string, target: string): Promise<{ capacityBytes: number; allocationBytes: number }> {
  const { stdout } = await virsh.run(['domblkinfo', '--domain', checkId(vmId), '--device', checkTarget(target)]);
  const field = (label: string) => Number(new RegExp(`^${label}:\\s*(\\d+)`, 'm').exec(stdout)?.[1] ?? NaN);
  return { capacityBytes: field('Capacity'), allocationBytes: field('Allocation') };
}
