// A running domain's devices changed in place: NICs hot-plugged and unplugged, their bandwidth
// tuned, the CD-ROM's medium changed; and what the guest agent says each NIC has. Each call acts on
// the live domain only: the persistent definition is written whole by the caller (define), so a
// redefine can never lose a device. Idempotent where the wanted state may already hold.
import { GuestAgent, type ExecResult } from './guest-agent.ts';
import { CDROM_TARGET, interfaceXml, type BandwidthLimit, type DomainInterface } from './domain-xml.ts';
import { checkId, unless, type VirshRunner } from './virsh-runner.ts';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

function checkMac(mac: string): string {
  if (!MAC.test(mac)) throw new Error(`invalid MAC address: ${JSON.stringify(mac)}`);
  return mac;
}

/** The MAC addresses of the live domain's NICs (lowercase); empty when it does not run. */
export async function liveInterfaceMacs(virsh: VirshRunner, vmId: string): Promise<string[]> {
  const { stdout } = await virsh.run(['domiflist', '--domain', checkId(vmId)]);
  return [...stdout.matchAll(/\b([0-9a-f]{2}(?::[0-9a-f]{2}){5})\b/gi)].map((m) => m[1].toLowerCase());
}

/** Hot-plugs the NIC into the running domain; already there (same MAC) is fine. */
export async function attachInterfaceLive(virsh: VirshRunner, vmId: string, nic: DomainInterface): Promise<void> {
  if ((await liveInterfaceMacs(virsh, vmId)).includes(checkMac(nic.mac))) return;
  await virsh.runWithXml((file) => ['attach-device', '--domain', checkId(vmId), '--file', file, '--live'], interfaceXml(nic));
}

/** Asks the guest to release the NIC and waits until it is gone from the live domain; absent is fine. */
export async function detachInterfaceLive(virsh: VirshRunner, vmId: string, nic: DomainInterface, timeoutMs: number): Promise<void> {
  const mac = checkMac(nic.mac);
  if (!(await liveInterfaceMacs(virsh, vmId)).includes(mac)) return;
  await virsh.run(['detach-interface', '--domain', checkId(vmId), '--type', nic.network.kind, '--mac', mac, '--live']).catch(unless(/no matching|not found/i));
  const deadline = Date.now() + timeoutMs;
  while ((await liveInterfaceMacs(virsh, vmId)).includes(mac)) {
    if (Date.now() > deadline) throw new Error(`The guest did not release the network interface ${mac} within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const tune = (l: BandwidthLimit | null | undefined) => (l ? [l.average, l.peak ?? 0, l.burst ?? 0].map((n) => String(Math.trunc(n))).join(',') : '0');

/** Sets the running NIC's bandwidth limits (none: the limit is lifted). */
export async function tuneInterfaceLive(virsh: VirshRunner, vmId: string, nic: DomainInterface): Promise<void> {
  await virsh.run(['domiftune', '--domain', checkId(vmId), '--interface', checkMac(nic.mac), '--live', '--inbound', tune(nic.bandwidth?.inbound), '--outbound', tune(nic.bandwidth?.outbound)]);
}

/** Whether the live domain has the CD-ROM drive ISOs go into (domains defined before it existed do not). */
export async function hasCdromDrive(virsh: VirshRunner, vmId: string): Promise<boolean> {
  const { stdout } = await virsh.run(['domblklist', '--domain', checkId(vmId), '--details']);
  return stdout.split('\n').some((line) => {
    const [, device, target] = line.trim().split(/\s+/);
    return device === 'cdrom' && target === CDROM_TARGET;
  });
}

/** Puts the file into the running domain's CD-ROM drive (the ISO drive unless told), or empties it (null). */
export async function changeMediaLive(virsh: VirshRunner, vmId: string, path: string | null, target = CDROM_TARGET): Promise<void> {
  if (!/^sd[a-z]$/.test(target)) throw new Error(`invalid CD-ROM target: ${JSON.stringify(target)}`);
  const args = ['change-media', '--domain', checkId(vmId), '--path', target, '--live', '--force'];
  if (path === null) await virsh.run([...args, '--eject']).catch(unless(/no source|already ejected|doesn't have source/i));
  else await virsh.run([...args, '--source', path, '--update']);
}

export interface GuestInterface {
  /** Its name in the guest (eth1, enp7s0…). */
  name: string;
  mac: string;
  /** IPv4 addresses with prefix length. */
  addresses: string[];
}

/** The guest's NICs as its agent reports them (guest-network-get-interfaces); throws when the agent does not answer. */
export async function guestInterfaces(virsh: VirshRunner, vmId: string): Promise<GuestInterface[]> {
  type Reported = { name: string; 'hardware-address'?: string; 'ip-addresses'?: Array<{ 'ip-address-type': string; 'ip-address': string; prefix: number }> };
  const reported = await new GuestAgent(virsh, vmId).command<Reported[]>('guest-network-get-interfaces');
  return reported
    .filter((nic) => nic['hardware-address'] && MAC.test(nic['hardware-address'].toLowerCase()))
    .map((nic) => ({
      name: nic.name,
      mac: nic['hardware-address']!.toLowerCase(),
      addresses: (nic['ip-addresses'] ?? []).filter((a) => a['ip-address-type'] === 'ipv4').map((a) => `${a['ip-address']}/${a.prefix}`),
    }));
}

/** Runs a program in the guest through its agent (no shell), returning its exit code and output. */
export function guestExec(virsh: VirshRunner, vmId: string, path: string, args: string[], timeoutMs = 60_000): Promise<ExecResult> {
  return new GuestAgent(virsh, vmId).exec(path, args, { timeoutMs });
}
