import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { BackupDisk, BackupRow, BackupTargetRow } from '../../db/types.ts';
import { BROKEN_CHECKPOINT } from '../hypervisor/backups.ts';
import { defineOperation, type OperationContext } from './define.ts';

// A backup of every disk of the VM into a backup target, with libvirt's backup API: the first is
// full, the next incremental from the checkpoint the last one made. A chain is never silently
// broken: when an incremental cannot be made the backup is full and its row says why.

const checkpointName = (backupId: string) => `hangar-backup-${backupId}`;
const volumeName = (backupId: string, target: string) => `${backupId}-${target}.qcow2`;
const POLL_MS = 200;

type Ctx = OperationContext<string, { backupId: string; chainCap: number }>;

interface Plan {
  kind: 'full' | 'incremental';
  /** Whether it makes a checkpoint (not on qcow2 v2 disks, which cannot keep bitmaps). */
  checkpoint: boolean;
  parent: BackupRow | null;
  reason: string | null;
  disks: BackupDisk[];
  skipped: string[];
}

async function rowsOf(ctx: Ctx): Promise<{ backup: BackupRow; target: BackupTargetRow }> {
  return ctx.services.backupOf(ctx.params.backupId);
}

/** Full or incremental, and why not incremental when it cannot be. */
async function plan(ctx: Ctx, backup: BackupRow, targetPath: string): Promise<Plan> {
  const { hypervisor, vm } = ctx;
  const { disks: domainDisks, skipped } = await hypervisor.backupDisks(vm.id, true);
  if (!domainDisks.length) throw new Error('The VM has no disk to back up');
  const disks: BackupDisk[] = [];
  const oldFormat: string[] = [];
  for (const d of domainDisks) {
    const info = await hypervisor.backingChain(d.path).catch(() => null);
    if (d.format !== 'qcow2' || info?.[0]?.compat === '0.10') oldFormat.push(d.target);
    disks.push({ target: d.target, volume: volumeName(backup.id, d.target), path: join(targetPath, volumeName(backup.id, d.target)), virtualSizeBytes: info?.[0]?.virtualSize ?? 0 });
  }
  if (oldFormat.length) return { kind: 'full', checkpoint: false, parent: null, reason: `${oldFormat.join(', ')} cannot keep dirty bitmaps (raw or qcow2 v2: qemu-img amend -o compat=1.1 while the VM is off): every backup of this VM is full`, disks, skipped };
  const full = (reason: string): Plan => ({ kind: 'full', checkpoint: true, parent: null, reason, disks, skipped });
  const parent = await ctx.services.lastBackup(vm.id, backup.target_id, backup.id);
  if (!parent) return full('The first backup of this VM to this target');
  if (!parent.checkpoint) return full('The last backup made no checkpoint');
  if (parent.host_id !== ctx.host.id) return full('The VM is on another host than at the last backup: its checkpoints stayed there');
  if (parent.chain_length >= ctx.params.chainCap) return full(`The chain reached ${parent.chain_length} backups, the cap is ${ctx.params.chainCap}`);
  const before = (parent.disks as BackupDisk[]).map((d) => d.target).join(',');
  if (before !== disks.map((d) => d.target).join(',')) return full(`The VM's disks changed since the last backup (${before} then, ${disks.map((d) => d.target).join(',')} now)`);
  const checkpoints = await hypervisor.listCheckpoints(vm.id);
  if (!checkpoints.includes(parent.checkpoint)) return full(`The checkpoint of the last backup (${parent.checkpoint}) is missing in libvirt`);
  return { kind: 'incremental', checkpoint: true, parent, reason: null, disks, skipped };
}

/** A new chain starts: the checkpoints of the old one only cost writes in the guest now. */
async function dropCheckpoints(ctx: Ctx, keep: string): Promise<void> {
  for (const name of await ctx.hypervisor.listCheckpoints(ctx.vm.id)) {
    if (name.startsWith('hangar-backup-') && name !== keep) await ctx.hypervisor.deleteCheckpoint(ctx.vm.id, name);
  }
}

