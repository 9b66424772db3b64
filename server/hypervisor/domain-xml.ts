import { XMLBuilder } from 'fast-xml-parser';
import { diskElement, SCSI_CONTROLLER, type DiskSpec } from './disks.ts';
import { domainName } from './virsh-runner.ts';

export interface DomainSpec {
  id: string;
  title: string;
  description: string;
  domainType: 'kvm' | 'qemu';
  vcpus: number;
  memoryMb: number;
  /** The boot disk first; each with its own target and bus when it has one (disks.ts). */
  disks: DiskSpec[];
  cdromPath?: string | null;
  /** A cloud-init NoCloud seed, attached as a second CD-ROM that is never booted. */
  seedPath?: string | null;
  macAddress?: string | null;
  network?: { kind: 'network' | 'bridge'; name: string } | null;
  /** Every NIC, in order; when given it replaces network and macAddress. */
  interfaces?: DomainInterface[];
  /** An empty CD-ROM drive when no cdromPath is given, so an ISO can be inserted into the running VM. */
  cdromDrive?: boolean;
  /** Devices to boot from, in order (default: the CD-ROM first when cdromPath is given, then the disk). */
  bootOrder?: BootDevice[];
  vncListen: string;
  guestAgent: boolean;
  serialLogPath?: string | null;
}

export type BootDevice = 'hd' | 'cdrom' | 'network';

/** libvirt's <bandwidth>: average and peak in KiB/s, burst in KiB. */
export interface BandwidthLimit {
  average: number;
  peak?: number | null;
  burst?: number | null;
}

export interface DomainInterface {
  mac: string;
  network: { kind: 'network' | 'bridge'; name: string };
  bandwidth?: { inbound?: BandwidthLimit | null; outbound?: BandwidthLimit | null } | null;
}

/** The CD-ROM drive that takes ISOs (the cloud-init seed, when there is one, is the next one). */
export const CDROM_TARGET = 'sda';
export const SEED_TARGET = 'sdb';

// processEntities escapes & < > ' " in text and attributes, so user text can never close an
// element or open a new one (it is the default; set explicitly because safety depends on it).
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, processEntities: true, suppressEmptyNode: true });

/** Attribute values (paths, names) with control characters would be silently normalised by XML parsers: refuse them. */
function attr(value: string, what: string): string {
  if (!value || /[\u0000-\u001f\u007f]/.test(value)) throw new Error(`invalid ${what}: ${JSON.stringify(value)}`);
  return value;
}

