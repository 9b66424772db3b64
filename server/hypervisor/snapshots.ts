// A domain's internal qcow2 snapshots (the snapshot lives inside the VM's own disk file, with the
// memory state when the domain runs) and the guest agent's file-system freeze around them.
// Snapshots are named by their Hangar id (a UUID), so no user text reaches virsh.
import { HypervisorError } from './errors.ts';
import { GuestAgent } from './guest-agent.ts';
import { checkId, unless, xmlParser, type VirshRunner } from './virsh-runner.ts';

const NO_SNAPSHOT = /snapshot not found|no domain snapshot with matching name|Domain snapshot not found/i;
/** Saving a running guest's memory into its disk file takes as long as writing that memory (minutes under TCG). */
const SNAPSHOT_TIMEOUT_MS = 30 * 60_000;

export interface SnapshotInfo {
  name: string;
  /** The snapshot it was taken on top of (libvirt's parent), or null for a root. */
  parent: string | null;
  createdAt: Date;
  /** libvirt's state of the domain when it was taken: running, paused, shutoff. */
  state: string;
  withMemory: boolean;
}

/**
 * Takes an internal snapshot. A running or paused domain's includes its memory (libvirt 9 takes an
 * internal snapshot of an active domain only with it); a shut-off domain's holds the disk alone.
 * --atomic: on failure nothing is left, neither in the disk nor in libvirt's metadata.
 */
export async function createSnapshot(virsh: VirshRunner, vmId: string, name: string): Promise<void> {
  await virsh.run(['snapshot-create-as', '--domain', checkId(vmId), '--name', checkId(name), '--atomic'], SNAPSHOT_TIMEOUT_MS);
}

/** Puts the domain back to the snapshot: running with its memory, or shut off for a disk-only one. */
export async function revertSnapshot(virsh: VirshRunner, vmId: string, name: string): Promise<void> {
  await virsh.run(['snapshot-revert', '--domain', checkId(vmId), '--snapshotname', checkId(name)], SNAPSHOT_TIMEOUT_MS);
}

/** Deletes it (its children then hang from its parent); absent is fine. Works while the domain runs. */
export async function deleteSnapshot(virsh: VirshRunner, vmId: string, name: string): Promise<void> {
  await virsh.run(['snapshot-delete', '--domain', checkId(vmId), '--snapshotname', checkId(name)], SNAPSHOT_TIMEOUT_MS).catch(unless(NO_SNAPSHOT));
}

/** What libvirt records of the snapshot, or null when it has none of that name. */
export async function snapshotInfo(virsh: VirshRunner, vmId: string, name: string): Promise<SnapshotInfo | null> {
  let stdout: string;
  try {
    ({ stdout } = await virsh.run(['snapshot-dumpxml', '--domain', checkId(vmId), '--snapshotname', checkId(name)]));
  } catch (error) {
    if (error instanceof Error && NO_SNAPSHOT.test(error.message)) return null;
    throw error;
  }
  const doc = xmlParser.parse(stdout)?.domainsnapshot;
  if (!doc) throw new HypervisorError(`libvirt described snapshot ${name} in a form Hangar does not read`, 'virsh snapshot-dumpxml');
  const parent = doc.parent?.name;
  return {
    name: String(doc.name),
    parent: parent ? String(parent) : null,
    createdAt: new Date(Number(doc.creationTime) * 1000),
    state: String(doc.state),
    withMemory: doc.memory?.['@snapshot'] === 'internal',
  };
}

/** The names of the domain's snapshots, as libvirt has them. */
export async function listSnapshots(virsh: VirshRunner, vmId: string): Promise<string[]> {
  const { stdout } = await virsh.run(['snapshot-list', '--domain', checkId(vmId), '--name']);
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The domain's current snapshot (the one a new snapshot hangs from), or null. */
export async function currentSnapshot(virsh: VirshRunner, vmId: string): Promise<string | null> {
  try {
    const { stdout } = await virsh.run(['snapshot-current', '--domain', checkId(vmId), '--name']);
    return stdout.trim() || null;
  } catch (error) {
    if (error instanceof Error && /no current snapshot|has no current snapshot/i.test(error.message)) return null;
    throw error;
  }
}

/** Whether the guest agent answers now (false: not installed, still booting, VM not running). */
export function guestAgentAnswers(virsh: VirshRunner, vmId: string): Promise<boolean> {
  return new GuestAgent(virsh, vmId).ping();
}

