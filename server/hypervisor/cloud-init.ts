// cloud-init NoCloud seed: user-data, meta-data and network-config built as objects and emitted by
// a YAML emitter, then packed into an ISO labelled "cidata" that the guest finds at first boot.
import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encrypt } from 'unixcrypt';
import { stringify } from 'yaml';
import type { GuestConfig } from '../../db/types.ts';
import { runCommand } from './command.ts';

/** The guest's settings (passwordHash: sha512-crypt, see hashPassword; null: no password login at all) for one install. */
export interface CloudInitSpec extends Omit<GuestConfig, 'fullCopy'> {
  instanceId: string;
  network: { mac: string; address: string /* CIDR, e.g. 10.0.0.5/24 */; gateway: string | null; dns: string[] } | null;
  /** The disk is a copy of another machine's (a clone): its machine-id is made anew on its first boot as this instance. */
  newMachineId?: boolean;
  /** The VM's other NICs (attached after it was made), each with its pool address or DHCP (null); primaryMac: the first NIC's, for DHCP on it when network is null. */
  interfaces?: Array<{ mac: string; address: string | null }>;
  primaryMac?: string | null;
}

export interface CloudInitDocuments {
  userData: string;
  metaData: string;
  /** null: the guest configures its network by DHCP. */
  networkConfig: string | null;
}

export const FIRST_BOOT_SCRIPT_PATH = '/var/lib/hangar/first-boot';

/**
 * The guest parses these with PyYAML (YAML 1.1), which reads plain scalars its own way ("on" is a
 * boolean, "=" is not loadable at all, a date becomes a date). So every string is double-quoted,
 * under the 1.1 schema, never folded: no user text can become anything but a string.
 */
function emit(value: unknown): string {
  const text = stringify(value, { version: '1.1', lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
  // The emitter leaves these raw, but PyYAML folds U+0085/U+2028/U+2029 as line breaks and refuses
  // the other C1 controls and U+FFFE/U+FFFF. Our keys are ASCII, so such a character can only
  // stand inside a double-quoted string, where YAML's escapes are valid.
  return text.replace(/[\x7f-\x9f\u2028\u2029\ufffe\uffff]/g, (ch) => {
    if (ch === '\u2028') return '\\L';
    if (ch === '\u2029') return '\\P';
    if (ch === '\x85') return '\\N';
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

export function cloudInitDocuments(spec: CloudInitSpec): CloudInitDocuments {
  const hasPassword = spec.passwordHash !== null;
  const user: Record<string, unknown> = {
    name: spec.user,
    // Key-only users have no password to type: sudo must not ask for one.
    sudo: 'ALL=(ALL) NOPASSWD:ALL',
    shell: '/bin/bash',
    lock_passwd: !hasPassword,
    ...(hasPassword ? { hashed_passwd: spec.passwordHash } : {}),
    ssh_authorized_keys: [...spec.sshKeys],
  };
  const config: Record<string, unknown> = {
    hostname: spec.hostname,
    preserve_hostname: false,
    // The hostname must resolve, or sudo stalls and complains on every call.
    manage_etc_hosts: true,
    // No "default" entry: the image's stock user (ubuntu, debian, …) is not created.
    users: [user],
    ssh_pwauth: hasPassword,
    timezone: spec.timezone,
    growpart: { mode: 'auto', devices: ['/'] },
    resize_rootfs: true,
    // The network config is read from the seed again at every boot, so NICs attached later (their
    // seed rewritten) are configured from the next boot on.
    updates: { network: { when: ['boot'] } },
  };
  if (spec.firstBootScript !== null) {
    config.write_files = [{ path: FIRST_BOOT_SCRIPT_PATH, permissions: '0700', owner: 'root:root', content: spec.firstBootScript }];
    // An argv list holding only our constant path: cloud-init quotes it, no user text reaches a shell line.
    config.runcmd = [[FIRST_BOOT_SCRIPT_PATH]];
  }
  if (spec.newMachineId) {
    // bootcmd runs on every boot, early; cloud-init-per keeps this to the first boot of this instance.
    // Without /etc/machine-id, systemd-machine-id-setup makes a new one (from the VM's UUID where it can).
    config.bootcmd = [['cloud-init-per', 'instance', 'hangar-machine-id', 'sh', '-c', 'rm -f /etc/machine-id /var/lib/dbus/machine-id && systemd-machine-id-setup']];
  }
  const userData = `#cloud-config\n${emit(config)}`;
  const metaData = emit({ 'instance-id': spec.instanceId, 'local-hostname': spec.hostname });
  let networkConfig: string | null = null;
  const ethernets: Record<string, unknown> = {};
  if (spec.network) {
    const { mac, address, gateway, dns } = spec.network;
    const ethernet: Record<string, unknown> = { match: { macaddress: mac }, addresses: [address] };
    // An explicit default route rather than gateway4 (deprecated) or "to: default" (unknown to older cloud-init).
    if (gateway !== null) ethernet.routes = [{ to: gateway.includes(':') ? '::/0' : '0.0.0.0/0', via: gateway }];
    if (dns.length > 0) ethernet.nameservers = { addresses: [...dns] };
    ethernets.primary = ethernet;
  }
  if (spec.interfaces?.length) {
    // A network config replaces cloud-init's DHCP fallback: the first NIC on DHCP is named too.
    if (!spec.network && spec.primaryMac) ethernets.primary = { match: { macaddress: spec.primaryMac }, dhcp4: true };
    spec.interfaces.forEach((nic, i) => {
      ethernets[`nic${i + 1}`] = { match: { macaddress: nic.mac }, ...(nic.address ? { addresses: [nic.address] } : { dhcp4: true }) };
    });
  }
  if (Object.keys(ethernets).length) networkConfig = emit({ version: 2, ethernets });
  return { userData, metaData, networkConfig };
}

/** Writes the NoCloud seed ISO (volume id "cidata") for spec to outputPath. */
export async function buildSeedIso(spec: CloudInitSpec, outputPath: string): Promise<void> {
  const documents = cloudInitDocuments(spec);
  // mkdtemp makes the directory 0700: password hashes and keys are not for other local users.
  const dir = await mkdtemp(join(tmpdir(), 'hangar-seed-'));
  try {
    const files: Array<[string, string]> = [
      ['user-data', documents.userData],
      ['meta-data', documents.metaData],
    ];
    if (documents.networkConfig !== null) files.push(['network-config', documents.networkConfig]);
    for (const [name, content] of files) await writeFile(join(dir, name), content, { mode: 0o600 });
    // Rock Ridge keeps the long lowercase names that cloud-init looks for; Joliet serves Windows guests.
    await runCommand('genisoimage', ['-quiet', '-output', resolve(outputPath), '-volid', 'cidata', '-joliet', '-rock', ...files.map(([name]) => join(dir, name))], { timeoutMs: 60_000 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const SALT_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./';

/** sha512-crypt ($6$<16-char salt>$…), the format /etc/shadow and cloud-init's hashed_passwd take. */
export function hashPassword(plain: string): string {
  let salt = '';
  for (let i = 0; i < 16; i++) salt += SALT_ALPHABET[randomInt(SALT_ALPHABET.length)];
  return encrypt(plain, `$6$${salt}`);
}