/** backup-begin with the guest's file systems frozen when its agent answers (thawed whatever happens). */
async function beginFrozen(ctx: Ctx, chosen: Plan, freeze: boolean): Promise<boolean> {
  const { hypervisor, vm, params } = ctx;
  let frozen = false;
  if (freeze && !(await hypervisor.agentConnected(vm.id))) {
    await ctx.line('File systems not frozen: the guest agent is not connected; the backup is crash-consistent');
  } else if (freeze) {
    try {
      const said = await hypervisor.freezeFileSystems(vm.id);
      await ctx.line(`File systems frozen for the start of the backup${said ? ` (${said})` : ''}`);
      frozen = true;
    } catch (error) {
      await ctx.line(`File systems not frozen (the guest agent did not answer: ${(error as Error).message}): the backup is crash-consistent`);
    }
  }
  try {
    await hypervisor.beginBackup(vm.id, {
      files: chosen.disks.map((d) => ({ target: d.target, file: d.path })),
      skipped: chosen.skipped,
      incremental: chosen.parent?.checkpoint ?? null,
      checkpoint: chosen.checkpoint ? checkpointName(params.backupId) : null,
    });
  } finally {
    if (frozen) await hypervisor.thawFileSystems(vm.id);
  }
  return frozen;
}

/** Records the plan on the backup's row (it shows in lists while the copy runs). */
async function recordPlan(ctx: Ctx, chosen: Plan): Promise<void> {
  await ctx.services.updateBackup(ctx.params.backupId, {
    kind: chosen.kind,
    parent_id: chosen.parent?.id ?? null,
    reason: chosen.reason,
    chain_length: chosen.parent ? chosen.parent.chain_length + 1 : 1,
    checkpoint: chosen.checkpoint ? checkpointName(ctx.params.backupId) : null,
    disks: chosen.disks,
    host_id: ctx.host.id,
    status: 'running',
  });
}

/** Rebases incrementals onto their parent's files, checks every file, and checks that the chain opens whole. */
export async function verifyBackup(ctx: Pick<OperationContext, 'services' | 'hypervisor'>, backupId: string): Promise<{ sizeBytes: number }> {
  const { backup, parent } = await ctx.services.backupOf(backupId);
  if (backup.parent_id && !parent) throw new Error('The parent backup is gone');
  let sizeBytes = 0;
  for (const disk of backup.disks as BackupDisk[]) {
    if (!(await ctx.hypervisor.fileExists(disk.path))) throw new Error(`The backup of ${disk.target} was not written (${disk.path})`);
    const parentDisk = parent ? (parent.disks as BackupDisk[]).find((d) => d.target === disk.target) : null;
    if (parent && !parentDisk) throw new Error(`The parent backup has no ${disk.target}`);
    // libvirt makes an incremental's file an overlay of the VM's own disk: it belongs on its parent.
    if (parentDisk) await ctx.hypervisor.rebaseOnto(disk.path, parentDisk.path);
    await ctx.hypervisor.checkQcow2(disk.path);
    const chain = await ctx.hypervisor.backingChain(disk.path);
    if (chain.length !== backup.chain_length) throw new Error(`The chain of ${disk.target} opens ${chain.length} files, ${backup.chain_length} expected`);
    if (chain.some((link) => link.virtualSize !== chain[0]!.virtualSize)) throw new Error(`The chain of ${disk.target} mixes disk sizes`);
    sizeBytes += await ctx.hypervisor.storedBytes(disk.path);
  }
  return { sizeBytes };
}

