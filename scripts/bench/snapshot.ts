// A snapshot of a running VM through Hangar against `virsh snapshot-create-as` by hand with the
// same options, in the same run, on the same guest: by default the Debian test image deployed
// (512 MiB, TCG, no NIC) with its guest agent, so both sides freeze its file systems around the
// snapshot; BENCH_SNAPSHOT_GUEST=tiny uses an idle firmware-only guest instead (no agent, its
// memory all zeros: the snapshot itself is then so short that fixed costs dominate).
//   Hangar: createSnapshot sent → its task SUCCEEDED (frozen, taken, thawed, recorded).
//   By hand, one bash: `virsh domfsfreeze D; virsh snapshot-create-as --domain D --name N --atomic;
//   virsh domfsthaw D` (an internal snapshot with the memory, what Hangar asks libvirt for).
// Rounds alternate which goes first; each snapshot is deleted (unmeasured) before the next, so every
// one is taken on the same disk. The figure is the ratio of the medians.
// Settings: BENCH_SNAPSHOT_ROUNDS (5), BENCH_SNAPSHOT_GUEST (debian | tiny).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OperatorShell } from './deploy.ts';
import type { BenchContext } from './lib/context.ts';
import { payloadOf, startLibvirtHangar, virsh, waitFor, type LibvirtHangar } from './lib/libvirt-hangar.ts';
import { median } from './lib/stats.ts';

export const TARGET_RATIO = 1.2;
const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

/** The Debian test image uploaded into the bench's Hangar (built once and cached by scripts/build-test-image). */
async function uploadTestImage(h: LibvirtHangar): Promise<string> {
  const { stdout } = await run('bash', [join(root, 'scripts', 'build-test-image')], { maxBuffer: 1 << 20, timeout: 15 * 60_000 });
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: 'mutation($input: ImageInput!, $file: Upload!) { uploadImage(input: $input, file: $file) { __typename ... on Image { id } ... on Error { message } } }', variables: { input: { name: 'bench image', cloudInit: true, defaultUser: 'debian' }, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', await openAsBlob(stdout.trim()), 'bench.qcow2');
  const response = await fetch(`${h.url}/graphql`, { method: 'POST', body: form, headers: { cookie: h.cookie, 'x-hangar-csrf': '1' } });
  const body = (await response.json()) as any;
  if (body.data?.uploadImage?.__typename !== 'Image') throw new Error(`upload failed: ${JSON.stringify(body)}`);
  return body.data.uploadImage.id;
}

export async function benchSnapshot(ctx: BenchContext): Promise<void> {
  const rounds = Math.round(Number(process.env.BENCH_SNAPSHOT_ROUNDS ?? 5));
  if (!Number.isFinite(rounds) || rounds < 3) throw new Error(`BENCH_SNAPSHOT_ROUNDS must be at least 3, not ${process.env.BENCH_SNAPSHOT_ROUNDS}`);
  let h: LibvirtHangar | undefined;
  let domain = '';
  // The by-hand commands typed into one bash, as deploy's are.
  const operator = new OperatorShell();
  try {
    // A TCG guest on a loaded machine may take long to reach its agent: that is not what is measured.
    h = await startLibvirtHangar({ HANGAR_LOCAL_NETWORK: 'none', HANGAR_GUEST_AGENT_TIMEOUT_SECONDS: '1800' });
    const call = h.call;
    const debian = (process.env.BENCH_SNAPSHOT_GUEST ?? 'debian') !== 'tiny';
    const input = debian
      ? { name: `bench-snapshot-${process.pid}`, vcpus: 1, memoryMb: 512, diskGb: 4, imageId: await uploadTestImage(h), guest: { hostname: 'bench-snapshot', username: 'bench', password: 'bench-password-1' } }
      : { name: `bench-snapshot-${process.pid}`, vcpus: 1, memoryMb: 512, diskGb: 1, start: true };
    const created = payloadOf(await call(`mutation($input: CreateVmInput!) { createVm(input: $input) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, { input }));
    const vmId = created.vm.id as string;
    domain = Buffer.from(vmId, 'base64').toString('utf8').split(':')[1]!;
    // A deploy ends when the guest agent answers.
    if ((await h.taskDone(created.task.id, 20 * 60_000, 500)).status !== 'SUCCEEDED') throw new Error('createVm failed');
    await waitFor('the guest running', async () => (await call(`query($id: ID!) { node(id: $id) { ... on Vm { state } } }`, { id: vmId })).body.data?.node?.state === 'RUNNING', 60_000, 100);
    ctx.note(`snapshot: guest ${domain} (512 MiB, ${debian ? 'Debian with its agent' : 'firmware only'}) running; ${rounds} rounds`);

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
      const virshBy = (...args: string[]) => operator.run('virsh', '-q', '-c', 'qemu:///system', ...args);
      const began = performance.now();
      if (debian) await virshBy('domfsfreeze', domain);
      try {
        await virshBy('snapshot-create-as', '--domain', domain, '--name', name, '--atomic');
      } finally {
        if (debian) await virshBy('domfsthaw', domain);
      }
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
    operator.close();
    await h?.stop().catch((error: Error) => ctx.note(`snapshot: Hangar stop failed: ${error.message}`));
  }
}
