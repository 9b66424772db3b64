// The one interface operations receive for everything they do outside the database: a host's
// domains and volumes, its guests' agents, and the image tools that run beside the image store.
// hypervisorFor() makes the libvirt one for a host; test/support/fake-hypervisor.ts records calls
// and fails any of them on demand.
import type { DomainState } from './domains.ts';
import type { LifecycleEvent } from './events.ts';
import type { HostCapabilities } from './probe.ts';

export type VolumeFormat = 'qcow2' | 'raw';

export interface Hypervisor {
  /** The libvirt URI of the host. */
  readonly uri: string;

  // Domains. A missing domain is not an error for destroy and undefine (idempotent).
  domainState(vmId: string): Promise<DomainState | null>;
  listStates(): Promise<Map<string, DomainState>>;
  define(xml: string): Promise<void>;
  undefine(vmId: string): Promise<void>;
  start(vmId: string): Promise<void>;
  destroy(vmId: string): Promise<void>;
  shutdown(vmId: string): Promise<void>;
  reboot(vmId: string): Promise<void>;
  reset(vmId: string): Promise<void>;
  suspend(vmId: string): Promise<void>;
  resume(vmId: string): Promise<void>;

  // Storage. A missing volume is not an error for deleteVolume (idempotent); volumePath gives null.
  volumePath(pool: string, name: string): Promise<string | null>;
  listVolumes(pool: string): Promise<string[]>;
  createVolume(pool: string, name: string, sizeBytes: number, format: VolumeFormat): Promise<string>;
  deleteVolume(pool: string, name: string): Promise<void>;
  resizeVolume(pool: string, name: string, capacityBytes: number): Promise<void>;

  // Transfers between the Hangar server and the host, and between pools.
  uploadVolume(pool: string, name: string, filePath: string, format: VolumeFormat): Promise<string>;
  downloadVolume(pool: string, name: string, filePath: string): Promise<void>;
  createOverlay(pool: string, name: string, backingPath: string, capacityBytes: number, backingFormat: VolumeFormat): Promise<string>;
  copyVolume(fromPool: string, fromName: string, toPool: string, toName: string, format: 'qcow2'): Promise<string>;

  // The guest agent. waitForGuestAgent throws GuestAgentTimeoutError when it never answers.
  waitForGuestAgent(vmId: string, timeoutMs: number): Promise<void>;
  setGuestPassword(vmId: string, user: string, passwordHash: string): Promise<void>;

  // Image tools on files beside the image store (qemu-img, libguestfs).
  sha256File(path: string, onProgress?: (bytes: number) => void): Promise<string>;
  convertImage(src: string, dst: string, options: { compress: boolean; onProgress?: (percent: number) => void }): Promise<void>;
  removeMachineIdentity(file: string, options: { emulated: boolean }): Promise<void>;
}

/** What the host monitor and the host checks need beyond an operation's calls. */
export interface HostInspector {
  capabilities(): Promise<HostCapabilities>;
  watchLifecycle(onEvent: (e: LifecycleEvent) => void, onExit: (error: Error | null) => void): { stop(): void };
}
