// A host in memory for operations' unit tests: domains with states and pools with volumes, the
// Hypervisor interface over them answering as the libvirt one does (checked against libvirt 9.0
// here: start or resume of a running domain, destroy or undefine of a missing one, delete of a
// missing volume succeed; shutdown, reset and suspend of a stopped domain fail), every call
// recorded, and any call made to fail. It adds fast coverage; the real-libvirt tests stay.
import { createHash, randomUUID } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { GuestAgentTimeoutError } from '../../server/hypervisor/guest-agent.ts';
import type { DomainState } from '../../server/hypervisor/domains.ts';
import type { Hypervisor } from '../../server/hypervisor/hypervisor.ts';
import type { VolumeFormat } from '../../server/hypervisor/storage.ts';
import { vmIdFromDomainName } from '../../server/hypervisor/virsh-runner.ts';

export interface FakeVolume {
  format: VolumeFormat;
  capacityBytes: number;
  backing: string | null;
}

export interface FakeCall {
  method: string;
  args: unknown[];
  /** The step that was running when it was made (see tagCall). */
  step: string | undefined;
}

/** What a host holds, to compare before and after. */
export interface HostSnapshot {
  domains: Record<string, { state: DomainState; xml: string }>;
  pools: Record<string, Record<string, FakeVolume>>;
}

type Failure = { when: (call: FakeCall, index: number) => boolean; error: Error };

export class FakeHypervisor {
  readonly uri: string;
  /** Other hosts in memory, by URI: where a migration goes. */
  readonly peers = new Map<string, FakeHypervisor>();
  readonly domains = new Map<string, { state: DomainState; xml: string }>();
  readonly pools = new Map<string, Map<string, FakeVolume>>();
  readonly calls: FakeCall[] = [];
  /** Each domain's snapshots (by name: parent, memory) and its current one. */
  readonly snapshots = new Map<string, { list: Map<string, { parent: string | null; withMemory: boolean }>; current: string | null }>();
  /** Whether a guest answers ACPI and its agent: false makes shutdown wait and the agent time out. */
  guestCooperates = true;
  /** Names the step a call is made in (the harness sets it). */
  tagCall: () => string | undefined = () => undefined;
  private failures: Failure[] = [];
  private readonly counts = new Map<string, number>();

  constructor(pools: string[] = ['hangar-disks', 'hangar-images'], uri = 'fake:///system') {
    this.uri = uri;
    for (const pool of pools) this.pools.set(pool, new Map());
  }

  /** The nth call (1-based, counted from now) of the method throws the error. */
  failOn(method: string, nth = 1, error = new Error(`${method} failed (fake)`)): void {
    const at = (this.counts.get(method) ?? 0) + nth;
    this.failures.push({ when: (call) => call.method === method && this.counts.get(method) === at, error });
  }

  /** The first call made while the named step runs throws. */
  failInStep(step: string, error = new Error(`a call in "${step}" failed (fake)`)): void {
    let done = false;
    this.failures.push({ when: (call) => !done && call.step === step && (done = true), error });
  }

  snapshot(): HostSnapshot {
    return structuredClone({
      domains: Object.fromEntries(this.domains),
      pools: Object.fromEntries([...this.pools].map(([name, volumes]) => [name, Object.fromEntries(volumes)])),
    });
  }

  /** Records a call (and fails it when asked); public so a test's other fakes share the record. */
  call(method: string, args: unknown[]): void {
    const call = { method, args, step: this.tagCall() };
    this.calls.push(call);
    this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
    const failure = this.failures.find((f) => f.when(call, this.calls.length - 1));
    if (failure) throw failure.error;
  }

  private pool(name: string): Map<string, FakeVolume> {
    const pool = this.pools.get(name);
    if (!pool) throw new Error(`Storage pool not found: no storage pool with matching name '${name}'`);
    return pool;
  }

  private domain(vmId: string): { state: DomainState; xml: string } {
    const domain = this.domains.get(vmId);
    if (!domain) throw new Error(`failed to get domain '${vmId}': Domain not found`);
    return domain;
  }

  private running(vmId: string): { state: DomainState; xml: string } {
    const domain = this.domain(vmId);
    if (domain.state !== 'running' && domain.state !== 'paused') throw new Error('Requested operation is not valid: domain is not running');
    return domain;
  }

  private path(pool: string, name: string): string {
    return `/fake${new URL(this.uri).host ? `-${new URL(this.uri).host}` : ''}/${pool}/${name}`;
  }

