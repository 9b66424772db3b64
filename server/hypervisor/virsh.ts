import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { errorFromStderr, runCommand, virshUriProblem, type CommandResult } from './command.ts';
import { HypervisorError, ToolMissingError } from './errors.ts';
import { runInShell } from './virsh-shell.ts';

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

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: false, processEntities: true });

export type DomainState = 'running' | 'paused' | 'shutoff' | 'shutdown' | 'crashed' | 'pmsuspended' | 'blocked' | 'nostate';

export interface LifecycleEvent {
  vmId: string;
  /** libvirt's event name: Defined, Undefined, Started, Suspended, Resumed, Stopped, Shutdown, PMSuspended, Crashed. */
  event: string;
  /** Its detail, e.g. "Booted", "Destroyed", "Shutdown", "Finished after host request". */
  detail: string;
}

/** libvirt's virDomainState numbering, as printed by `domstats --state`. */
const STATES: DomainState[] = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Pool and volume names we use: no whitespace (vol-list prints columns), no leading dash (never an option). */
const STORAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function domainName(vmId: string): string {
  return `hangar-${vmId}`;
}

/** The VM id of one of our domains, or null for any other domain (including probe guests). */
export function vmIdFromDomainName(name: string): string | null {
  const match = /^hangar-(.+)$/.exec(name);
  return match && UUID.test(match[1]) ? match[1].toLowerCase() : null;
}

function checkId(id: string): string {
  // A UUID can never be taken by virsh for an option or for another domain's name.
  if (!UUID.test(id)) throw new HypervisorError(`invalid VM id: ${JSON.stringify(id)}`, 'virsh');
  return id;
}

function checkStorageName(kind: string, name: string): string {
  if (!STORAGE_NAME.test(name)) throw new HypervisorError(`invalid ${kind} name: ${JSON.stringify(name)}`, 'virsh');
  return name;
}

/** `domstats --state` output → domain name → state. */
function parseDomstats(stdout: string): Map<string, DomainState> {
  const states = new Map<string, DomainState>();
  let current: string | null = null;
  for (const line of stdout.split('\n').map((l) => l.trim())) {
    const domain = /^Domain: '(.*)'$/.exec(line);
    if (domain) current = domain[1];
    const state = /^state\.state=(\d+)$/.exec(line);
    if (state && current !== null) states.set(current, STATES[Number(state[1])] ?? 'nostate');
  }
  return states;
}

/** Idempotence: swallow the libvirt error meaning "already as wanted", rethrow anything else. */
function unless(pattern: RegExp): (error: unknown) => void {
  return (error) => {
    if (!(error instanceof Error && pattern.test(error.message))) throw error;
  };
}

const NOT_RUNNING = /domain is not running|Domain not found|failed to get domain/i;
const NO_DOMAIN = /Domain not found|failed to get domain/i;
const NO_VOLUME = /Storage volume not found|failed to get vol/i;
const NO_POOL = /Storage pool not found|failed to get pool/i;

/** Transfers up to this size go through a shared virsh shell; larger ones get their own process. */
const SHELL_TRANSFER_MAX_BYTES = 16 * 1024 * 1024;

/**
 * One libvirt connection URI, driven through `virsh -c URI …`: long-lived shells shared by every
 * Virsh of the URI (see virsh-shell.ts), or a child process per command where a shell cannot serve.
 */
export class Virsh {
  readonly uri: string;
  readonly timeoutMs: number;

  constructor(uri: string, timeoutMs = 15_000) {
    this.uri = uri;
    this.timeoutMs = timeoutMs;
  }

  async run(args: string[], timeoutMs = this.timeoutMs): Promise<CommandResult> {
    const label = `virsh ${args.find((a) => !a.startsWith('-')) ?? ''}`.trim();
    const inShell = runInShell(this.uri, args, label, timeoutMs);
    const result = inShell && (await inShell);
    // --quiet drops decoration; -c pins the URI so the environment cannot redirect us.
    return result ?? runCommand('virsh', ['--quiet', '-c', this.uri, ...args], { timeoutMs });
  }

