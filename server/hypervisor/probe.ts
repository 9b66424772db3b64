// What a host is: its capabilities as libvirt reports them, and whether its guests can use
// hardware virtualization (a short-lived probe guest finds out).
import { randomUUID } from 'node:crypto';
import { xmlBuilder, xmlParser, type VirshRunner } from './virsh-runner.ts';

export type DomainType = 'kvm' | 'qemu';

export interface HostCapabilities {
  cpus: number;
  memoryMb: number;
  cpuModel: string;
  arch: string;
  libvirtVersion: string;
  hypervisorVersion: string;
  /** Domain types libvirt offers for this host's architecture. */
  domainTypes: DomainType[];
  /** The host is itself a virtual machine (its CPU reports the hypervisor flag). */
  nested: boolean;
}

export async function capabilities(virsh: VirshRunner): Promise<HostCapabilities> {
  const [version, nodeInfo, caps] = await Promise.all([virsh.run(['version', '--daemon']), virsh.run(['nodeinfo']), virsh.run(['capabilities'])]);
  const field = (text: string, name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(text)?.[1].trim() ?? '';
  const doc = xmlParser.parse(caps.stdout).capabilities;
  const arch: string = doc.host.cpu.arch;
  const guests = [doc.guest ?? []].flat() as Array<{ arch: { '@name': string; domain: unknown } }>;
  const domains = guests.filter((g) => g.arch['@name'] === arch).flatMap((g) => [g.arch.domain].flat() as Array<{ '@type': string }>);
  return {
    cpus: Number(field(nodeInfo.stdout, 'CPU\\(s\\)')),
    memoryMb: Math.floor(Number(field(nodeInfo.stdout, 'Memory size').replace(/\s*KiB$/, '')) / 1024),
    cpuModel: String(doc.host.cpu.model?.['#text'] ?? doc.host.cpu.model ?? 'unknown'),
    arch,
    libvirtVersion: field(version.stdout, 'Running against daemon'),
    hypervisorVersion: field(version.stdout, 'Running hypervisor'),
    domainTypes: (['kvm', 'qemu'] as const).filter((t) => domains.some((d) => d['@type'] === t)),
    nested: ([doc.host.cpu.feature ?? []].flat() as Array<{ '@name': string }>).some((f) => f['@name'] === 'hypervisor'),
  };
}

/**
 * Hardware virtualization is used only where a guest really runs with it: on bare metal a
 * transient guest of type kvm must start and burn CPU time. Otherwise guests are emulated (TCG).
 */
export async function probeDomainType(virsh: VirshRunner, capabilities: HostCapabilities): Promise<{ domainType: DomainType; reason: string }> {
  if (!capabilities.domainTypes.includes('kvm')) return { domainType: 'qemu', reason: 'libvirt offers no kvm domain type here' };
  // A firmware loop runs under nested KVM where a Linux guest has been seen to hang: stay safe.
  if (capabilities.nested) return { domainType: 'qemu', reason: 'the host is itself a VM (nested KVM); set the domain type to KVM to override' };
  const name = `hangar-probe-${randomUUID().slice(0, 8)}`;
  const xml = xmlBuilder.build({
    domain: {
      '@type': 'kvm',
      name,
      memory: { '@unit': 'MiB', '#text': 32 },
      vcpu: 1,
      os: { type: { '@arch': 'x86_64', '#text': 'hvm' } },
      on_poweroff: 'destroy',
      on_crash: 'destroy',
      devices: {},
    },
  });
  try {
    await virsh.runWithXml((file) => ['create', file], xml);
    const cpuTime = async () => Number(/cpu\.time=(\d+)/.exec((await virsh.run(['domstats', '--cpu-total', name])).stdout)?.[1] ?? 0);
    const first = await cpuTime();
    await new Promise((r) => setTimeout(r, 500));
    const second = await cpuTime();
    return second > first ? { domainType: 'kvm', reason: 'a kvm guest ran' } : { domainType: 'qemu', reason: 'a kvm guest started but did not run' };
  } catch (error) {
    return { domainType: 'qemu', reason: `a kvm guest could not start: ${(error as Error).message}` };
  } finally {
    await virsh.run(['destroy', name]).catch(() => {});
  }
}
