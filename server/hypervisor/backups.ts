// Backups of a domain's disks with libvirt's backup API (push mode: QEMU writes each disk into a
// qcow2 file the caller names) and checkpoints (persistent dirty bitmaps in the disks), and the
// qemu-img work on the files that come out: rebasing an incremental onto its parent, checking
// them, and flattening a chain into a new disk. The files are read where the worker runs (the host).
import { rename, rm, stat } from 'node:fs/promises';
import { runCommand } from './command.ts';
import { HypervisorError } from './errors.ts';
import { spawnQemuImg } from './qemu-img.ts';
import { checkId, checkStorageName, unless, withXmlFile, xmlBuilder, xmlParser, type VirshRunner } from './virsh-runner.ts';

/** A disk of a domain that a backup copies: its target (vda) and the file behind it. */
export interface DomainDisk {
  target: string;
  path: string;
  format: string;
}

/** What a backup job has done so far (or in all, once it ended). */
export interface BackupJob {
  /** Whether a job still runs; when not, `failed` says how the last one ended. */
  active: boolean;
  totalBytes: number;
  processedBytes: number;
  failed: string | null;
}

const NO_CHECKPOINT = /checkpoint not found|no domain checkpoint/i;
/** libvirt's refusal of an incremental whose bitmap was lost (QEMU killed, host restarted). */
export const BROKEN_CHECKPOINT = /checkpoint inconsistent|missing or broken bitmap|bitmap .* (inconsistent|not found)|unable to find bitmap/i;
const QEMU_IMG_TIMEOUT_MS = 15 * 60_000;
const COPY_STALL_MS = 15 * 60_000;

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * The domain's disks a backup copies, in target order, and the targets it leaves out: CD-ROMs (an
 * ISO, the cloud-init seed), read-only and non-file disks.
 */
export async function backupDisks(virsh: VirshRunner, vmId: string, inactive = false): Promise<{ disks: DomainDisk[]; skipped: string[] }> {
  const { stdout } = await virsh.run(['dumpxml', '--domain', checkId(vmId), ...(inactive ? ['--inactive'] : [])]);
  const doc = xmlParser.parse(stdout);
  const disks: DomainDisk[] = [];
  const skipped: string[] = [];
  for (const disk of list<any>(doc?.domain?.devices?.disk)) {
    const target = String(disk?.target?.['@dev'] ?? '');
    if (!target) continue;
    const path = disk?.source?.['@file'];
    if (disk['@device'] !== 'disk' || disk['@type'] !== 'file' || disk.readonly !== undefined || !path || /-seed\.iso$/.test(path)) skipped.push(target);
    else disks.push({ target, path: String(path), format: String(disk?.driver?.['@type'] ?? 'raw') });
  }
  disks.sort((a, b) => a.target.localeCompare(b.target));
  return { disks, skipped };
}

/** Starts a push-mode backup of the disks into the given files, full or incremental from `incremental`, making checkpoint `checkpoint`. */
export async function beginBackup(virsh: VirshRunner, vmId: string, spec: { files: Array<{ target: string; file: string }>; skipped: string[]; incremental: string | null; checkpoint: string | null }): Promise<void> {
  checkId(vmId);
  const backupXml = xmlBuilder.build({
    domainbackup: {
      ...(spec.incremental ? { incremental: checkStorageName('checkpoint', spec.incremental) } : {}),
      disks: {
        disk: [
          ...spec.files.map((f) => ({ '@name': f.target, '@type': 'file', target: { '@file': f.file }, driver: { '@type': 'qcow2' } })),
          ...spec.skipped.map((target) => ({ '@name': target, '@backup': 'no' })),
        ],
      },
    },
  });
  const args = (backupFile: string) => ['backup-begin', '--domain', vmId, '--backupxml', backupFile];
  if (!spec.checkpoint) return void (await withXmlFile(backupXml, (backupFile) => virsh.run(args(backupFile), 120_000)));
  const checkpointXml = xmlBuilder.build({
    domaincheckpoint: {
      name: checkStorageName('checkpoint', spec.checkpoint),
      disks: { disk: [...spec.files.map((f) => ({ '@name': f.target, '@checkpoint': 'bitmap' })), ...spec.skipped.map((target) => ({ '@name': target, '@checkpoint': 'no' }))] },
    },
  });
  await withXmlFile(backupXml, (backupFile) => withXmlFile(checkpointXml, (checkpointFile) => virsh.run([...args(backupFile), '--checkpointxml', checkpointFile], 120_000)));
}