export const vmBackup = defineOperation({
  name: 'vm.backup',
  steps: ['Prepare the target', 'Choose full or incremental', 'Start the backup', 'Copy the disks', 'Verify the backup'],
  privileges: ['VM.Backup'],
  from: ['running', 'stopped', 'paused'],
  needsOnlineHost: true,
  failure: 'rollback',
  cancellable: 'between-steps',
  params: z.object({ backupId: z.uuid(), chainCap: z.number().int().min(1).max(1000).default(14) }),
  action: { action: 'BACKUP', label: 'Back up', description: 'Copies every disk of the VM to a backup target: full the first time, then incremental' },
  async run(ctx) {
    const { hypervisor, vm } = ctx;
    const { backup, target } = await rowsOf(ctx);
    const targetPath = await ctx.step('Prepare the target', async () => {
      if (target.host_id === null) await hypervisor.ensureBackupPool(target.pool, target.path);
      else if (target.host_id !== ctx.host.id) throw new Error(`The target ${target.name} is on another host`);
      const pool = await hypervisor.poolInfo(target.pool);
      if (!pool.active || !pool.path) throw new Error(`The pool ${target.pool} of target ${target.name} is not running or has no directory`);
      return pool.path;
    });
    let chosen = await ctx.step('Choose full or incremental', async () => {
      const p = await plan(ctx, backup, targetPath);
      await ctx.line(p.kind === 'full' ? `Full: ${p.reason}` : `Incremental from ${p.parent!.checkpoint} (chain of ${p.parent!.chain_length + 1})`);
      return p;
    });
    const state = await hypervisor.domainState(vm.id);
    const startedPaused = state !== 'running' && state !== 'paused';
    try {
      await ctx.step('Start the backup', async () => {
        // A stopped VM runs paused for the copy: QEMU reads its disks and keeps its checkpoints, so incrementals still work.
        if (startedPaused) {
          await ctx.line('The VM is stopped: it is started paused for the copy (its guest runs nothing) and stopped again after');
          await hypervisor.startPaused(vm.id);
        }
        const freeze = state === 'running';
        if (chosen.kind === 'full') await dropCheckpoints(ctx, '');
        await recordPlan(ctx, chosen);
        try {
          await beginFrozen(ctx, chosen, freeze);
        } catch (error) {
          if (chosen.kind !== 'incremental' || !BROKEN_CHECKPOINT.test((error as Error).message)) throw error;
          chosen = { ...chosen, kind: 'full', parent: null, reason: `The checkpoint's bitmap is broken (the VM was killed or its host restarted): ${(error as Error).message}` };
          await ctx.warn(`Incremental refused, making a full backup: ${chosen.reason}`);
          await dropCheckpoints(ctx, '');
          for (const d of chosen.disks) await hypervisor.removeFile(d.path);
          await recordPlan(ctx, chosen);
          await beginFrozen(ctx, chosen, freeze);
        }
      });
      const job = await ctx.step('Copy the disks', async (progress) => {
        for (;;) {
          const now = await hypervisor.backupJob(vm.id);
          if (!now.active) {
            if (now.failed) throw new Error(`The backup job failed: ${now.failed}`);
            return now;
          }
          const percent = now.totalBytes ? (100 * now.processedBytes) / now.totalBytes : 0;
          await progress(Math.min(99, percent), `${now.processedBytes} of ${now.totalBytes} bytes`);
          await sleep(POLL_MS, undefined, { signal: ctx.signal }).catch(() => {});
        }
      });
      await ctx.services.updateBackup(backup.id, { read_bytes: job.processedBytes });
    } finally {
      if (startedPaused) await hypervisor.destroy(vm.id);
    }
    await ctx.step('Verify the backup', async () => {
      const { sizeBytes } = await verifyBackup(ctx, backup.id);
      await hypervisor.refreshPool(target.pool).catch(() => {});
      await ctx.services.updateBackup(backup.id, { status: 'ready', size_bytes: sizeBytes, finished_at: new Date(), error: null });
      await ctx.line(`${chosen.kind} backup: ${sizeBytes} bytes stored`);
    });
  },
  async rollback(ctx, cause) {
    const { hypervisor, vm } = ctx;
    const backup = await ctx.services.backupOf(ctx.params.backupId).then((r) => r.backup, () => null);
    await hypervisor.abortJob(vm.id);
    await hypervisor.thawFileSystems(vm.id);
    // Nothing half-made stays: the files of this backup and the checkpoint it made.
    for (const d of (backup?.disks as BackupDisk[] | undefined) ?? []) await hypervisor.removeFile(d.path);
    await hypervisor.deleteCheckpoint(vm.id, checkpointName(ctx.params.backupId)).catch(() => {});
    if (backup) await ctx.services.updateBackup(backup.id, { status: 'failed', error: cause?.message ?? 'Interrupted', finished_at: new Date() });
  },
  async hookParams(ctx) {
    // A hook is told where to write what: the plan is made and recorded as for the built-in run.
    const { backup, target } = await rowsOf(ctx);
    if (target.host_id === null) await ctx.hypervisor.ensureBackupPool(target.pool, target.path);
    const { path } = await ctx.hypervisor.poolInfo(target.pool);
    const chosen = await plan(ctx, backup, path ?? target.path);
    await recordPlan(ctx, chosen);
    return { kind: chosen.kind, reason: chosen.reason, incremental: chosen.parent?.checkpoint ?? null, checkpoint: chosen.checkpoint ? checkpointName(backup.id) : null, files: chosen.disks.map((d) => ({ target: d.target, file: d.path })) };
  },
  async afterHook(ctx) {
    // A hook that replaced the run wrote the files the plan named: they must check out like ours.
    const { sizeBytes } = await verifyBackup(ctx, ctx.params.backupId);
    await ctx.services.updateBackup(ctx.params.backupId, { status: 'ready', size_bytes: sizeBytes, finished_at: new Date() });
  },
});
