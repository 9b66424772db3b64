// The Hypervisor of a libvirt host, driven through virsh: each call is one of the functions in
// domains, storage, transfers, probe and events, given this host's runner.
import * as disks from './disks.ts';
import type { DiskSpec, IoLimits } from './disks.ts';
import * as backups from './backups.ts';
import * as devices from './devices.ts';
import type { DomainInterface } from './domain-xml.ts';
import * as domains from './domains.ts';
import type { DomainState } from './domains.ts';
import { watchLifecycle, type LifecycleEvent } from './events.ts';
import { GuestAgent } from './guest-agent.ts';
import * as migration from './migration.ts';
import type { LiveMigrationSpec, MigrationJob } from './migration.ts';
import * as networks from './networks.ts';
import type { NatNetworkSpec } from './networks.ts';
import { capabilities, probeDomainType, type HostCapabilities } from './probe.ts';
import { convertImage, sha256File } from './qemu-img.ts';
import * as snapshots from './snapshots.ts';
import * as storage from './storage.ts';
import type { VolumeFormat } from './storage.ts';
import { removeMachineIdentity } from './sysprep.ts';
import * as transfers from './transfers.ts';
import { VirshRunner } from './virsh-runner.ts';

/** The one way to reach a host: its libvirt URI; timeoutMs bounds each virsh command (15 s unless told). */
export function hypervisorFor(host: { uri: string }, options: { timeoutMs?: number } = {}): LibvirtHypervisor {
  return new LibvirtHypervisor(new VirshRunner(host.uri, options.timeoutMs));
}

export class LibvirtHypervisor {
  private readonly runner: VirshRunner;

  constructor(runner: VirshRunner) {
    this.runner = runner;
  }

  get uri(): string {
    return this.runner.uri;
  }

  /** A virsh command on this host, for what no method here covers (e.g. checking a network exists). */
  run(args: string[], timeoutMs?: number) {
    return this.runner.run(args, timeoutMs);
  }

  // Host
  capabilities = (): Promise<HostCapabilities> => capabilities(this.runner);
  probeDomainType = (caps: HostCapabilities) => probeDomainType(this.runner, caps);
  watchLifecycle = (onEvent: (e: LifecycleEvent) => void, onExit: (error: Error | null) => void) => watchLifecycle(this.runner.uri, onEvent, onExit);

  // Domains
  domainState = (vmId: string): Promise<DomainState | null> => domains.domainState(this.runner, vmId);
  listStates = () => domains.listStates(this.runner);
  define = (xml: string) => domains.define(this.runner, xml);
  undefine = (vmId: string) => domains.undefine(this.runner, vmId);
  start = (vmId: string) => domains.start(this.runner, vmId);
  destroy = (vmId: string) => domains.destroy(this.runner, vmId);
  shutdown = (vmId: string) => domains.shutdown(this.runner, vmId);
  reboot = (vmId: string) => domains.reboot(this.runner, vmId);
  reset = (vmId: string) => domains.reset(this.runner, vmId);
  suspend = (vmId: string) => domains.suspend(this.runner, vmId);
  resume = (vmId: string) => domains.resume(this.runner, vmId);

  // Devices of a running domain (devices.ts)
  liveInterfaceMacs = (vmId: string) => devices.liveInterfaceMacs(this.runner, vmId);
  attachInterfaceLive = (vmId: string, nic: DomainInterface) => devices.attachInterfaceLive(this.runner, vmId, nic);
  detachInterfaceLive = (vmId: string, nic: DomainInterface, timeoutMs: number) => devices.detachInterfaceLive(this.runner, vmId, nic, timeoutMs);
  tuneInterfaceLive = (vmId: string, nic: DomainInterface) => devices.tuneInterfaceLive(this.runner, vmId, nic);
  hasCdromDrive = (vmId: string) => devices.hasCdromDrive(this.runner, vmId);
  changeMediaLive = (vmId: string, path: string | null, target?: string) => devices.changeMediaLive(this.runner, vmId, path, target);
  guestInterfaces = (vmId: string) => devices.guestInterfaces(this.runner, vmId);
  guestExec = (vmId: string, path: string, args: string[], timeoutMs?: number) => devices.guestExec(this.runner, vmId, path, args, timeoutMs);

  // Storage
  ensurePool = (name: string, path: string) => storage.ensurePool(this.runner, name, path);
  listPools = () => storage.listPools(this.runner);
  refreshPool = (pool: string) => storage.refreshPool(this.runner, pool);
  volumePath = (pool: string, name: string) => storage.volumePath(this.runner, pool, name);
  volumePaths = (pool: string, name: string) => storage.volumePaths(this.runner, pool, name);
  volumeInfo = (pool: string, name: string) => storage.volumeInfo(this.runner, pool, name);
  listVolumes = (pool: string) => storage.listVolumes(this.runner, pool);
  createVolume = (pool: string, name: string, sizeBytes: number, format: VolumeFormat) => storage.createVolume(this.runner, pool, name, sizeBytes, format);
  deleteVolume = (pool: string, name: string) => storage.deleteVolume(this.runner, pool, name);
  resizeVolume = (pool: string, name: string, capacityBytes: number) => storage.resizeVolume(this.runner, pool, name, capacityBytes);
  domainDisks = () => storage.domainDisks(this.runner);

