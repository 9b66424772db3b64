// libvirt networks: the NAT network Hangar gives a host so VMs reach the outside out of the box
// (libvirt runs dnsmasq for DHCP and DNS on it and adds the masquerading rules), the networks a host
// has, and the addresses a VM got on them.
import { isIPv4 } from 'node:net';
import { HypervisorError } from './errors.ts';
import { checkId, unless, xmlBuilder, type VirshRunner } from './virsh-runner.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NO_NETWORK = /Network not found|no network with matching name/i;

export interface NatNetworkSpec {
  name: string;
  /** An IPv4 /24–/16 such as 192.168.150.0/24: the host takes the first address, DHCP hands out the rest. */
  cidr: string;
}

/** Network XML of a NAT network with DHCP over its whole range (the host keeps .1). */
export function natNetworkXml(spec: NatNetworkSpec): string {
  if (!NAME.test(spec.name)) throw new HypervisorError(`invalid network name: ${JSON.stringify(spec.name)}`, 'net-define');
  const [base, bitsText] = spec.cidr.split('/');
  const bits = Number(bitsText);
  if (!isIPv4(base) || !Number.isInteger(bits) || bits < 16 || bits > 24) throw new HypervisorError(`a NAT network needs an IPv4 /16 to /24, not ${JSON.stringify(spec.cidr)}`, 'net-define');
  const start = ipv4ToInt(base) & (~0 << (32 - bits));
  const size = 2 ** (32 - bits);
  const mask = intToIpv4(~0 << (32 - bits));
  return xmlBuilder.build({
    network: {
      name: spec.name,
      forward: { '@mode': 'nat' },
      // No bridge name: libvirt picks a free virbrN (names are at most 15 characters, network names longer).
      bridge: { '@stp': 'on', '@delay': '0' },
      ip: {
        '@address': intToIpv4(start + 1),
        '@netmask': mask,
        dhcp: { range: { '@start': intToIpv4(start + 2), '@end': intToIpv4(start + size - 2) } },
      },
    },
  });
}

/**
 * Makes the named network exist, run and start with the host. One that exists is used as it is
 * (an administrator may have shaped it); one that is missing is made as a NAT network. Safe when
 * several processes do it at once.
 */
export async function ensureNatNetwork(virsh: VirshRunner, spec: NatNetworkSpec): Promise<void> {
  if (!NAME.test(spec.name)) throw new HypervisorError(`invalid network name: ${JSON.stringify(spec.name)}`, 'net-info');
  const exists = await networkActive(virsh, spec.name);
  if (exists === null) {
    await virsh.runWithXml((file) => ['net-define', '--file', file], natNetworkXml(spec)).catch(unless(/already exists/i));
    await virsh.run(['net-autostart', '--network', spec.name]);
  }
  if (!(await networkActive(virsh, spec.name))) await virsh.run(['net-start', '--network', spec.name]).catch(unless(/already active/i));
}

/** true when running, false when defined but stopped, null when there is none of that name. */
export async function networkActive(virsh: VirshRunner, name: string): Promise<boolean | null> {
  const info = await virsh.run(['net-info', '--network', name]).catch((error: unknown) => {
    unless(NO_NETWORK)(error);
    return null;
  });
  return info ? /^Active:\s+yes$/m.test(info.stdout) : null;
}

/** The names of the host's running libvirt networks. */
export async function listNetworks(virsh: VirshRunner): Promise<string[]> {
  const { stdout } = await virsh.run(['net-list', '--name']);
  return stdout.split('\n').map((line) => line.trim()).filter(Boolean);
}

/**
 * The IPv4 addresses a running VM has: from the network's DHCP leases (libvirt networks), else from
 * the guest agent (bridges, static addresses). Empty while it has none or nothing says.
 */
export async function vmAddresses(virsh: VirshRunner, vmId: string): Promise<string[]> {
  const domain = checkId(vmId);
  for (const source of ['lease', 'agent']) {
    const result = await virsh.run(['domifaddr', '--domain', domain, '--source', source]).catch(() => null);
    const addresses = [...(result?.stdout.matchAll(/\bipv4\s+(\d+\.\d+\.\d+\.\d+)\/\d+/g) ?? [])].map((m) => m[1]).filter((a) => !a.startsWith('127.'));
    if (addresses.length) return [...new Set(addresses)];
  }
  return [];
}

const ipv4ToInt = (address: string) => address.split('.').reduce((n, part) => n * 256 + Number(part), 0) | 0;
const intToIpv4 = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
