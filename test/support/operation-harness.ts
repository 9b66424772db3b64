// Runs an operation against a FakeHypervisor with its steps recorded in memory (no database, no
// libvirt), as the worker runs it: the same context shape, the same failure policy (operations/run.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostRow, ImageRow, TaskRow, VmDiskRow, VmRow } from '../../db/types.ts';
import type { Config } from '../../server/config.ts';
import type { DomainState } from '../../server/hypervisor/domains.ts';
import { domainXml } from '../../server/hypervisor/domain-xml.ts';
import { createLogger } from '../../server/log.ts';
import { throwIfCancelled, type ImageOperation, type Operation, type OperationContext, type OperationHardware, type OperationServices, type VmState } from '../../server/operations/define.ts';
import { runOperation, type Failure } from '../../server/operations/run.ts';
import { diskVolumeName, seedVolumeName, specOf } from '../../server/operations/volumes.ts';
import { asHypervisor, FakeHypervisor } from './fake-hypervisor.ts';
import { FakeBackups } from './fake-backups.ts';

export const DISK_POOL = 'hangar-disks';
export const IMAGE_POOL = 'hangar-images';

export interface StepEvent {
  step: string;
  state: 'running' | 'done' | 'failed' | 'skipped';
}

/** A VM, its host in memory, and what an operation's run recorded. */
export class OperationBench {
  readonly hypervisor = new FakeHypervisor([DISK_POOL, IMAGE_POOL]);
  /** Backup files, checkpoints and rows in memory (the backup and restore operations). */
  readonly backups = new FakeBackups(this.hypervisor);
  /** A second host in memory, where vm.migrate moves the VM; its calls are recorded with the first's. */
  readonly peer = new FakeHypervisor([DISK_POOL, IMAGE_POOL], 'fake://peer/system');
  readonly peerHost: HostRow;
  /** The host the VM's row names (moveVm changes it). */
  vmHostId: string;
  /** Other VMs on the host (a clone's source: addSourceVm), and their disk rows. */
  readonly otherVms = new Map<string, VmRow>();
  readonly otherDisks = new Map<string, VmDiskRow[]>();
  /** What leaveOnHost wrote down. */
  leftovers: Array<{ hostId: string; vmId: string; reason: string }> = [];
  readonly events: StepEvent[] = [];
  readonly lines: string[] = [];
  readonly warnings: string[] = [];
  /** Aborted by cancel(): the run starts no further step, as the worker's. */
  readonly cancelling = new AbortController();
  /** A step name: the task is cancelled just as that step is about to start. */
  cancelBefore: string | null = null;
  readonly imagesFailed: string[] = [];
  readonly imagesAccepted: string[] = [];
  /** The VM's snapshot rows, by id. */
  readonly snapshotRecords = new Map<string, { quiesced: boolean; status: 'creating' | 'ready' | 'deleting' }>();
  readonly vm: VmRow;
  /** The VM's disk rows: its boot disk and one attached disk (vdb), plugged in when the VM has a domain. */
  disks: VmDiskRow[];
  /** The VM's NICs, CD-ROM and boot order, as vmHardware answers (addInterface adds one). */
  readonly hardware: OperationHardware = { interfaces: [], cdromImageId: null, isoPath: null, bootOrder: ['hd'], bootOnce: false, seedInstanceId: null };
  readonly host: HostRow;
  readonly image: ImageRow;
  readonly dir = mkdtempSync(join(tmpdir(), 'hangar-op-'));
  private readonly currentStep = new AsyncLocalStorage<string>();

