// Backups through Hangar against the same copies by hand, in one run, on one guest with a 2 GiB
// disk holding 1 GiB of random data (a firmware-only guest: idle, its disk filled before it starts).
//   backup_full_vs_qemu_img_ratio: backupVm of the running guest (freeze attempt, backup-begin,
//     the copy, qemu-img check and chain check) until its task ends, against `qemu-img convert -U`
//     of the same disk by hand.
//   backup_incremental_bytes_ratio: 64 MiB of new data written into the disk (the guest is powered
//     off and qemu-io writes through QEMU's block layer, which keeps the checkpoint's bitmap), then
//     backupVm (the stopped guest runs paused for the copy): the bytes the incremental stores / 64 MiB.
//   restore_vs_qemu_img_ratio: restoreBackup of that incremental as a new VM until its domain runs,
//     against `qemu-img convert` of the same chain (full + incremental) by hand.
// The files are read once before (a warm page cache for both sides), and each by-hand copy runs
// before and after Hangar's and is averaged (the load of the machine changes during a run).
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BenchContext } from './lib/context.ts';
import { domState, payloadOf, startLibvirtHangar, virsh, waitFor, type LibvirtHangar } from './lib/libvirt-hangar.ts';

export const TARGET_FULL_RATIO = 1.2;
export const TARGET_INCREMENTAL_RATIO = 1.5;
export const TARGET_RESTORE_RATIO = 1.3;
const DATA_MIB = 1024;
const NEW_MIB = 64;
const POOL = 'hangar-bench-backups';
const run = promisify(execFile);
const MiB = 1024 ** 2;