  /** Runs a command that reads an XML document from a file (virsh reads it on this side, so remote URIs work). */
  async runWithXml(args: (file: string) => string[], xml: string): Promise<CommandResult> {
    // Node's child stdin is a socket, which virsh cannot open as /dev/stdin: use a private file.
    const dir = await mkdtemp(join(tmpdir(), 'hangar-xml-'));
    const file = join(dir, 'document.xml');
    try {
      await writeFile(file, xml, { mode: 0o600 });
      return await this.run(args(file));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async capabilities(): Promise<HostCapabilities> {
    const [version, nodeInfo, caps] = await Promise.all([this.run(['version', '--daemon']), this.run(['nodeinfo']), this.run(['capabilities'])]);
    const field = (text: string, name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(text)?.[1].trim() ?? '';
    const doc = parser.parse(caps.stdout).capabilities;
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
  async probeDomainType(capabilities: HostCapabilities): Promise<{ domainType: DomainType; reason: string }> {
    if (!capabilities.domainTypes.includes('kvm')) return { domainType: 'qemu', reason: 'libvirt offers no kvm domain type here' };
    // A firmware loop runs under nested KVM where a Linux guest has been seen to hang: stay safe.
    if (capabilities.nested) return { domainType: 'qemu', reason: 'the host is itself a VM (nested KVM); set the domain type to KVM to override' };
    const name = `hangar-probe-${randomUUID().slice(0, 8)}`;
    const xml = builder.build({
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
      await this.runWithXml((file) => ['create', file], xml);
      const cpuTime = async () => Number(/cpu\.time=(\d+)/.exec((await this.run(['domstats', '--cpu-total', name])).stdout)?.[1] ?? 0);
      const first = await cpuTime();
      await new Promise((r) => setTimeout(r, 500));
      const second = await cpuTime();
      return second > first ? { domainType: 'kvm', reason: 'a kvm guest ran' } : { domainType: 'qemu', reason: 'a kvm guest started but did not run' };
    } catch (error) {
      return { domainType: 'qemu', reason: `a kvm guest could not start: ${(error as Error).message}` };
    } finally {
      await this.run(['destroy', name]).catch(() => {});
    }
  }

  // ---- Domains ------------------------------------------------------------------------------

  /** null when libvirt has no such domain. */
  async domainState(id: string): Promise<DomainState | null> {
    try {
      const { stdout } = await this.run(['domstats', '--state', checkId(id)]);
      return [...parseDomstats(stdout).values()][0] ?? null;
    } catch (error) {
      if (error instanceof Error && NO_DOMAIN.test(error.message)) return null;
      throw error;
    }
  }

  /**
   * States of all our domains (running or not) in one call, keyed by VM id. Over a connection of
   * its own: the periodic reconcile that calls it is how a host that no longer takes connections
   * is found out, which a shell connected since before would hide.
   */
  async listStates(): Promise<Map<string, DomainState>> {
    const { stdout } = await runCommand('virsh', ['--quiet', '-c', this.uri, 'domstats', '--state'], { timeoutMs: this.timeoutMs });
    const states = new Map<string, DomainState>();
    for (const [name, state] of parseDomstats(stdout)) {
      const vmId = vmIdFromDomainName(name);
      if (vmId) states.set(vmId, state);
    }
    return states;
  }

  /** Defines or redefines (same UUID) a persistent domain. */
  async define(xml: string): Promise<void> {
    await this.runWithXml((file) => ['define', '--file', file], xml);
  }

  /** Absent is fine. A running domain becomes transient and vanishes when it stops: destroy it first. */
  async undefine(id: string): Promise<void> {
    // --nvram / --managed-save: otherwise libvirt refuses to undefine UEFI guests or guests with a saved state.
    await this.run(['undefine', '--domain', checkId(id), '--nvram', '--managed-save', '--snapshots-metadata', '--checkpoints-metadata']).catch(unless(NO_DOMAIN));
  }

  /** Already running is fine. */
  async start(id: string): Promise<void> {
    await this.run(['start', '--domain', checkId(id)]).catch(unless(/already active|already running/i));
  }

  /** Hard power-off; not running or absent is fine. */
  async destroy(id: string): Promise<void> {
    await this.run(['destroy', '--domain', checkId(id)]).catch(unless(NOT_RUNNING));
  }

  /** Asks the guest to power off (ACPI power button); returns once the request is delivered. */
  async shutdown(id: string): Promise<void> {
    await this.run(['shutdown', '--domain', checkId(id), '--mode', 'acpi']);
  }

  async reboot(id: string): Promise<void> {
    await this.run(['reboot', '--domain', checkId(id)]);
  }

  /** Hard reset, like the reset button. */
  async reset(id: string): Promise<void> {
    await this.run(['reset', '--domain', checkId(id)]);
  }

  async suspend(id: string): Promise<void> {
    await this.run(['suspend', '--domain', checkId(id)]);
  }

  async resume(id: string): Promise<void> {
    await this.run(['resume', '--domain', checkId(id)]);
  }

  // ---- Storage ------------------------------------------------------------------------------

  /** A directory pool at path, defined, built, started and autostarted as needed. */
  async ensurePool(name: string, path: string): Promise<void> {
    checkStorageName('pool', name);
    let info = await this.run(['pool-info', '--pool', name]).catch((error: unknown) => {
      unless(NO_POOL)(error);
      return null;
    });
    if (!info) {
      await this.run(['pool-define-as', '--name', name, '--type', 'dir', '--target', path]).catch(unless(/already exists/i));
      await this.run(['pool-autostart', '--pool', name]);
      info = await this.run(['pool-info', '--pool', name]);
    }
    if (!/^State:\s+running$/m.test(info.stdout)) {
      // pool-build creates the directory (with parents) and is harmless when it exists.
      await this.run(['pool-build', '--pool', name]);
      await this.run(['pool-start', '--pool', name]).catch(unless(/already active/i));
    }
  }

  /** Creates an empty volume and returns its path. */
  async createVolume(pool: string, name: string, sizeBytes: number, format: 'qcow2' | 'raw'): Promise<string> {
    checkStorageName('pool', pool);
    checkStorageName('volume', name);
    if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) throw new HypervisorError(`invalid volume size: ${sizeBytes}`, 'virsh');
    const xml = builder.build({
      volume: {
        name,
        capacity: { '@unit': 'bytes', '#text': sizeBytes },
        allocation: { '@unit': 'bytes', '#text': 0 },
        target: { format: { '@type': format } },
      },
    });
    await this.runWithXml((file) => ['vol-create', '--pool', pool, '--file', file], xml);
    const path = await this.volumePath(pool, name);
    if (!path) throw new HypervisorError(`volume ${name} vanished after creation`, 'virsh vol-create');
    return path;
  }

  /** Absent is fine. */
  async deleteVolume(pool: string, name: string): Promise<void> {
    await this.run(['vol-delete', '--pool', checkStorageName('pool', pool), '--vol', checkStorageName('volume', name)]).catch(unless(NO_VOLUME));
  }

  async volumePath(pool: string, name: string): Promise<string | null> {
    try {
      const { stdout } = await this.run(['vol-path', '--pool', checkStorageName('pool', pool), '--vol', checkStorageName('volume', name)]);
      return stdout.trim() || null;
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
  async domainDisks(): Promise<Array<{ domain: string; files: string[]; wholeChain: boolean }>> {
    const uuids = (await this.run(['list', '--all', '--uuid'])).stdout.split('\n').map((line) => line.trim()).filter(Boolean);
    const disks: Array<{ domain: string; files: string[]; wholeChain: boolean }> = [];
    for (const uuid of uuids) {
      const domain = parser.parse((await this.run(['dumpxml', uuid])).stdout).domain;
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

  /** Names of the host's storage pools, running or not. */
  async listPools(): Promise<{ active: string[]; inactive: string[] }> {
    const names = async (flag: string) => (await this.run(['pool-list', flag, '--name'])).stdout.split('\n').map((line) => line.trim()).filter(Boolean);
    const [active, inactive] = await Promise.all([names('--all'), names('--inactive')]);
    return { active: active.filter((name) => !inactive.includes(name)), inactive };
  }

  /** Has libvirt look at the pool's directory again (volumes made there by other tools, external snapshots). */
  async refreshPool(pool: string): Promise<void> {
    await this.run(['pool-refresh', '--pool', checkStorageName('pool', pool)]);
  }

  /** A volume's own path, and the path of the file it backs onto (a qcow2 overlay's base) or null. */
  async volumePaths(pool: string, name: string): Promise<{ path: string; backingPath: string | null }> {
    const { stdout } = await this.run(['vol-dumpxml', '--pool', checkStorageName('pool', pool), '--vol', checkStorageName('volume', name)]);
    const volume = parser.parse(stdout).volume;
    const backingPath = volume?.backingStore?.path;
    return { path: String(volume?.target?.path ?? ''), backingPath: typeof backingPath === 'string' && backingPath ? backingPath : null };
  }

  /** Volume names of a pool (first column of vol-list; our names have no spaces). */
  async listVolumes(pool: string): Promise<string[]> {
    const { stdout } = await this.run(['vol-list', '--pool', checkStorageName('pool', pool)]);
    return stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0])
      .filter(Boolean);
  }

  /**
   * A new volume holding exactly the bytes of a local file (sent through libvirt, so remote hosts
   * work); returns its path. A volume that was created here but not filled is removed again.
   */
  async uploadVolume(pool: string, name: string, filePath: string, format: 'qcow2' | 'raw'): Promise<string> {
    checkStorageName('pool', pool);
    checkStorageName('volume', name);
    const file = resolve(filePath);
    const { size } = await stat(file);
    if (size <= 0) throw new HypervisorError(`${file} is empty`, 'virsh vol-upload');
    // Created raw at the file's exact length: vol-upload writes in place without truncating, so a
    // qcow2 volume made by qemu-img create could keep stray bytes past the uploaded data.
    const xml = builder.build({
      volume: {
        name,
        capacity: { '@unit': 'bytes', '#text': size },
        allocation: { '@unit': 'bytes', '#text': 0 },
        target: { format: { '@type': 'raw' } },
      },
    });
    await this.runWithXml((xmlFile) => ['vol-create', '--pool', pool, '--file', xmlFile], xml);
    try {
      await this.runTransfer(['vol-upload', '--pool', pool, '--vol', name, '--file', file, '--sparse'], size);
      await this.settleVolumeFormat(pool, name, format);
      const path = await this.volumePath(pool, name);
      if (!path) throw new HypervisorError(`volume ${name} vanished after upload`, 'virsh vol-upload');
      return path;
    } catch (error) {
      await this.retryWhileBusy(() => this.deleteVolume(pool, name)).catch(() => {});
      throw error;
    }
  }

  /** Copies a volume's bytes into a local file (created or overwritten). */
  async downloadVolume(pool: string, name: string, filePath: string): Promise<void> {
    const info = await this.volumeInfo(pool, name);
    if (!info) throw new HypervisorError(`no volume ${name} in pool ${pool}`, 'virsh vol-download');
    await this.runTransfer(['vol-download', '--pool', pool, '--vol', name, '--file', resolve(filePath), '--sparse'], Math.max(info.allocationBytes, info.capacityBytes));
  }

  /** A qcow2 volume whose unwritten blocks read from backingPath (a file of backingFormat); returns its path. */
  async createOverlay(pool: string, name: string, backingPath: string, capacityBytes: number, backingFormat: 'qcow2' | 'raw'): Promise<string> {
    checkStorageName('pool', pool);
    checkStorageName('volume', name);
    // A relative name could be read by qemu as a protocol ("nbd:…", "json:{…}") or resolve elsewhere.
    if (!isAbsolute(backingPath)) throw new HypervisorError(`backing path must be absolute: ${JSON.stringify(backingPath)}`, 'virsh vol-create');
    if (!Number.isSafeInteger(capacityBytes) || capacityBytes <= 0) throw new HypervisorError(`invalid volume size: ${capacityBytes}`, 'virsh');
    const xml = builder.build({
      volume: {
        name,
        capacity: { '@unit': 'bytes', '#text': capacityBytes },
        target: { format: { '@type': 'qcow2' } },
        // The backing format is stated, never probed: a probed raw file could pose as qcow2.
        backingStore: { path: backingPath, format: { '@type': backingFormat } },
      },
    });
    await this.runWithXml((file) => ['vol-create', '--pool', pool, '--file', file], xml);
    const path = await this.volumePath(pool, name);
    if (!path) throw new HypervisorError(`volume ${name} vanished after creation`, 'virsh vol-create');
    return path;
  }

  /** A full, standalone copy (the backing chain flattened into it); returns its path. */
  async copyVolume(fromPool: string, fromName: string, toPool: string, toName: string, format: 'qcow2'): Promise<string> {
    checkStorageName('pool', toPool);
    checkStorageName('volume', toName);
    const info = await this.volumeInfo(fromPool, fromName);
    if (!info) throw new HypervisorError(`no volume ${fromName} in pool ${fromPool}`, 'virsh vol-create-from');
    // No <backingStore>: libvirt runs qemu-img convert, which reads through the chain.
    const xml = builder.build({
      volume: {
        name: toName,
        capacity: { '@unit': 'bytes', '#text': info.capacityBytes },
        target: { format: { '@type': format } },
      },
    });
    const dir = await mkdtemp(join(tmpdir(), 'hangar-xml-'));
    const file = join(dir, 'document.xml');
    try {
      await writeFile(file, xml, { mode: 0o600 });
      await this.runTransfer(['vol-create-from', '--pool', toPool, '--file', file, '--vol', fromName, '--inputpool', fromPool], info.capacityBytes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const path = await this.volumePath(toPool, toName);
    if (!path) throw new HypervisorError(`volume ${toName} vanished after creation`, 'virsh vol-create-from');
    return path;
  }

  /**
   * Grows a volume to capacityBytes; already that large or larger is fine (never shrinks). Not for
   * a disk a running VM has open: that takes `blockresize` on the domain.
   */
  async resizeVolume(pool: string, name: string, capacityBytes: number): Promise<void> {
    if (!Number.isSafeInteger(capacityBytes) || capacityBytes <= 0) throw new HypervisorError(`invalid volume size: ${capacityBytes}`, 'virsh');
    const info = await this.volumeInfo(pool, name);
    if (!info) throw new HypervisorError(`no volume ${name} in pool ${pool}`, 'virsh vol-resize');
    if (info.capacityBytes >= capacityBytes) return;
    // A concurrent resize may have grown it past our size meanwhile: libvirt then refuses to "shrink".
    await this.run(['vol-resize', '--pool', pool, '--vol', name, '--capacity', String(capacityBytes)]).catch(unless(/shrink/i));
  }

  /** null when the pool has no such volume. */
  async volumeInfo(pool: string, name: string): Promise<{ capacityBytes: number; allocationBytes: number } | null> {
    try {
      const { stdout } = await this.run(['vol-info', '--bytes', '--pool', checkStorageName('pool', pool), '--vol', checkStorageName('volume', name)]);
      const field = (label: string) => Number(new RegExp(`^${label}:\\s*(\\d+) bytes$`, 'm').exec(stdout)?.[1] ?? NaN);
      return { capacityBytes: field('Capacity'), allocationBytes: field('Allocation') };
    } catch (error) {
      if (error instanceof Error && NO_VOLUME.test(error.message)) return null;
      throw error;
    }
  }

  /** The format libvirt records for a volume (what it tells qemu when the volume is used). */
  private async volumeFormat(pool: string, name: string): Promise<string | null> {
    const { stdout } = await this.run(['vol-dumpxml', '--pool', pool, '--vol', name]);
    return parser.parse(stdout).volume?.target?.format?.['@type'] ?? null;
  }

  /**
   * libvirt learns an uploaded file's format by probing it: a pool refresh it starts by itself when
   * the upload ends (asynchronously). Wait for that, or refresh ourselves, then insist on format.
   */
  private async settleVolumeFormat(pool: string, name: string, format: 'qcow2' | 'raw'): Promise<void> {
    // Raw content that libvirt recognises as an ISO 9660 filesystem (a cloud-init seed) is still raw.
    const fits = (found: string | null) => found === format || (format === 'raw' && found === 'iso');
    let actual = await this.volumeFormat(pool, name);
    for (let i = 0; !fits(actual) && i < 10; i++) {
      await new Promise((r) => setTimeout(r, 200));
      actual = await this.volumeFormat(pool, name);
    }
    if (!fits(actual)) {
      await this.retryWhileBusy(() => this.run(['pool-refresh', '--pool', pool]));
      actual = await this.volumeFormat(pool, name);
    }
    if (!fits(actual)) throw new HypervisorError(`volume ${name} was uploaded as ${format} but libvirt reads it as ${actual ?? 'unknown'}`, 'virsh vol-upload');
  }

  /** Retries while libvirt still finishes an upload on the pool (its refresh holds the pool busy). */
  private async retryWhileBusy<T>(action: () => Promise<T>, attempts = 25): Promise<T> {
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
  private runTransfer(args: string[], bytes: number): Promise<CommandResult> {
    const timeoutMs = Math.max(this.timeoutMs, 120_000 + Math.ceil(bytes / 1024 / 1024) * 1000);
    // A big one would keep a shell busy for minutes.
    if (bytes <= SHELL_TRANSFER_MAX_BYTES) return this.run(args, timeoutMs);
    return runCommand('virsh', ['--quiet', '-c', this.uri, ...args], { timeoutMs });
  }

  // ---- Events -------------------------------------------------------------------------------

  /**
   * Follows lifecycle events of our domains through a long-lived `virsh event --loop`. onExit
   * fires once when it ends: null after stop(), an error otherwise (e.g. libvirtd went away).
   * Registration takes a moment after the call: events in the first few hundred ms may be missed.
   */
  watchLifecycle(onEvent: (e: LifecycleEvent) => void, onExit: (error: Error | null) => void): { stop(): void } {
    // No --all: virsh refuses it together with --event; without a domain it watches every domain.
    const args = ['--quiet', '-c', this.uri, 'event', '--loop', '--event', 'lifecycle'];
    const problem = virshUriProblem(args);
    if (problem) {
      queueMicrotask(() => onExit(new HypervisorError(problem, 'virsh event')));
      return { stop() {} };
    }
    const child = spawn('virsh', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stopped = false;
    let exited = false;
    let stderr = '';
    let pending = '';
    const exit = (error: Error | null) => {
      if (exited) return;
      exited = true;
      onExit(stopped ? null : error);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^event 'lifecycle' for domain '(.*)': (\S+)\s*(.*)$/.exec(line.trim());
        const vmId = match && vmIdFromDomainName(match[1]);
        if (match && vmId) onEvent({ vmId, event: match[2], detail: match[3] });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4096)));
    child.on('error', (error: NodeJS.ErrnoException) => exit(error.code === 'ENOENT' ? new ToolMissingError('virsh') : new HypervisorError(error.message, 'virsh event')));
    child.on('close', (code) => exit(code === 0 ? new HypervisorError('virsh event ended', 'virsh event') : errorFromStderr('virsh event', stderr, code)));
    return {
      stop() {
        stopped = true;
        child.kill('SIGTERM');
      },
    };
  }
}