  async domainState(vmId: string) {
    this.call('domainState', [vmId]);
    return this.domains.get(vmId)?.state ?? null;
  }
  async listStates() {
    this.call('listStates', []);
    return new Map([...this.domains].map(([id, d]) => [id, d.state]));
  }
  async define(xml: string) {
    this.call('define', [xml]);
    const uuid = /<uuid>([^<]+)<\/uuid>/.exec(xml)?.[1] ?? vmIdFromDomainName(/<name>([^<]+)<\/name>/.exec(xml)?.[1] ?? '');
    if (!uuid) throw new Error('XML error: no uuid or Hangar name in the domain');
    const current = this.domains.get(uuid);
    this.domains.set(uuid, { state: current?.state ?? 'shutoff', xml });
  }
  async undefine(vmId: string) {
    this.call('undefine', [vmId]);
    this.domains.delete(vmId);
  }
  async start(vmId: string) {
    this.call('start', [vmId]);
    const domain = this.domain(vmId);
    if (domain.state !== 'running' && domain.state !== 'paused') domain.state = 'running';
  }
  async destroy(vmId: string) {
    this.call('destroy', [vmId]);
    const domain = this.domains.get(vmId);
    if (domain) domain.state = 'shutoff';
  }
  async shutdown(vmId: string) {
    this.call('shutdown', [vmId]);
    const domain = this.domain(vmId);
    if (domain.state !== 'running') throw new Error('Requested operation is not valid: domain is not running');
    if (this.guestCooperates) domain.state = 'shutoff';
  }
  async reboot(vmId: string) {
    this.call('reboot', [vmId]);
    this.running(vmId);
  }
  async reset(vmId: string) {
    this.call('reset', [vmId]);
    this.running(vmId);
  }
  async suspend(vmId: string) {
    this.call('suspend', [vmId]);
    this.running(vmId).state = 'paused';
  }
  async resume(vmId: string) {
    this.call('resume', [vmId]);
    this.running(vmId).state = 'running';
  }

  /** Each domain's disks plugged in besides its boot disk (vda), by target. */
  readonly diskDevices = new Map<string, Set<string>>();
  private devicesOf(vmId: string): Set<string> {
    this.domain(vmId);
    if (!this.diskDevices.has(vmId)) this.diskDevices.set(vmId, new Set());
    return this.diskDevices.get(vmId)!;
  }
  async attachDisk(vmId: string, disk: { target?: string }, live: boolean) {
    this.call('attachDisk', [vmId, disk, live]);
    if (this.devicesOf(vmId).has(disk.target!)) throw new Error(`Requested operation is not valid: target ${disk.target} already exists`);
    this.devicesOf(vmId).add(disk.target!);
  }
  async detachDisk(vmId: string, target: string, scope: 'live' | 'config') {
    this.call('detachDisk', [vmId, target, scope]);
    if (scope === 'config' || this.guestCooperates) this.devicesOf(vmId).delete(target);
  }
  async diskTargets(vmId: string) {
    this.call('diskTargets', [vmId]);
    return ['vda', ...this.devicesOf(vmId)];
  }
  async blockResize(vmId: string, target: string, bytes: number) {
    this.call('blockResize', [vmId, target, bytes]);
    this.running(vmId);
  }

  async volumePath(pool: string, name: string) {
    this.call('volumePath', [pool, name]);
    return this.pool(pool).has(name) ? this.path(pool, name) : null;
  }
  async listVolumes(pool: string) {
    this.call('listVolumes', [pool]);
    return [...this.pool(pool).keys()];
  }
  async createVolume(pool: string, name: string, sizeBytes: number, format: VolumeFormat) {
    this.call('createVolume', [pool, name, sizeBytes, format]);
    if (this.pool(pool).has(name)) throw new Error(`storage volume '${name}' exists already`);
    this.pool(pool).set(name, { format, capacityBytes: sizeBytes, backing: null });
    return this.path(pool, name);
  }
  async deleteVolume(pool: string, name: string) {
    this.call('deleteVolume', [pool, name]);
    this.pool(pool).delete(name);
  }
  async resizeVolume(pool: string, name: string, capacityBytes: number) {
    this.call('resizeVolume', [pool, name, capacityBytes]);
    const volume = this.pool(pool).get(name);
    if (!volume) throw new Error(`Storage volume not found: no storage vol with matching name '${name}'`);
    if (capacityBytes < volume.capacityBytes) throw new Error("invalid argument: Can't shrink capacity below current capacity unless shrink flag explicitly specified");
    volume.capacityBytes = capacityBytes;
  }
  async uploadVolume(pool: string, name: string, filePath: string, format: VolumeFormat) {
    this.call('uploadVolume', [pool, name, filePath, format]);
    this.pool(pool).set(name, { format, capacityBytes: 1, backing: null });
    return this.path(pool, name);
  }
  async downloadVolume(pool: string, name: string, filePath: string) {
    this.call('downloadVolume', [pool, name, filePath]);
    if (!this.pool(pool).has(name)) throw new Error(`Storage volume not found: no storage vol with matching name '${name}'`);
    await writeFile(filePath, `volume ${pool}/${name}\n`);
  }
  async createOverlay(pool: string, name: string, backingPath: string, capacityBytes: number, backingFormat: VolumeFormat) {
    this.call('createOverlay', [pool, name, backingPath, capacityBytes, backingFormat]);
    if (this.pool(pool).has(name)) throw new Error(`storage volume '${name}' exists already`);
    this.pool(pool).set(name, { format: 'qcow2', capacityBytes, backing: backingPath });
    return this.path(pool, name);
  }
  async copyVolume(fromPool: string, fromName: string, toPool: string, toName: string, format: 'qcow2') {
    this.call('copyVolume', [fromPool, fromName, toPool, toName, format]);
    const from = this.pool(fromPool).get(fromName);
    if (!from) throw new Error(`Storage volume not found: no storage vol with matching name '${fromName}'`);
    if (this.pool(toPool).has(toName)) throw new Error(`storage volume '${toName}' exists already`);
    this.pool(toPool).set(toName, { format, capacityBytes: from.capacityBytes, backing: null });
    return this.path(toPool, toName);
  }

