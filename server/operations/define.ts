// What an operation is. Each host operation is one file in this folder that declares everything
// about it with defineOperation(); the registry, the step table, the power actions and the rules
// the API enforces are all derived from those declarations (see registry.ts).
import type { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { BackupDisk, BackupRow, BackupTargetRow, HostRow, ImageRow, TaskRow, VmDiskRow, VmRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import type { PubSub } from '../events/pubsub.ts';
import type { Logger } from '../log.ts';
import type { Hypervisor } from '../hypervisor/hypervisor.ts';

export const VM_STATES = ['creating', 'starting', 'running', 'rebooting', 'stopped', 'paused', 'stopping', 'crashed', 'error', 'unknown', 'migrating', 'deleting', 'deleted'] as const;
export type VmState = (typeof VM_STATES)[number];

export type Progress = (percent: number, message?: string) => Promise<void>;

/** A host's pools and network, as the operations need them (HostSettings in services/hosts.ts). */
export interface OperationSettings {
  diskPool: string;
  imagePool: string;
  network: { kind: 'network' | 'bridge'; name: string } | null;
  vncListen: string;
  /** The disk pool is storage other hosts see at the same path. */
  diskPoolShared: boolean;
}

/** Another host, as an operation that moves a VM reaches it. */
export interface PeerHost {
  host: HostRow;
  settings: OperationSettings;
  hypervisor: Hypervisor;
  /** Where its QEMU takes incoming migrations; null: libvirt's default. */
  migrationAddress: string | null;
}

/** A VM's static address, as its guest configures it. */
export interface OperationLease {
  /** With its prefix length (10.0.0.5/24). */
  cidrAddress: string;
  gateway: string | null;
  dns: string[];
}

/** What a backup's task records on its row as it goes (operations/vm-backup.ts). */
export interface BackupPatch {
  kind?: 'full' | 'incremental';
  parent_id?: string | null;
  reason?: string | null;
  chain_length?: number;
  checkpoint?: string | null;
  host_id?: string | null;
  status?: 'running' | 'ready' | 'failed';
  error?: string | null;
  disks?: BackupDisk[];
  size_bytes?: number;
  read_bytes?: number;
  finished_at?: Date;
}

/** One of a VM's NICs, as the domain gets it. */
export interface OperationInterface {
  id: string;
  /** 0: the one it was made with. */
  position: number;
  mac: string;
  network: { kind: 'network' | 'bridge'; name: string };
  bandwidth: { inbound?: { average: number; peak?: number | null; burst?: number | null } | null; outbound?: { average: number; peak?: number | null; burst?: number | null } | null } | null;
  /** Its pool address with prefix length (10.0.0.5/24), or null (DHCP). */
  cidrAddress: string | null;
}

/** What a VM's rows say of its hardware beyond its size (vm-hardware.ts turns it into the domain). */
export interface OperationHardware {
  interfaces: OperationInterface[];
  /** The ISO of the library in its CD-ROM. */
  cdromImageId: string | null;
  /** A host file an administrator gave it (createVm's isoPath). */
  isoPath: string | null;
  bootOrder: string[];
  bootOnce: boolean;
  /** The instance id of its cloud-init seed (from the install that wrote it), kept when the seed is rewritten; null: no seed. */
  seedInstanceId: string | null;
}

/**
 * What operations need from the business rules above them, handed in by the worker (operations sit
 * beneath services and never import them). Each call commits and publishes its own change.
 */
export interface OperationServices {
  /** The image, when it is READY with its checksum; throws otherwise. */
  readyImage(imageId: string): Promise<ImageRow>;
  /** Where an image's file is in the store. */
  imageFilePath(image: Pick<ImageRow, 'id' | 'format'>): string;
  leaseOfVm(vmId: string): Promise<OperationLease | null>;
  /** Records, before a deploy looks for an image's copy on a host, that it is about to use it. */
  markCopyUsed(hostId: string, name: string, sha256: string): Promise<void>;
  /** Accepts a finished image file into the store (checked like an upload) and makes its row READY. */
  acceptImageFile(imageId: string, source: string, file: string, sha256?: string): Promise<ImageRow>;
  /** An image that will not be made: ERROR with the reason, and no file of it left in the store. */
  failImage(imageId: string, message: string): Promise<void>;
  /** Streams an http(s) URL to a new file, every connection checked against the import policy; a partial file is removed. */
  downloadImage(url: string, dest: string, onProgress: (bytes: number, total: number | null) => void): Promise<{ bytes: number; sha256: string }>;
  /** Another host with its settings and hypervisor; throws when it is gone. */
  peerHost(hostId: string): Promise<PeerHost>;
  /** Records that the VM now lives on the host (a migration's switch-over), announced to its followers. */
  moveVm(vmId: string, hostId: string): Promise<void>;
  /** The host the VM's row names now. */
  vmHostId(vmId: string): Promise<string | null>;
  /** Another VM's row (a clone's source), or null when it is gone or deleted. */
  liveVm(vmId: string): Promise<VmRow | null>;
  /** The VM's NICs, CD-ROM and boot order as its rows say now. */
  vmHardware(vmId: string): Promise<OperationHardware>;
  /** Forgets a NIC of the VM with its address (a detach done, or an attach rolled back). */
  removeInterface(vmId: string, interfaceId: string): Promise<void>;
  /** Puts a NIC's limits back as they were (a tune that failed). */
  restoreInterfaceBandwidth(vmId: string, interfaceId: string, bandwidth: OperationInterface['bandwidth']): Promise<void>;
  /** The VM's boot from the CD-ROM once is done: its next start boots as its boot order says. */
  bootedOnce(vmId: string): Promise<void>;
  /** What a failed operation made for the VM on a host that does not answer now: removed when it answers again (the host monitor). */
  leaveOnHost(hostId: string, vmId: string, reason: string): Promise<void>;
  /** The VM's disk rows (vm_disks), its boot disk first. */
  vmDisks(vmId: string): Promise<VmDiskRow[]>;
  /** Removes a disk's row: it was detached, or its attach failed. */
  forgetVmDisk(diskId: string): Promise<void>;
  /** A backup's row, its target's and its parent's (the backup and restore operations); throws when it is gone. */
  backupOf(backupId: string): Promise<{ backup: BackupRow; target: BackupTargetRow; parent: BackupRow | null }>;
  /** The newest READY backup of the VM in the target other than exceptId: what an incremental builds on. */
  lastBackup(vmId: string, targetId: string, exceptId: string): Promise<BackupRow | null>;
  /** Records what a backup is or became. */
  updateBackup(backupId: string, patch: BackupPatch): Promise<void>;
  /** A snapshot's record: whether the guest was frozen for it; null when there is none. */
  snapshotRecord(snapshotId: string): Promise<{ quiesced: boolean } | null>;
  /** Records a snapshot now on the host: ready, with what libvirt says of it (its parent, if one of ours), and the host's current one. */
  recordSnapshotTaken(vmId: string, snapshotId: string, facts: SnapshotFacts, current: string | null): Promise<void>;
  /** Forgets a snapshot the host no longer has (or never had): its children hang from its parent. */
  recordSnapshotGone(vmId: string, snapshotId: string): Promise<void>;
  /** A snapshot whose delete failed while the host still has it: ready again. */
  recordSnapshotKept(snapshotId: string): Promise<void>;
  /** Marks current the snapshot the host calls current (null: none). */
  recordCurrentSnapshot(vmId: string, current: string | null): Promise<void>;
}

/** What is known of a snapshot just taken. */
export interface SnapshotFacts {
  parent: string | null;
  createdAt: Date;
  withMemory: boolean;
  quiesced: boolean;
  sizeBytes: number | null;
}

/** What every task's code gets: its record, its checked parameters and a step runner. */
export interface TaskContext<Step extends string = string, Params = Record<string, unknown>> {
  db: Db;
  pubsub: PubSub;
  config: Config;
  log: Logger;
  task: TaskRow;
  services: OperationServices;
  /** The task's parameters, checked against the operation's schema. */
  params: Params;
  /** Runs one of the operation's own steps: running, then done, or failed with the error. */
  step<T>(name: Step, fn: (progress: Progress) => Promise<T>): Promise<T>;
  /** Marks one of its steps skipped, with why. */
  skip(name: Step, reason: string): Promise<void>;
  /** A line in the task's log. */
  line(text: string): Promise<void>;
  /** A line in the task's log that makes its outcome a warning: it did what was asked, not the way it was asked (a forced power-off). */
  warn(text: string): Promise<void>;
  /** Aborted when the task is cancelled: ctx.step then starts no further step (a long wait inside a step may end early too). */
  signal: AbortSignal;
}

/** What a VM operation's code gets besides: the rows it acts on and the host's hypervisor. */
export interface OperationContext<Step extends string = string, Params = Record<string, unknown>> extends TaskContext<Step, Params> {
  vm: VmRow;
  host: HostRow;
  settings: OperationSettings;
  hypervisor: Hypervisor;
}

/**
 * What a failure does to the VM:
 * - `error`: what the run made is rolled back (when it has a rollback) and the VM shows ERROR: it has
 *   no usable disk or domain (create, deploy, reinstall);
 * - `rollback`: what the run made is rolled back and the VM shows what its host reports (capture);
 * - `keep`: nothing is undone, the VM shows what its host reports (power actions, resize: each step
 *   is whole, and a retry goes on from where it stopped).
 * A KeepVmError thrown by a step keeps the VM as it is whatever the policy (a guest agent that never
 * answered: the user looks at the console).
 */
export type FailurePolicy = 'error' | 'rollback' | 'keep';

/** How the API offers an operation on a VM (its mutation is generated for `power` actions). */
export interface ActionInfo {
  /** The GraphQL enum value and action name (START, SHUTDOWN, …). */
  action: string;
  label: string;
  description: string;
  /** A power action gets a mutation `<verb>Vm(id)` made from this declaration. */
  power?: { mutation: string };
}

export interface Operation<Name extends string = string, Step extends string = string, Params = any, Action extends ActionInfo = ActionInfo> {
  /** The task's operation and the name of the hook that may replace it. */
  name: Name;
  /** Its steps, in order; ctx.step takes only these. */
  steps: readonly Step[];
  /** The privileges asking for it needs (on top of being allowed to act on the VM). */
  privileges: readonly string[];
  /** The VM states it may start from; any other is refused with a ConflictError. */
  from: readonly VmState[];
  /** Whether it needs its host online (delete does not: a VM of a gone host can still be deleted). */
  needsOnlineHost: boolean;
  failure: FailurePolicy;
  /** The state the VM shows from the moment the task is queued until it ends (Starting, Stopping, …); the worker then sets the real one. */
  during?: VmState;
  /**
   * `between-steps`: cancelling it while it runs stops it between steps and its rollback undoes what
   * it made (a deploy); absent: only while it is queued; false: never (asking for it already changed
   * the VM's record, its size or image or password, which a cancel would leave changed).
   */
  cancellable?: 'between-steps' | false;
  /** Why this VM can never take it whatever its state (it was not deployed from an image, say), or null. */
  refuses?(vm: VmRow): string | null;
  params: z.ZodType<Params>;
  action: Action;
  run(ctx: OperationContext<Step, Params>): Promise<void>;
  /** Removes what a failed or interrupted run left on the host; must be idempotent. cause: the failure (none when its worker died). */
  rollback?(ctx: OperationContext<Step, Params>, cause?: Error): Promise<void>;
  /** What a hook that replaces the run is told beyond the task's parameters (a migration's target URI). */
  hookParams?(ctx: OperationContext<Step, Params>): Promise<Record<string, unknown>>;
  /** After a hook replaced the run: records what it did (the host a migration moved the VM to), or throws when it did not do it. */
  afterHook?(ctx: OperationContext<Step, Params>): Promise<void>;
}

/**
 * An operation on the image store that needs no host (an import from a URL): it runs on the image
 * queue, any worker takes it. A failure rolls back what it made and leaves the image in ERROR.
 */
export interface ImageOperation<Name extends string = string, Step extends string = string, Params = any> {
  kind: 'image';
  name: Name;
  steps: readonly Step[];
  privileges: readonly string[];
  failure: 'rollback';
  params: z.ZodType<Params>;
  /** As Operation's: an import stops between steps and rolls back. */
  cancellable?: 'between-steps';
  run(ctx: TaskContext<Step, Params>): Promise<void>;
  rollback(ctx: TaskContext<Step, Params>, cause?: Error): Promise<void>;
}

export function defineImageOperation<const Name extends string, const Step extends string, Params>(operation: Omit<ImageOperation<Name, Step, Params>, 'kind' | 'failure'>): ImageOperation<Name, Step, Params> {
  return { ...operation, kind: 'image', failure: 'rollback' };
}

/** Declares an operation; its step names become a type its run and rollback must use. */
export function defineOperation<const Name extends string, const Step extends string, Params, const Action extends ActionInfo>(operation: Operation<Name, Step, Params, Action>): Operation<Name, Step, Params, Action> {
  return operation;
}

export const GiB = 1024 ** 3;

/**
 * A failure after which the VM is kept as it is (no rollback): e.g. the guest agent never
 * answered. The VM shows the message; the user can retry, reinstall or delete it.
 */
export class KeepVmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeepVmError';
  }
}

/** Thrown by ctx.step when the task was cancelled: the run stops there and rolls back what it made. */
export class TaskCancelledError extends Error {
  constructor(message = 'The task was cancelled') {
    super(message);
    this.name = 'TaskCancelledError';
  }
}

/** Throws TaskCancelledError once the task's signal is aborted (at the start of each step). */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new TaskCancelledError(typeof signal.reason === 'string' ? signal.reason : undefined);
}