export async function benchBackup(ctx: BenchContext): Promise<void> {
  let h: LibvirtHangar | undefined;
  const domains: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'hangar-bench-backup-'));
  const poolDir = join(dir, 'pool');
  const call = (query: string, variables?: Record<string, unknown>) => h!.call(query, variables);
  const timed = async (what: () => Promise<unknown>) => {
    const began = performance.now();
    await what();
    return performance.now() - began;
  };
  try {
    await run('mkdir', ['-p', poolDir]);
    await chmod(dir, 0o755);
    await chmod(poolDir, 0o755);
    await virsh('pool-destroy', POOL).catch(() => {});
    await virsh('pool-undefine', POOL).catch(() => {});
    await virsh('pool-define-as', POOL, 'dir', '--target', poolDir);
    await virsh('pool-start', POOL);
    h = await startLibvirtHangar({ HANGAR_LOCAL_NETWORK: 'none' });
    const hostId = ((await call('{ hosts { id name } }')).body.data.hosts as Array<{ id: string; name: string }>).find((x) => x.name === 'local')!.id;
    const target = (await call(`mutation($input: CreateBackupTargetInput!) { createBackupTarget(input: $input) { __typename ... on BackupTarget { id } ... on Error { message } } }`, { input: { name: 'bench', hostId, pool: POOL } })).body.data.createBackupTarget;
    if (target.__typename !== 'BackupTarget') throw new Error(`createBackupTarget: ${target.message}`);

    // The guest: firmware only, a 2 GiB disk with 1 GiB of random data, then started.
    const created = payloadOf(await call(`mutation($input: CreateVmInput!) { createVm(input: $input) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, { input: { name: `bench-backup-${process.pid}`, vcpus: 1, memoryMb: 256, diskGb: 2, start: false, hostId } }));
    const vmId = created.vm.id as string;
    const domain = Buffer.from(vmId, 'base64').toString('utf8').split(':')[1]!;
    domains.push(domain);
    if ((await h.taskDone(created.task.id)).status !== 'SUCCEEDED') throw new Error('createVm failed');
    const raw = join(dir, 'data.raw');
    const qcow = join(dir, 'data.qcow2');
    await run('sh', ['-c', `head -c ${DATA_MIB}M /dev/urandom > ${raw}`]);
    await run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw, qcow]);
    await rm(raw);
    await run('qemu-img', ['resize', '-f', 'qcow2', qcow, '2G']);
    await virsh('vol-upload', '--pool', 'hangar-disks', `${domain}.qcow2`, qcow);
    await rm(qcow);
    const disk = (await virsh('vol-path', '--pool', 'hangar-disks', `${domain}.qcow2`)).trim();
    const noteSteps = async (what: string, taskId: string) => {
      const task = (await call(`query($id: ID!) { node(id: $id) { ... on Task { createdAt startedAt finishedAt steps { name startedAt finishedAt } } } }`, { id: taskId })).body.data.node;
      const steps = task.steps as Array<{ name: string; startedAt: string | null; finishedAt: string | null }>;
      const gap = (a: string | null, b: string | null) => (a && b ? Date.parse(b) - Date.parse(a) : NaN);
      ctx.note(`${what}: queued ${gap(task.createdAt, task.startedAt)} ms, ran ${gap(task.startedAt, task.finishedAt)} ms, after the last step ${gap(steps.at(-1)?.finishedAt ?? null, task.finishedAt)} ms`);
      ctx.note(`${what}: ${steps.map((s) => `${s.name} ${s.startedAt && s.finishedAt ? Date.parse(s.finishedAt) - Date.parse(s.startedAt) : '-'} ms`).join(', ')}`);
    };
    const power = async (mutation: 'startVm' | 'stopVm') => {
      const task = payloadOf(await call(`mutation($id: ID!) { ${mutation}(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vmId })).task;
      if ((await h!.taskDone(task.id, 120_000)).status !== 'SUCCEEDED') throw new Error(`${mutation} failed`);
    };
    await power('startVm');

    const backUp = async () => {
      const queued = (await call(`mutation($vm: ID!, $t: ID!) { backupVm(vmId: $vm, targetId: $t) { __typename ... on BackupTaskPayload { backup { id } task { id } } ... on Error { message } } }`, { vm: vmId, t: target.id })).body.data.backupVm;
      if (queued.__typename !== 'BackupTaskPayload') throw new Error(`backupVm: ${queued.message}`);
      const task = await h!.taskDone(queued.task.id, 1_800_000, 50);
      if (task.status !== 'SUCCEEDED') throw new Error(`backup task ${task.status}: ${task.error}`);
      await noteSteps('backup', queued.task.id);
      return (await call(`query($id: ID!) { node(id: $id) { ... on Backup { id kind reason sizeBytes readBytes chainLength } } }`, { id: queued.backup.id })).body.data.node;
    };
    // Both sides read from a warm page cache: the by-hand copy must not gain from Hangar having just read the files.
    const warm = (...files: string[]) => run('sh', ['-c', 'cat "$@" > /dev/null', 'warm', ...files], { timeout: 600_000 });
    /** The by-hand copy before and after Hangar's, averaged: the machine's load changes over a run. */
    const aroundHangar = async (byHand: () => Promise<unknown>, hangar: () => Promise<unknown>) => {
      const before = await timed(byHand);
      const hangarMs = await timed(hangar);
      const afterMs = await timed(byHand);
      return { hangarMs, handMs: (before + afterMs) / 2 };
    };

    // Full: through Hangar, then by hand.
    let full: any;
    await warm(disk);
    const fullCopy = join(dir, 'by-hand-full.qcow2');
    const { hangarMs: hangarFullMs, handMs: handFullMs } = await aroundHangar(
      async () => {
        await run('qemu-img', ['convert', '-U', '-f', 'qcow2', '-O', 'qcow2', disk, fullCopy], { timeout: 1_800_000 });
        await rm(fullCopy);
      },
      async () => (full = await backUp()),
    );
    ctx.note(`backup: full ${(full.sizeBytes / MiB).toFixed(0)} MiB stored, ${(full.readBytes / MiB).toFixed(0)} MiB read; Hangar ${hangarFullMs.toFixed(0)} ms, qemu-img convert ${handFullMs.toFixed(0)} ms`);
    ctx.figure('backup_full_ms', hangarFullMs, 'ms');
    ctx.figure('backup_full_qemu_img_ms', handFullMs, 'ms');
    ctx.figure('backup_full_vs_qemu_img_ratio', hangarFullMs / handFullMs, 'ratio');

    // Incremental: 64 MiB of new data, written where the disk held nothing.
    await power('stopVm');
    await run('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x5c ${DATA_MIB + 256}M ${NEW_MIB}M`, disk], { timeout: 600_000 });
    const incremental = await backUp();
    if (incremental.kind !== 'INCREMENTAL') throw new Error(`the second backup is ${incremental.kind}: ${incremental.reason}`);
    if (incremental.readBytes < NEW_MIB * MiB) throw new Error(`the incremental read ${incremental.readBytes} bytes, less than the ${NEW_MIB} MiB written: the bitmap missed writes`);
    ctx.note(`backup: incremental ${(incremental.sizeBytes / MiB).toFixed(1)} MiB stored, ${(incremental.readBytes / MiB).toFixed(1)} MiB read after ${NEW_MIB} MiB written`);
    ctx.figure('backup_incremental_bytes_ratio', incremental.sizeBytes / (NEW_MIB * MiB), 'ratio');

    // Restore of the chain (full + incremental) as a new VM until its domain runs, then by hand.
    let newDomain = '';
    let restoreTask = '';
    const top = join(poolDir, `${Buffer.from(incremental.id, 'base64').toString('utf8').split(':')[1]}-vda.qcow2`);
    const base = join(poolDir, `${Buffer.from(full.id, 'base64').toString('utf8').split(':')[1]}-vda.qcow2`);
    await warm(top, base);
    const restoredCopy = join(dir, 'by-hand-restore.qcow2');
    const restoreByHand = async () => {
      await run('qemu-img', ['convert', '-f', 'qcow2', '-O', 'qcow2', top, restoredCopy], { timeout: 1_800_000 });
      await rm(restoredCopy);
    };
    const { hangarMs: hangarRestoreMs, handMs: handRestoreMs } = await aroundHangar(restoreByHand, async () => {
      const queued = (await call(`mutation($id: ID!, $input: RestoreBackupInput!) { restoreBackup(id: $id, input: $input) { __typename ... on RestoreBackupPayload { vm { id } task { id } } ... on Error { message } } }`, { id: incremental.id, input: { asNewVm: { name: `bench-restored-${process.pid}` } } })).body.data.restoreBackup;
      if (queued.__typename !== 'RestoreBackupPayload') throw new Error(`restoreBackup: ${queued.message}`);
      newDomain = Buffer.from(queued.vm.id, 'base64').toString('utf8').split(':')[1]!;
      domains.push(newDomain);
      await waitFor('the restored VM to run', async () => (await domState(newDomain)) === 'running', 1_800_000, 20);
      restoreTask = queued.task.id;
    });
    await noteSteps('restore', restoreTask);
    ctx.note(`backup: restore as a new VM ${hangarRestoreMs.toFixed(0)} ms, qemu-img convert of the chain ${handRestoreMs.toFixed(0)} ms`);
    ctx.figure('restore_ms', hangarRestoreMs, 'ms');
    ctx.figure('restore_qemu_img_ms', handRestoreMs, 'ms');
    ctx.figure('restore_vs_qemu_img_ratio', hangarRestoreMs / handRestoreMs, 'ratio');
    const met = hangarFullMs / handFullMs <= TARGET_FULL_RATIO && incremental.sizeBytes / (NEW_MIB * MiB) <= TARGET_INCREMENTAL_RATIO && hangarRestoreMs / handRestoreMs <= TARGET_RESTORE_RATIO;
    ctx.note(met ? 'backup: targets met' : 'backup: a TARGET MISSED (see the ratios above)');
  } finally {
    for (const domain of domains) {
      await virsh('destroy', domain).catch(() => {});
      await virsh('undefine', domain, '--nvram', '--checkpoints-metadata').catch(() => {});
      const volumes = (await virsh('vol-list', '--pool', 'hangar-disks').catch(() => '')).split('\n').map((l) => l.trim().split(/\s+/)[0]);
      for (const name of volumes.filter((v) => v?.startsWith(domain))) await virsh('vol-delete', '--pool', 'hangar-disks', name!).catch(() => {});
    }
    await h?.stop().catch((error: Error) => ctx.note(`backup: Hangar stop failed: ${error.message}`));
    await virsh('pool-destroy', POOL).catch(() => {});
    await virsh('pool-undefine', POOL).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  }
}