  constructor(state: VmState) {
    const imageFile = join(this.dir, 'image.qcow2');
    writeFileSync(imageFile, 'an image');
    this.image = {
      id: randomUUID(),
      name: 'debian',
      format: 'qcow2',
      status: 'ready',
      sha256: createHash('sha256').update('an image').digest('hex'),
      virtual_size_bytes: String(2 * 1024 ** 3),
      file_size_bytes: '8',
    } as unknown as ImageRow;
    const id = randomUUID();
    this.vm = {
      id,
      name: 'web-1',
      description: '',
      owner_id: randomUUID(),
      host_id: randomUUID(),
      image_id: this.image.id,
      vcpus: 1,
      memory_mb: 256,
      disk_gb: 4,
      state,
      iso_path: null,
      state_message: null,
      mac_address: '52:54:00:12:34:56',
      guest_config: { hostname: 'web-1', user: 'debian', passwordHash: '$6$x$y', sshKeys: [], timezone: 'UTC', firstBootScript: null, fullCopy: false },
    } as unknown as VmRow;
    this.host = { id: this.vm.host_id, name: 'fake', uri: this.hypervisor.uri, domain_type: 'qemu', status: 'online' } as unknown as HostRow;
    this.peerHost = { id: randomUUID(), name: 'peer', uri: this.peer.uri, domain_type: 'qemu', status: 'online' } as unknown as HostRow;
    this.vmHostId = this.host.id;
    this.hypervisor.peers.set(this.peer.uri, this.peer);
    this.peer.call = (method, args) => this.hypervisor.call(`peer.${method}`, args);
    this.hypervisor.tagCall = () => this.currentStep.getStore();
    const boot = { id: randomUUID(), vm_id: id, volume: diskVolumeName(id), pool: null, size_gb: 4, bus: 'virtio', target: 'vda', boot_order: 1, is_boot: true, io_limits: null, created_at: new Date() } as VmDiskRow;
    this.disks = [boot, { ...boot, id: randomUUID(), volume: `${id}-disk-1.qcow2`, size_gb: 1, target: 'vdb', boot_order: null, is_boot: false }];
    const domain: DomainState | null = { running: 'running', paused: 'paused', stopped: 'shutoff', crashed: 'crashed' }[state as string] as DomainState | undefined ?? null;
    if (domain) {
      // A VM that was deployed: its disk on the cached image, its seed, its domain.
      const disks = this.hypervisor.pools.get(DISK_POOL)!;
      disks.set(diskVolumeName(id), { format: 'qcow2', capacityBytes: this.vm.disk_gb * 1024 ** 3, backing: null });
      disks.set(seedVolumeName(id), { format: 'raw', capacityBytes: 1, backing: null });
      this.hypervisor.domains.set(id, { state: domain, xml: domainXml(specOf(this.context(), `/fake/${DISK_POOL}/${diskVolumeName(id)}`)) });
      disks.set(this.disks[1].volume, { format: 'qcow2', capacityBytes: 1024 ** 3, backing: null });
      this.hypervisor.diskDevices.set(id, new Set(['vdb']));
    }
  }

  /** Another deployed VM on this host, its disk and seed in the pool and its domain in the given state: a clone's source. */
  addSourceVm(domain: DomainState = 'running'): VmRow {
    const id = randomUUID();
    const vm = { ...this.vm, id, name: 'source', state: domain === 'shutoff' ? 'stopped' : domain, host_id: this.host.id, mac_address: '52:54:00:65:43:21' } as unknown as VmRow;
    const disks = this.hypervisor.pools.get(DISK_POOL)!;
    disks.set(diskVolumeName(id), { format: 'qcow2', capacityBytes: vm.disk_gb * 1024 ** 3, backing: null });
    disks.set(seedVolumeName(id), { format: 'raw', capacityBytes: 1, backing: null });
    // Its disks as the bench VM's: a boot disk and an attached vdb, whose volume is there too.
    const rows = this.disks.map((d) => ({ ...d, id: d.is_boot ? id : randomUUID(), vm_id: id, volume: d.is_boot ? diskVolumeName(id) : `${id}-disk-1.qcow2` }));
    for (const row of rows.filter((r) => !r.is_boot)) disks.set(row.volume, { format: 'qcow2', capacityBytes: row.size_gb * 1024 ** 3, backing: null });
    this.otherDisks.set(id, rows);
    this.hypervisor.domains.set(id, { state: domain, xml: domainXml(specOf({ ...this.context(), vm }, `/fake/${DISK_POOL}/${diskVolumeName(id)}`)) });
    this.otherVms.set(id, vm);
    return vm;
  }