/** libvirt domain XML for a Hangar VM, built only from structured data. */
export function domainXml(spec: DomainSpec): string {
  if (spec.disks.length > 26) throw new Error('at most 26 disks');
  const disks: object[] = spec.disks.map((disk, i) => diskElement(disk, i));
  const cdrom = (path: string, dev: string, what: string) => ({
    '@type': 'file',
    '@device': 'cdrom',
    driver: { '@name': 'qemu', '@type': 'raw' },
    source: { '@file': attr(path, what) },
    target: { '@dev': dev, '@bus': 'sata' },
    readonly: '',
  });
  if (spec.cdromPath) disks.push(cdrom(spec.cdromPath, CDROM_TARGET, 'cdrom path'));
  else if (spec.cdromDrive) disks.push(emptyCdrom());
  if (spec.seedPath) disks.push(cdrom(spec.seedPath, SEED_TARGET, 'seed path'));
  const interfaces = spec.interfaces ? spec.interfaces.map(interfaceElement) : spec.network ? [interfaceElement({ mac: spec.macAddress ?? '', network: spec.network })] : [];
  const serial = {
    '@type': 'pty',
    target: { '@port': 0 },
    ...(spec.serialLogPath ? { log: { '@file': attr(spec.serialLogPath, 'serial log path'), '@append': 'on' } } : {}),
  };
  const channel = spec.guestAgent ? { '@type': 'unix', target: { '@type': 'virtio', '@name': 'org.qemu.guest_agent.0' } } : undefined;

  return builder.build({
    domain: {
      '@type': spec.domainType,
      name: domainName(spec.id),
      uuid: spec.id,
      // libvirt rejects a title with line breaks ("Domain title can't contain newlines"): fold them.
      title: spec.title.replace(/\r\n|[\r\n]/g, ' '),
      // XML parsers turn CR LF into LF anyway (XML end-of-line rule): normalise so what we store round-trips.
      description: spec.description.replace(/\r\n?/g, '\n'),
      memory: { '@unit': 'MiB', '#text': spec.memoryMb },
      vcpu: spec.vcpus,
      // No machine attribute: libvirt picks the current default (q35/pc) of this QEMU.
      os: {
        type: { '@arch': 'x86_64', '#text': 'hvm' },
        boot: (spec.bootOrder ?? [...(spec.cdromPath ? (['cdrom'] as const) : []), 'hd' as const]).map((dev) => ({ '@dev': dev })),
      },
      features: { acpi: '', apic: '' },
      // kvm: host-model, a named CPU model with the host's features that libvirt checks against the
      // target before a live migration (host-passthrough would tie the guest to this exact CPU).
      // TCG: none (QEMU's own emulated CPU; a host CPU mode is meaningless there).
      ...(spec.domainType === 'kvm' ? { cpu: { '@mode': 'host-model', '@check': 'partial' } } : {}),
      clock: { '@offset': 'utc' },
      on_poweroff: 'destroy',
      on_reboot: 'restart',
      on_crash: 'destroy',
      devices: {
        disk: disks,
        ...(spec.disks.some((d) => d.bus === 'scsi') ? { controller: SCSI_CONTROLLER } : {}),
        ...(interfaces.length ? { interface: interfaces } : {}),
        serial,
        console: { '@type': 'pty', target: { '@type': 'serial', '@port': 0 } },
        graphics: { '@type': 'vnc', '@port': -1, '@autoport': 'yes', listen: { '@type': 'address', '@address': attr(spec.vncListen, 'VNC listen address') } },
        video: { model: { '@type': 'virtio' } },
        ...(channel ? { channel } : {}),
        memballoon: { '@model': 'virtio' },
      },
    },
  });
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

function limit(l: BandwidthLimit | null | undefined): object | undefined {
  if (!l) return undefined;
  const n = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`invalid bandwidth ${what}: ${v}`);
    return v;
  };
  return { '@average': n(l.average, 'average'), ...(l.peak ? { '@peak': n(l.peak, 'peak') } : {}), ...(l.burst ? { '@burst': n(l.burst, 'burst') } : {}) };
}

/** One <interface> (no MAC when mac is empty: libvirt makes one). */
function interfaceElement(nic: DomainInterface): object {
  if (nic.mac && !MAC.test(nic.mac)) throw new Error(`invalid MAC address: ${JSON.stringify(nic.mac)}`);
  const inbound = limit(nic.bandwidth?.inbound);
  const outbound = limit(nic.bandwidth?.outbound);
  return {
    '@type': nic.network.kind,
    ...(nic.mac ? { mac: { '@address': nic.mac } } : {}),
    source: { [`@${nic.network.kind}`]: attr(nic.network.name, 'network name') },
    model: { '@type': 'virtio' },
    ...(inbound || outbound ? { bandwidth: { ...(inbound ? { inbound } : {}), ...(outbound ? { outbound } : {}) } } : {}),
  };
}

function emptyCdrom(): object {
  return { '@type': 'file', '@device': 'cdrom', driver: { '@name': 'qemu', '@type': 'raw' }, target: { '@dev': CDROM_TARGET, '@bus': 'sata' }, readonly: '' };
}

/** An <interface> alone, for attach-device and detach-device. */
export function interfaceXml(nic: DomainInterface): string {
  return builder.build({ interface: interfaceElement(nic) });
}