/** The running backup job's figures, or the last one's once it ended (kept: --keep-completed). */
export async function backupJob(virsh: VirshRunner, vmId: string): Promise<BackupJob> {
  const read = async (completed: boolean) => {
    const { stdout } = await virsh.run(['domjobinfo', '--domain', checkId(vmId), '--rawstats', ...(completed ? ['--completed', '--keep-completed'] : [])]);
    const fields = new Map<string, string>();
    for (const line of stdout.split('\n')) {
      const match = /^\s*([^:]+):\s*(.*)$/.exec(line);
      if (match) fields.set(match[1]!.trim().toLowerCase(), match[2]!.trim());
    }
    return fields;
  };
  const now = await read(false);
  // Job type 0 / None: nothing runs; 2 unbounded (a backup), 3 completed, 4 failed, 5 cancelled.
  const type = now.get('job type') ?? '0';
  const numbers = (f: Map<string, string>) => ({ totalBytes: Number(f.get('disk_total') ?? 0), processedBytes: Number(f.get('disk_processed') ?? 0) });
  if (type !== '0' && !/none/i.test(type)) return { active: true, ...numbers(now), failed: null };
  const done = await read(true);
  const doneType = done.get('job type') ?? '0';
  const failed = doneType === '3' || /completed/i.test(doneType) ? null : (done.get('errmsg') ?? `the backup job ended with job type ${doneType}`);
  return { active: false, ...numbers(done), failed };
}

/** Whether the guest's agent is connected now (libvirt shows its channel's state in the live XML): asking a silent one costs seconds. */
export async function agentConnected(virsh: VirshRunner, vmId: string): Promise<boolean> {
  const { stdout } = await virsh.run(['dumpxml', '--domain', checkId(vmId)]);
  const channels = list<any>(xmlParser.parse(stdout)?.domain?.devices?.channel);
  return channels.some((c) => c?.target?.['@name'] === 'org.qemu.guest_agent.0' && c?.target?.['@state'] === 'connected');
}

/** Freezes the guest's file systems through its agent; throws when the agent does not answer. */
export async function freezeFileSystems(virsh: VirshRunner, vmId: string): Promise<string> {
  return (await virsh.run(['domfsfreeze', '--domain', checkId(vmId)], 20_000)).stdout.trim();
}

/** Thaws them; nothing frozen (or no agent) is fine. */
export async function thawFileSystems(virsh: VirshRunner, vmId: string): Promise<void> {
  await virsh.run(['domfsthaw', '--domain', checkId(vmId)], 20_000).catch(() => {});
}

/** Starts the domain with its vCPUs paused: QEMU opens the disks (and their bitmaps), the guest runs nothing. */
export async function startPaused(virsh: VirshRunner, vmId: string): Promise<void> {
  await virsh.run(['start', '--domain', checkId(vmId), '--paused']);
}