  /** A snapshot of the VM taken earlier (on the host and recorded), for the operations on one; returns its id. */
  withSnapshot(): string {
    const id = randomUUID();
    this.hypervisor.addSnapshot(this.vm.id, id);
    this.snapshotRecords.set(id, { quiesced: false, status: 'ready' });
    return id;
  }

  get settings() {
    return { diskPool: DISK_POOL, imagePool: IMAGE_POOL, network: null, vncListen: '127.0.0.1', diskPoolShared: false };
  }

  /** A NIC recorded for the VM (as attachInterface records one); its id. */
  addInterface(cidrAddress: string | null = '10.0.0.6/24'): string {
    const id = randomUUID();
    const n = this.hardware.interfaces.length;
    this.hardware.interfaces.push({ id, position: n, mac: `52:54:00:00:00:${String(n + 10).padStart(2, '0')}`, network: { kind: 'network', name: 'default' }, bandwidth: { inbound: { average: 1000 }, outbound: null }, cidrAddress });
    return id;
  }

  /** The services operations ask for, their calls recorded (and failable) with the hypervisor's. */
  services(): OperationServices {
    const services: OperationServices = {
      readyImage: async (imageId) => {
        if (imageId !== this.image.id) throw new Error('The image is gone or not ready');
        return this.image;
      },
      imageFilePath: () => join(this.dir, 'image.qcow2'),
      leaseOfVm: async () => ({ cidrAddress: '10.0.0.5/24', gateway: '10.0.0.1', dns: ['10.0.0.1'] }),
      markCopyUsed: async () => {},
      acceptImageFile: async (imageId) => {
        this.imagesAccepted.push(imageId);
        return { ...this.image, id: imageId, name: 'captured' };
      },
      failImage: async (imageId) => {
        this.imagesFailed.push(imageId);
      },
      downloadImage: async (_url, dest) => {
        writeFileSync(dest, 'an image', { flag: 'wx' });
        return { bytes: 8, sha256: this.image.sha256! };
      },
      peerHost: async (hostId) => {
        if (hostId !== this.peerHost.id) throw new Error('The host is gone');
        return { host: this.peerHost, settings: this.settings, hypervisor: asHypervisor(this.peer), migrationAddress: null };
      },
      moveVm: async (_vmId, hostId) => {
        this.vmHostId = hostId;
      },
      vmHostId: async () => this.vmHostId,
      vmDisks: async (vmId) => (vmId === this.vm.id ? this.disks : (this.otherDisks.get(vmId) ?? [])).map((d) => ({ ...d })),
      forgetVmDisk: async (diskId) => {
        this.disks = this.disks.filter((d) => d.id !== diskId || d.is_boot);
      },
      liveVm: async (vmId) => this.otherVms.get(vmId) ?? (vmId === this.vm.id ? this.vm : null),
      vmHardware: async () => structuredClone(this.hardware),
      removeInterface: async (_vmId, interfaceId) => {
        const at = this.hardware.interfaces.findIndex((n) => n.id === interfaceId);
        if (at >= 0) this.hardware.interfaces.splice(at, 1);
      },
      restoreInterfaceBandwidth: async (_vmId, interfaceId, bandwidth) => {
        const nic = this.hardware.interfaces.find((n) => n.id === interfaceId);
        if (nic) nic.bandwidth = bandwidth;
      },
      bootedOnce: async () => {
        this.hardware.bootOnce = false;
      },
      leaveOnHost: async (hostId, vmId, reason) => {
        this.leftovers.push({ hostId, vmId, reason });
      },
      backupOf: async (backupId) => this.backups.backupOf(backupId),
      lastBackup: async (vmId, targetId, exceptId) => this.backups.lastBackup(vmId, targetId, exceptId),
      updateBackup: async (backupId, patch) => this.backups.update(backupId, patch),
      snapshotRecord: async (snapshotId) => this.snapshotRecords.get(snapshotId) ?? null,
      recordSnapshotTaken: async (_vmId, snapshotId, facts, _current) => {
        this.snapshotRecords.set(snapshotId, { quiesced: facts.quiesced, status: 'ready' });
      },
      recordSnapshotGone: async (_vmId, snapshotId) => {
        this.snapshotRecords.delete(snapshotId);
      },
      recordSnapshotKept: async (snapshotId) => {
        const record = this.snapshotRecords.get(snapshotId);
        if (record) record.status = 'ready';
      },
      recordCurrentSnapshot: async () => {},
    };
    for (const [name, fn] of Object.entries(services)) {
      (services as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
        this.hypervisor.call(name, args);
        return (fn as (...a: unknown[]) => unknown)(...args);
      };
    }
    return services;
  }

