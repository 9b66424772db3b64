// The backup calls of a FakeHypervisor (server/hypervisor/backups.ts answered in memory): backup
// files and restored copies are paths in a map, a backup job ends at once, checkpoints are names
// per domain. Installed on a fake by the operation harness; each call is recorded (and failable)
// like the fake's own.
import type { BackupDisk, BackupRow, BackupTargetRow } from '../../db/types.ts';
import type { BackupPatch } from '../../server/operations/define.ts';
import type { FakeHypervisor } from './fake-hypervisor.ts';

const GiB = 1024 ** 3;

export class FakeBackups {
  readonly files = new Map<string, { backing: string | null }>();
  readonly checkpoints = new Map<string, string[]>();
  readonly target: BackupTargetRow = { id: '00000000-0000-4000-8000-0000000000b1', name: 'fake target', host_id: null, pool: 'fake-backups', path: '/fake/backups', created_by: null, created_at: new Date() };
  readonly backups = new Map<string, BackupRow>();

  constructor(fake: FakeHypervisor) {
    const calls: Record<string, (...args: any[]) => unknown> = {
      backupDisks: (vmId: string) => {
        if (!fake.domains.has(vmId)) throw new Error(`failed to get domain '${vmId}': Domain not found`);
        return { disks: [{ target: 'vda', path: `/fake/hangar-disks/${vmId}.qcow2`, format: 'qcow2' }], skipped: ['sdb'] };
      },
      beginBackup: (vmId: string, spec: { files: Array<{ file: string }>; checkpoint: string | null }) => {
        for (const f of spec.files) this.files.set(f.file, { backing: null });
        if (spec.checkpoint) this.checkpoints.set(vmId, [...(this.checkpoints.get(vmId) ?? []), spec.checkpoint]);
      },
      backupJob: () => ({ active: false, totalBytes: 4 * GiB, processedBytes: 4 * GiB, failed: null }),
      agentConnected: () => true,
      freezeFileSystems: () => 'Froze 1 filesystem(s)',
      thawFileSystems: () => undefined,
      startPaused: (vmId: string) => void (fake.domains.get(vmId)!.state = 'paused'),
      listCheckpoints: (vmId: string) => this.checkpoints.get(vmId) ?? [],
      deleteCheckpoint: (vmId: string, name: string) => void this.checkpoints.set(vmId, (this.checkpoints.get(vmId) ?? []).filter((n) => n !== name)),
      poolInfo: (pool: string) => ({ type: 'dir', path: `/fake/${pool}`, active: true }),
      ensureBackupPool: () => undefined,
      checkQcow2: () => undefined,
      rebaseOnto: (path: string, parent: string) => void this.files.set(path, { backing: parent }),
      backingChain: (path: string) => {
        const chain: Array<{ filename: string; virtualSize: number; compat: string }> = [];
        for (let at: string | null = path; at; at = this.files.get(at)?.backing ?? null) chain.push({ filename: at, virtualSize: 4 * GiB, compat: '1.1' });
        return chain;
      },
      storedBytes: () => 1024,
      flattenChain: (_top: string, dst: string) => void this.files.set(dst, { backing: null }),
      fileExists: (path: string) => this.files.has(path) || path.startsWith('/fake/hangar-disks/'),
      moveFile: (from: string, to: string) => {
        const file = this.files.get(from);
        this.files.delete(from);
        if (file) this.files.set(to, file);
      },
      removeFile: (path: string) => void this.files.delete(path),
    };
    for (const [name, fn] of Object.entries(calls)) {
      (fake as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
        fake.call(name, args);
        return fn(...args);
      };
    }
  }

  /** A backup row of the VM: QUEUED (to be made) or READY with its file (to be restored). */
  add(vmId: string, status: 'queued' | 'ready'): BackupRow {
    const id = crypto.randomUUID();
    const disks: BackupDisk[] = status === 'ready' ? [{ target: 'vda', volume: `${id}-vda.qcow2`, path: `/fake/backups/${id}-vda.qcow2`, virtualSizeBytes: 4 * GiB }] : [];
    for (const d of disks) this.files.set(d.path, { backing: null });
    const row = { id, vm_id: vmId, owner_id: crypto.randomUUID(), vm_name: 'web-1', vm_spec: { vcpus: 1, memoryMb: 256, diskGb: 4, imageId: null, description: '' }, target_id: this.target.id, host_id: null, kind: 'full', parent_id: null, checkpoint: null, reason: null, status, error: null, disks, size_bytes: null, read_bytes: null, chain_length: 1, task_id: null, schedule_id: null, created_by: null, created_at: new Date(), finished_at: null } as BackupRow;
    this.backups.set(id, row);
    return row;
  }

  backupOf(backupId: string) {
    const backup = this.backups.get(backupId);
    if (!backup) throw new Error('The backup is gone');
    return { backup, target: this.target, parent: backup.parent_id ? (this.backups.get(backup.parent_id) ?? null) : null };
  }

  lastBackup(vmId: string, targetId: string, exceptId: string): BackupRow | null {
    return [...this.backups.values()].filter((b) => b.vm_id === vmId && b.target_id === targetId && b.status === 'ready' && b.id !== exceptId).at(-1) ?? null;
  }

  update(backupId: string, patch: BackupPatch): void {
    const row = this.backups.get(backupId);
    if (row) this.backups.set(backupId, { ...row, ...patch, size_bytes: patch.size_bytes === undefined ? row.size_bytes : String(patch.size_bytes), read_bytes: patch.read_bytes === undefined ? row.read_bytes : String(patch.read_bytes) } as BackupRow);
  }
}