  async volumeByPath(path: string) {
    this.call('volumeByPath', [path]);
    for (const [pool, volumes] of this.pools) for (const [name, volume] of volumes) if (this.path(pool, name) === path) return { capacityBytes: volume.capacityBytes, allocationBytes: volume.capacityBytes };
    return null;
  }

  // Migration: the domain moves to the peer at destUri, which must hold the disks the target XML names.
  async migratableXml(vmId: string) {
    this.call('migratableXml', [vmId]);
    return this.domain(vmId).xml;
  }
  async migrateLive(vmId: string, spec: { destUri: string; copyStorage: boolean; targetXml: string | null }, onJob: (job: object) => void, signal?: AbortSignal) {
    this.call('migrateLive', [vmId, spec]);
    const domain = this.running(vmId);
    const target = this.peers.get(spec.destUri);
    if (!target) throw new Error(`unable to connect to server at '${spec.destUri}'`);
    if (signal?.aborted) throw new Error('operation aborted: migration out job: canceled by client');
    const xml = spec.targetXml ?? domain.xml;
    for (const path of xml.match(/(?<=file=")[^"]+/g) ?? []) if (!(await target.volumeByPath(path))) throw new Error(`Cannot access storage file '${path}': No such file or directory`);
    onJob({ elapsedMs: 1000, diskTotal: 100, diskProcessed: 100, memoryTotal: 100, memoryProcessed: 100, memoryRemaining: 0, memoryBps: 1, dirtyRate: 0, iteration: 2, downtimeMs: null });
    target.domains.set(vmId, { state: domain.state, xml });
    this.domains.delete(vmId);
  }
  async migrationJob(vmId: string, options: { completed?: boolean } = {}) {
    this.call('migrationJob', [vmId, options]);
    return options.completed && this.domains.has(vmId) ? { elapsedMs: 1000, diskTotal: 0, diskProcessed: 0, memoryTotal: 100, memoryProcessed: 100, memoryRemaining: 0, memoryBps: 1, dirtyRate: 0, iteration: 2, downtimeMs: 20 } : null;
  }
  async abortJob(vmId: string) {
    this.call('abortJob', [vmId]);
  }
  async networkActive(name: string) {
    this.call('networkActive', [name]);
    return true;
  }

