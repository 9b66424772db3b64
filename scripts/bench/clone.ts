// Clone of a stopped VM through Hangar against the same virsh steps by hand, in the same run.
// An in-process Hangar (API + worker, local libvirt as host `local`) on a fresh Postgres makes one
// small VM (not started) whose disk then holds 256 MiB of data written by qemu-io, so the copy has
// something to move. Each round, in alternating order: cloneVm (mutation sent → the clone's
// domain runs) and by hand the steps Hangar's overlay clone takes (vol-download of the source's
// disk, vol-create + vol-upload of the copy, define with a new UUID, MAC and disk, start), timed by
// the same domstate poll; each clone is then removed untimed.
// Settings: BENCH_CLONE_ROUNDS (5), BENCH_CLONE_DATA_MIB (256).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../server/hypervisor/command.ts';
import type { BenchContext } from './lib/context.ts';
import { payloadOf, startLibvirtHangar, timeToRunning, virsh, type LibvirtHangar } from './lib/libvirt-hangar.ts';
import { median } from './lib/stats.ts';

export const TARGET_RATIO = 1.2;
const POOL = 'hangar-disks';
const rawIdOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1];

export async function benchClone(ctx: BenchContext): Promise<void> {
  const rounds = Math.round(Number(process.env.BENCH_CLONE_ROUNDS ?? 5));
  const dataMib = Math.round(Number(process.env.BENCH_CLONE_DATA_MIB ?? 256));
  if (!Number.isFinite(rounds) || rounds < 3) throw new Error(`BENCH_CLONE_ROUNDS must be at least 3, not ${process.env.BENCH_CLONE_ROUNDS}`);
  let h: LibvirtHangar | undefined;
  const work = await mkdtemp(join(tmpdir(), 'hangar-bench-clone-'));
  const byHandDomains: string[] = [];
  let sourceGlobalId: string | null = null;
  try {
    h = await startLibvirtHangar();
    const made = payloadOf(await h.call(`mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, { i: { name: `bench-clone-${process.pid}`, vcpus: 1, memoryMb: 128, diskGb: 2, start: false } }));
    sourceGlobalId = made.vm.id as string;
    const source = rawIdOf(sourceGlobalId);
    if ((await h.taskDone(made.task.id)).status !== 'SUCCEEDED') throw new Error('the source VM was not made');
    const sourceDisk = (await virsh('vol-path', '--pool', POOL, `${source}.qcow2`)).trim();
    await runCommand('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x5a 0 ${dataMib}M`, sourceDisk], { timeoutMs: 300_000 });
    await virsh('pool-refresh', POOL);
    const sourceXml = await virsh('dumpxml', '--inactive', source);
    ctx.note(`clone: source VM ${source} (2 GiB disk holding ${dataMib} MiB), ${rounds} rounds`);

    let clones = 0;
    const viaHangar = async () => {
      let domain: string | null = null;
      let taskId = '';
      const ms = await timeToRunning(
        () => domain,
        async () => {
          const payload = payloadOf(await h!.call(`mutation($id: ID!, $input: CloneVmInput!) { cloneVm(id: $id, input: $input) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, { id: sourceGlobalId, input: { name: `bench-clone-copy-${++clones}` } }));
          domain = rawIdOf(payload.vm.id);
          taskId = payload.task.id;
        },
        300_000,
      );
      const task = await h!.taskDone(taskId, 300_000);
      if (task.status !== 'SUCCEEDED') throw new Error(`cloneVm task ${task.status}: ${task.error}`);
      const deleted = payloadOf(await h!.call(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id } } } }`, { id: Buffer.from(`Vm:${domain}`).toString('base64') }));
      await h!.taskDone(deleted.task.id, 120_000);
      return ms;
    };
    const byHand = async () => {
      const id = randomUUID();
      byHandDomains.push(id);
      const file = join(work, 'copy.qcow2');
      const xmlFile = join(work, 'copy.xml');
      const ms = await timeToRunning(
        () => id,
        async () => {
          await virsh('vol-download', '--pool', POOL, '--vol', `${source}.qcow2`, '--file', file, '--sparse');
          const size = (await stat(file)).size;
          await writeFile(xmlFile, `<volume><name>${id}.qcow2</name><capacity unit='bytes'>${size}</capacity><allocation unit='bytes'>0</allocation><target><format type='raw'/></target></volume>`);
          await virsh('vol-create', '--pool', POOL, '--file', xmlFile);
          await virsh('vol-upload', '--pool', POOL, '--vol', `${id}.qcow2`, '--file', file, '--sparse');
          const path = (await virsh('vol-path', '--pool', POOL, `${id}.qcow2`)).trim();
          const mac = `52:54:00:${[0, 0, 0].map(() => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join(':')}`;
          const xml = sourceXml
            .replace(/<uuid>[^<]+<\/uuid>/, `<uuid>${id}</uuid>`)
            .replace(/<name>[^<]+<\/name>/, `<name>hangar-${id}</name>`)
            .replaceAll(sourceDisk, path)
            .replace(/<mac address='[^']+'\/>/, `<mac address='${mac}'/>`);
          await writeFile(xmlFile, xml);
          await virsh('define', xmlFile);
          await virsh('start', `hangar-${id}`);
        },
        300_000,
      );
      await virsh('destroy', id).catch(() => {});
      await virsh('undefine', id).catch(() => {});
      await virsh('vol-delete', '--pool', POOL, `${id}.qcow2`).catch(() => {});
      await rm(file, { force: true });
      return ms;
    };

    // One unmeasured round of each: page cache and first-use effects hit neither measured one.
    await viaHangar();
    await byHand();
    const hangarMs: number[] = [];
    const handMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['hangar', 'hand'] as const) : (['hand', 'hangar'] as const);
      for (const which of order) {
        if (which === 'hangar') hangarMs.push(await viaHangar());
        else handMs.push(await byHand());
      }
      ctx.note(`clone: round ${round + 1}: hangar ${hangarMs[round].toFixed(0)} ms, by hand ${handMs[round].toFixed(0)} ms`);
    }
    const ratio = median(hangarMs) / median(handMs);
    ctx.figure('clone_ms', median(hangarMs), 'ms');
    ctx.figure('clone_manual_ms', median(handMs), 'ms');
    ctx.figure('clone_vs_manual_ratio', ratio, 'ratio');
    ctx.note(ratio <= TARGET_RATIO ? `clone: target met, ratio ${ratio.toFixed(3)} <= ${TARGET_RATIO}` : `clone: TARGET MISSED, ratio ${ratio.toFixed(3)} > ${TARGET_RATIO}`);
  } finally {
    for (const id of byHandDomains) {
      await virsh('destroy', id).catch(() => {});
      await virsh('undefine', id).catch(() => {});
      await virsh('vol-delete', '--pool', POOL, `${id}.qcow2`).catch(() => {});
    }
    if (h && sourceGlobalId) {
      const deleted = await h.call(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: sourceGlobalId }).catch(() => null);
      const taskId = deleted?.body.data?.deleteVm?.task?.id;
      if (taskId) await h.taskDone(taskId, 120_000).catch(() => {});
    }
    await h?.stop().catch((error: Error) => ctx.note(`clone: Hangar stop failed: ${error.message}`));
    await rm(work, { recursive: true, force: true });
  }
}
