// A snapshot of a running VM through Hangar against `virsh snapshot-create-as` by hand with the
// same options, in the same run, on the same idle guest (512 MiB, TCG, firmware only: no guest
// agent, so neither side freezes file systems).
//   Hangar: createSnapshot sent → its task SUCCEEDED (the snapshot recorded: parent, current, size).
//   By hand: `virsh snapshot-create-as --domain D --name N --atomic` (an internal snapshot with the
//   memory, what Hangar asks libvirt for).
// Rounds alternate which goes first; each snapshot is deleted (unmeasured) before the next, so every
// one is taken on the same disk. The figure is the ratio of the medians.
// Settings: BENCH_SNAPSHOT_ROUNDS (5).
import { randomUUID } from 'node:crypto';
import type { BenchContext } from './lib/context.ts';
import { payloadOf, startLibvirtHangar, virsh, waitFor, type LibvirtHangar } from './lib/libvirt-hangar.ts';
import { median } from './lib/stats.ts';

export const TARGET_RATIO = 1.2;

export async function benchSnapshot(ctx: BenchContext): Promise<void> {
  const rounds = Math.round(Number(process.env.BENCH_SNAPSHOT_ROUNDS ?? 5));
  if (!Number.isFinite(rounds) || rounds < 3) throw new Error(`BENCH_SNAPSHOT_ROUNDS must be at least 3, not ${process.env.BENCH_SNAPSHOT_ROUNDS}`);
  let h: LibvirtHangar | undefined;
  let domain = '';
  try {
    h = await startLibvirtHangar({ HANGAR_LOCAL_NETWORK: 'none' });
    const call = h.call;
    const created = payloadOf(await call(`mutation($input: CreateVmInput!) { createVm(input: $input) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, { input: { name: `bench-snapshot-${process.pid}`, vcpus: 1, memoryMb: 512, diskGb: 1, start: true } }));
    const vmId = created.vm.id as string;
    domain = Buffer.from(vmId, 'base64').toString('utf8').split(':')[1]!;
    if ((await h.taskDone(created.task.id)).status !== 'SUCCEEDED') throw new Error('createVm failed');
    await waitFor('the guest running', async () => (await call(`query($id: ID!) { node(id: $id) { ... on Vm { state } } }`, { id: vmId })).body.data?.node?.state === 'RUNNING', 60_000, 100);
    ctx.note(`snapshot: guest ${domain} (512 MiB, firmware only) running; ${rounds} rounds`);

    const viaHangar = async (name: string) => {
      const began = performance.now();
      const reply = (await call(`mutation($vmId: ID!, $input: CreateSnapshotInput!) { createSnapshot(vmId: $vmId, input: $input) { __typename ... on VmSnapshotTaskPayload { snapshot { id } task { id } } ... on Error { message } } }`, { vmId, input: { name } })).body.data.createSnapshot;
      if (reply.__typename !== 'VmSnapshotTaskPayload') throw new Error(`createSnapshot: ${reply.message}`);
      const task = await h!.taskDone(reply.task.id, 600_000, 5);
      const ms = performance.now() - began;
      if (task.status !== 'SUCCEEDED') throw new Error(`snapshot task ${task.status}: ${task.error}`);
      // Unmeasured: the snapshot goes again, through Hangar.
      const deleted = payloadOf(await call(`mutation($id: ID!) { deleteSnapshot(id: $id) { __typename ... on VmSnapshotTaskPayload { task { id } } ... on Error { message } } }`, { id: reply.snapshot.id }));
      if ((await h!.taskDone(deleted.task.id, 600_000)).status !== 'SUCCEEDED') throw new Error('deleteSnapshot failed');
      return ms;
    };
    const byHand = async () => {
      const name = randomUUID();
      const began = performance.now();
      await virsh('snapshot-create-as', '--domain', domain, '--name', name, '--atomic');
      const ms = performance.now() - began;
      await virsh('snapshot-delete', '--domain', domain, '--snapshotname', name);
      return ms;
    };

    // Unmeasured, once each: first connections, page cache.
    await viaHangar('warm-up');
    await byHand();

    const hangarMs: number[] = [];
    const virshMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const hangarFirst = round % 2 === 0;
      for (const which of hangarFirst ? ['hangar', 'virsh'] : ['virsh', 'hangar']) {
        if (which === 'hangar') hangarMs.push(await viaHangar(`round ${round + 1}`));
        else virshMs.push(await byHand());
      }
      ctx.note(`snapshot: round ${round + 1}: hangar ${hangarMs[round]!.toFixed(0)} ms, virsh ${virshMs[round]!.toFixed(0)} ms`);
    }
    const ratio = median(hangarMs) / median(virshMs);
    ctx.figure('snapshot_ms', median(hangarMs), 'ms');
    ctx.figure('virsh_snapshot_ms', median(virshMs), 'ms');
    ctx.figure('snapshot_vs_virsh_ratio', ratio, 'ratio');
    ctx.note(ratio <= TARGET_RATIO ? `snapshot: target met, ratio ${ratio.toFixed(3)} <= ${TARGET_RATIO}` : `snapshot: TARGET MISSED, ratio ${ratio.toFixed(3)} > ${TARGET_RATIO}`);
  } finally {
    if (domain) {
      await virsh('destroy', domain).catch(() => {});
      await virsh('undefine', domain, '--nvram', '--snapshots-metadata').catch(() => {});
      await virsh('vol-delete', '--pool', 'hangar-disks', `${domain}.qcow2`).catch(() => {});
    }
    await h?.stop().catch((error: Error) => ctx.note(`snapshot: Hangar stop failed: ${error.message}`));
  }
}