  /** The attached disk as an attach finds it: a row, no volume, not plugged in. */
  unplugDisk(): VmDiskRow {
    this.hypervisor.pools.get(DISK_POOL)!.delete(this.disks[1].volume);
    this.hypervisor.diskDevices.get(this.vm.id)?.delete('vdb');
    return this.disks[1];
  }

  /** Files left in the store's incoming/ folder. */
  incoming(): string[] {
    return existsSync(join(this.dir, 'incoming')) ? readdirSync(join(this.dir, 'incoming')).sort() : [];
  }

  /** The context the worker would give the operation. */
  context(params: Record<string, unknown> = {}): OperationContext {
    const config = { imageDir: this.dir, vmShutdownTimeoutMs: 1500, guestAgentTimeoutMs: 1000, hooksDir: null } as unknown as Config;
    const record = (step: string, state: StepEvent['state']) => this.events.push({ step, state });
    return {
      db: null as never,
      pubsub: null as never,
      config,
      log: createLogger('silent'),
      task: { id: randomUUID(), params } as unknown as TaskRow,
      vm: this.vm,
      host: this.host,
      settings: this.settings,
      hypervisor: asHypervisor(this.hypervisor),
      services: this.services(),
      params,
      signal: this.cancelling.signal,
      step: async (name, fn) => {
        if (name === this.cancelBefore) this.cancel();
        throwIfCancelled(this.cancelling.signal);
        record(name, 'running');
        try {
          const result = await this.currentStep.run(name, () => fn(async () => {}));
          record(name, 'done');
          return result;
        } catch (error) {
          record(name, 'failed');
          throw error;
        }
      },
      skip: async (name) => void record(name, 'skipped'),
      line: async (text) => void this.lines.push(text),
      warn: async (text) => {
        this.lines.push(text);
        this.warnings.push(text);
      },
    };
  }

  /** Cancels the task, as cancelTask does for a running task. */
  cancel(): void {
    this.cancelling.abort('Cancelled by the test');
  }

  /** Runs the operation as the worker does (its params checked by its schema); null is success. */
  run(operation: Operation | ImageOperation, params: Record<string, unknown>): Promise<Failure | null> {
    return runOperation(operation as Operation, this.context(operation.params.parse(params) as Record<string, unknown>));
  }

  /** Each step's last state. */
  finalStates(): Map<string, StepEvent['state']> {
    return new Map(this.events.map((e) => [e.step, e.state]));
  }

  /** The steps in the order they first started (or were skipped). */
  startOrder(): string[] {
    return [...new Set(this.events.filter((e) => e.state === 'running' || e.state === 'skipped').map((e) => e.step))];
  }
}
