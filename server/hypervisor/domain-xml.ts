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
  vncListen: string;
  guestAgent: boolean;
  serialLogPath?: string | null;
}

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
  if (spec.cdromPath) disks.push(cdrom(spec.cdromPath, 'sda', 'cdrom path'));
  if (spec.seedPath) disks.push(cdrom(spec.seedPath, 'sdb', 'seed path'));
  if (spec.macAddress && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(spec.macAddress)) throw new Error(`invalid MAC address: ${JSON.stringify(spec.macAddress)}`);
  const network = spec.network
    ? {
        '@type': spec.network.kind,
        ...(spec.macAddress ? { mac: { '@address': spec.macAddress } } : {}),
        source: { [`@${spec.network.kind}`]: attr(spec.network.name, 'network name') },
        model: { '@type': 'virtio' },
      }
    : undefined;
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
        boot: [...(spec.cdromPath ? [{ '@dev': 'cdrom' }] : []), { '@dev': 'hd' }],
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
        ...(network ? { interface: network } : {}),
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