export async function listCheckpoints(virsh: VirshRunner, vmId: string): Promise<string[]> {
  const { stdout } = await virsh.run(['checkpoint-list', '--domain', checkId(vmId), '--name']);
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Removes a checkpoint (merging its bitmap into its parent); its metadata only when the bitmap is broken. Absent is fine. */
export async function deleteCheckpoint(virsh: VirshRunner, vmId: string, name: string): Promise<void> {
  const args = ['checkpoint-delete', '--domain', checkId(vmId), '--checkpointname', checkStorageName('checkpoint', name)];
  await virsh.run(args).catch(async (error: unknown) => {
    if (error instanceof Error && NO_CHECKPOINT.test(error.message)) return;
    await virsh.run([...args, '--metadata']).catch(unless(NO_CHECKPOINT));
  });
}

/** The target path of a storage pool (a directory pool, or any pool type with a target directory). */
export async function poolInfo(virsh: VirshRunner, pool: string): Promise<{ type: string; path: string | null; active: boolean }> {
  const [{ stdout }, info] = await Promise.all([virsh.run(['pool-dumpxml', '--pool', checkStorageName('pool', pool)]), virsh.run(['pool-info', '--pool', pool])]);
  const doc = xmlParser.parse(stdout);
  const path = doc?.pool?.target?.path;
  return { type: String(doc?.pool?.['@type'] ?? ''), path: path ? String(path) : null, active: /^State:\s+running$/m.test(info.stdout) };
}

// qemu-img on the backup files

/** qemu-img check of a qcow2 file: throws with its report when it finds corruption. */
export async function checkQcow2(path: string): Promise<void> {
  const { code, stdout, stderr } = await spawnQemuImg(['check', '-f', 'qcow2', path], QEMU_IMG_TIMEOUT_MS);
  // 0: clean; 3: leaked clusters only (harmless); 1 and 2: cannot check or corrupt.
  if (code !== 0 && code !== 3) throw new HypervisorError(`${path} failed qemu-img check: ${(stderr || stdout).replace(/^qemu-img:\s*/gm, '').trim()}`, 'qemu-img check');
}

/** Points an incremental backup at its parent without touching its data (its clusters are the changes since the parent). */
export async function rebaseOnto(path: string, parent: string): Promise<void> {
  await runCommand('qemu-img', ['rebase', '-u', '-f', 'qcow2', '-b', parent, '-F', 'qcow2', path], { timeoutMs: QEMU_IMG_TIMEOUT_MS });
}

/** The files of the chain that opens from path (itself first), as qemu-img follows it. */
export async function backingChain(path: string): Promise<Array<{ filename: string; virtualSize: number; compat: string | null }>> {
  // -U: the VM's own disk may be open in QEMU (read for its size and qcow2 version only).
  const { stdout } = await runCommand('qemu-img', ['info', '-U', '--backing-chain', '--output=json', '-f', 'qcow2', path], { timeoutMs: QEMU_IMG_TIMEOUT_MS });
  const parsed = JSON.parse(stdout) as Array<{ filename: string; 'virtual-size': number; 'format-specific'?: { data?: { compat?: string } } }>;
  return list(parsed).map((i) => ({ filename: i.filename, virtualSize: i['virtual-size'], compat: i['format-specific']?.data?.compat ?? null }));
}

/** Bytes the file takes on disk (its allocated blocks). */
export async function storedBytes(path: string): Promise<number> {
  const s = await stat(path);
  return s.blocks * 512;
}

/** Writes the chain that opens from `top` as one standalone qcow2 at dst (replaced if there); a partial dst is removed on failure. */
export async function flattenChain(top: string, dst: string, onProgress?: (percent: number) => void): Promise<void> {
  await rm(dst, { force: true });
  try {
    const { code, stderr } = await spawnQemuImg(['convert', '-p', '-f', 'qcow2', '-O', 'qcow2', top, dst], COPY_STALL_MS, (chunk) => {
      const matches = [...chunk.matchAll(/\((\d+(?:\.\d+)?)\/100%\)/g)];
      if (matches.length) onProgress?.(Number(matches.at(-1)![1]));
    });
    if (code !== 0) throw new HypervisorError(stderr.replace(/^qemu-img:\s*/gm, '').trim() || `exited with code ${code}`, 'qemu-img convert');
  } catch (error) {
    await rm(dst, { force: true });
    throw error;
  }
}

export async function fileExists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Moves a file within its file system (a disk set aside and put back). */
export async function moveFile(from: string, to: string): Promise<void> {
  await rename(from, to);
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