  // A domain's disks (disks.ts)
  attachDisk = (vmId: string, disk: DiskSpec, live: boolean) => disks.attachDisk(this.runner, vmId, disk, live);
  detachDisk = (vmId: string, target: string, scope: 'live' | 'config') => disks.detachDisk(this.runner, vmId, target, scope);
  diskTargets = (vmId: string, options?: { inactive?: boolean }) => disks.diskTargets(this.runner, vmId, options);
  blockResize = (vmId: string, target: string, bytes: number) => disks.blockResize(this.runner, vmId, target, bytes);
  setIoLimits = (vmId: string, target: string, limits: IoLimits, live: boolean) => disks.setIoLimits(this.runner, vmId, target, limits, live);
  ioLimits = (vmId: string, target: string, live: boolean) => disks.ioLimits(this.runner, vmId, target, live);
  blockInfo = (vmId: string, target: string) => disks.blockInfo(this.runner, vmId, target);

  // Migration
  migrateLive = (vmId: string, spec: LiveMigrationSpec, onJob: (job: MigrationJob) => void, signal?: AbortSignal) => migration.migrateLive(this.runner, vmId, spec, onJob, signal);
  migrationJob = (vmId: string, options?: { completed?: boolean }) => migration.migrationJob(this.runner, vmId, options);
  abortJob = (vmId: string) => migration.abortJob(this.runner, vmId);
  migratableXml = (vmId: string) => migration.migratableXml(this.runner, vmId);
  volumeByPath = (path: string) => storage.volumeByPath(this.runner, path);

  // Networks
  ensureNatNetwork = (spec: NatNetworkSpec) => networks.ensureNatNetwork(this.runner, spec);
  networkActive = (name: string) => networks.networkActive(this.runner, name);
  listNetworks = () => networks.listNetworks(this.runner);
  vmAddresses = (vmId: string) => networks.vmAddresses(this.runner, vmId);

  // Transfers
  uploadVolume = (pool: string, name: string, filePath: string, format: VolumeFormat) => transfers.uploadVolume(this.runner, pool, name, filePath, format);
  downloadVolume = (pool: string, name: string, filePath: string) => transfers.downloadVolume(this.runner, pool, name, filePath);
  createOverlay = (pool: string, name: string, backingPath: string, capacityBytes: number, backingFormat: VolumeFormat) =>
    transfers.createOverlay(this.runner, pool, name, backingPath, capacityBytes, backingFormat);
  copyVolume = (fromPool: string, fromName: string, toPool: string, toName: string, format: 'qcow2') => transfers.copyVolume(this.runner, fromPool, fromName, toPool, toName, format);

  // Backups (backups.ts): libvirt's backup API with checkpoints, and qemu-img on the files it writes
  backupDisks = (vmId: string, inactive?: boolean) => backups.backupDisks(this.runner, vmId, inactive);
  beginBackup = (vmId: string, spec: Parameters<typeof backups.beginBackup>[2]) => backups.beginBackup(this.runner, vmId, spec);
  backupJob = (vmId: string) => backups.backupJob(this.runner, vmId);
  agentConnected = (vmId: string) => backups.agentConnected(this.runner, vmId);
  freezeFileSystems = (vmId: string) => backups.freezeFileSystems(this.runner, vmId);
  thawFileSystems = (vmId: string) => backups.thawFileSystems(this.runner, vmId);
  startPaused = (vmId: string) => backups.startPaused(this.runner, vmId);
  listCheckpoints = (vmId: string) => backups.listCheckpoints(this.runner, vmId);
  deleteCheckpoint = (vmId: string, name: string) => backups.deleteCheckpoint(this.runner, vmId, name);
  poolInfo = (pool: string) => backups.poolInfo(this.runner, pool);
  /** A shared backup path's directory pool on this host, made as needed (ensurePool is the host checks' own). */
  ensureBackupPool = (name: string, path: string) => storage.ensurePool(this.runner, name, path);
  checkQcow2 = (path: string) => backups.checkQcow2(path);
  rebaseOnto = (path: string, parent: string) => backups.rebaseOnto(path, parent);
  backingChain = (path: string) => backups.backingChain(path);
  storedBytes = (path: string) => backups.storedBytes(path);
  flattenChain = (top: string, dst: string, onProgress?: (percent: number) => void) => backups.flattenChain(top, dst, onProgress);
  fileExists = (path: string) => backups.fileExists(path);
  moveFile = (from: string, to: string) => backups.moveFile(from, to);
  removeFile = (path: string) => backups.removeFile(path);
  // Snapshots (internal, in the VM's qcow2 disk)
  createSnapshot = (vmId: string, name: string) => snapshots.createSnapshot(this.runner, vmId, name);
  revertSnapshot = (vmId: string, name: string) => snapshots.revertSnapshot(this.runner, vmId, name);
  deleteSnapshot = (vmId: string, name: string) => snapshots.deleteSnapshot(this.runner, vmId, name);
  snapshotInfo = (vmId: string, name: string) => snapshots.snapshotInfo(this.runner, vmId, name);
  listSnapshots = (vmId: string) => snapshots.listSnapshots(this.runner, vmId);
  currentSnapshot = (vmId: string) => snapshots.currentSnapshot(this.runner, vmId);
  guestAgentAnswers = (vmId: string) => snapshots.guestAgentAnswers(this.runner, vmId);

  // The guest agent
  waitForGuestAgent = (vmId: string, timeoutMs: number, signal?: AbortSignal) => new GuestAgent(this.runner, vmId).waitUntilReady(timeoutMs, signal);
  setGuestPassword = (vmId: string, user: string, passwordHash: string) => new GuestAgent(this.runner, vmId).setUserPassword(user, passwordHash);

  // Image tools beside the image store
  sha256File = (path: string, onProgress?: (bytes: number) => void) => sha256File(path, onProgress);
  convertImage = (src: string, dst: string, options: { compress: boolean; onProgress?: (percent: number) => void }) => convertImage(src, dst, options);
  removeMachineIdentity = (file: string, options: { emulated: boolean }) => removeMachineIdentity(file, options);
}