  /** A snapshot as if taken earlier (no call recorded). */
  addSnapshot(vmId: string, name: string): void {
    const tree = this.snapshotsOf(vmId);
    tree.list.set(name, { parent: tree.current, withMemory: this.domain(vmId).state === 'running' });
    tree.current = name;
  }
  private snapshotsOf(vmId: string) {
    this.domain(vmId);
    let tree = this.snapshots.get(vmId);
    if (!tree) this.snapshots.set(vmId, (tree = { list: new Map(), current: null }));
    return tree;
  }
  async createSnapshot(vmId: string, name: string) {
    this.call('createSnapshot', [vmId, name]);
    if (this.snapshotsOf(vmId).list.has(name)) throw new Error(`operation failed: domain snapshot '${name}' already exists`);
    this.addSnapshot(vmId, name);
  }
  async revertSnapshot(vmId: string, name: string) {
    this.call('revertSnapshot', [vmId, name]);
    const tree = this.snapshotsOf(vmId);
    const snapshot = tree.list.get(name);
    if (!snapshot) throw new Error(`Domain snapshot not found: no domain snapshot with matching name '${name}'`);
    tree.current = name;
    this.domain(vmId).state = snapshot.withMemory ? 'running' : 'shutoff';
  }
  async deleteSnapshot(vmId: string, name: string) {
    this.call('deleteSnapshot', [vmId, name]);
    const tree = this.snapshotsOf(vmId);
    const snapshot = tree.list.get(name);
    if (!snapshot) return;
    for (const child of tree.list.values()) if (child.parent === name) child.parent = snapshot.parent;
    tree.list.delete(name);
    if (tree.current === name) tree.current = snapshot.parent;
  }
  async snapshotInfo(vmId: string, name: string) {
    this.call('snapshotInfo', [vmId, name]);
    const snapshot = this.snapshots.get(vmId)?.list.get(name);
    return snapshot ? { name, parent: snapshot.parent, createdAt: new Date(), state: snapshot.withMemory ? 'running' : 'shutoff', withMemory: snapshot.withMemory } : null;
  }
  async currentSnapshot(vmId: string) {
    this.call('currentSnapshot', [vmId]);
    return this.snapshots.get(vmId)?.current ?? null;
  }
  async guestAgentAnswers(vmId: string) {
    this.call('guestAgentAnswers', [vmId]);
    return this.domains.get(vmId)?.state === 'running' && this.guestCooperates;
  }
  async freezeFileSystems(vmId: string) {
    this.call('freezeFileSystems', [vmId]);
    return this.domain(vmId).state === 'running' && this.guestCooperates;
  }
  async thawFileSystems(vmId: string) {
    this.call('thawFileSystems', [vmId]);
    return this.domains.get(vmId)?.state === 'running' && this.guestCooperates;
  }
  async volumeInfo(pool: string, name: string) {
    this.call('volumeInfo', [pool, name]);
    const volume = this.pool(pool).get(name);
    return volume ? { capacityBytes: volume.capacityBytes, allocationBytes: 0 } : null;
  }

  async waitForGuestAgent(vmId: string, timeoutMs: number, signal?: AbortSignal) {
    this.call('waitForGuestAgent', [vmId, timeoutMs]);
    signal?.throwIfAborted();
    if (this.domain(vmId).state !== 'running' || !this.guestCooperates) {
      throw new GuestAgentTimeoutError(`The guest agent did not answer within ${timeoutMs} ms`);
    }
  }
  /** The NICs of the domain's definition, named eth0… as a guest would; no addresses. */
  async guestInterfaces(vmId: string) {
    this.call('guestInterfaces', [vmId]);
    if (this.domain(vmId).state !== 'running' || !this.guestCooperates) throw new GuestAgentTimeoutError('Guest agent is not responding');
    return [...this.domain(vmId).xml.matchAll(/<mac address="([0-9a-f:]{17})"/g)].map((m, i) => ({ name: `eth${i}`, mac: m[1], addresses: [] as string[] }));
  }
  async guestExec(vmId: string, path: string, args: string[]) {
    this.call('guestExec', [vmId, path, args]);
    return { exitCode: 0, stdout: '', stderr: '' };
  }
  async setGuestPassword(vmId: string, user: string, passwordHash: string) {
    this.call('setGuestPassword', [vmId, user, passwordHash]);
    if (this.domain(vmId).state !== 'running') throw new Error('Guest agent is not responding: domain is not running');
  }

  async sha256File(path: string) {
    this.call('sha256File', [path]);
    return createHash('sha256').update(await readFile(path)).digest('hex');
  }
  async convertImage(src: string, dst: string) {
    this.call('convertImage', [src, dst]);
    await copyFile(src, dst);
  }
  async removeMachineIdentity(file: string) {
    this.call('removeMachineIdentity', [file]);
  }
}

/** A VM id as Hangar makes them. */
export const fakeVmId = (): string => randomUUID();

/**
 * The fake as the Hypervisor operations receive: a call it does not model (a new one) is recorded
 * and resolves to undefined, so adding a hypervisor call needs no change here to run the
 * operation's unit tests (model it here when a test needs its effect).
 */
export function asHypervisor(fake: FakeHypervisor): Hypervisor {
  return new Proxy(fake, {
    get(target, property, receiver) {
      if (typeof property !== 'string' || property in target) return Reflect.get(target, property, receiver);
      return async (...args: unknown[]) => {
        target.call(property, args);
        return undefined;
      };
    },
  }) as unknown as Hypervisor;
}
