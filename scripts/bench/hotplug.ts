// A disk hot-plugged into a running guest, through Hangar: attachDisk sent → the new disk listed by
// `lsblk` inside the guest, read through its QEMU agent (hotplug_disk_ms, the median of the rounds).
// One Debian test guest (TCG) is deployed first and takes one new 1 GiB disk per round; the agent
// is asked again every 200 ms, so the figure's resolution is that plus one guest-exec round trip.
// Settings: BENCH_HOTPLUG_ROUNDS (3, at most 7: a VM has at most 8 disks).
import { execFile } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { guestSh } from '../../test/support/guest.ts';
import type { BenchContext } from './lib/context.ts';
import { payloadOf, sleep, startLibvirtHangar, waitFor, type LibvirtHangar } from './lib/libvirt-hangar.ts';
import { median } from './lib/stats.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

async function uploadImage(h: LibvirtHangar, path: string): Promise<string> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: 'mutation($input: ImageInput!, $file: Upload!) { uploadImage(input: $input, file: $file) { __typename ... on Image { id } ... on Error { message } } }', variables: { input: { name: 'bench image', cloudInit: true }, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', await openAsBlob(path), 'bench.qcow2');
  const response = await fetch(`${h.url}/graphql`, { method: 'POST', body: form, headers: { cookie: h.cookie, 'x-hangar-csrf': '1' } });
  const body = (await response.json()) as any;
  if (body.data?.uploadImage?.__typename !== 'Image') throw new Error(`upload failed: ${JSON.stringify(body)}`);
  return body.data.uploadImage.id;
}

export async function benchHotplug(ctx: BenchContext): Promise<void> {
  const rounds = Math.round(Number(process.env.BENCH_HOTPLUG_ROUNDS ?? 3));
  if (!Number.isFinite(rounds) || rounds < 1 || rounds > 7) throw new Error(`BENCH_HOTPLUG_ROUNDS must be 1 to 7, not ${process.env.BENCH_HOTPLUG_ROUNDS}`);
  const imagePath = (await run('bash', [join(root, 'scripts', 'build-test-image')], { maxBuffer: 1 << 20 })).stdout.trim();
  const h = await startLibvirtHangar({ HANGAR_LOCAL_NETWORK: 'none' });
  let vmId: string | null = null;
  try {
    const imageId = await uploadImage(h, imagePath);
    const created = payloadOf(
      await h.call(`mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, {
        i: { name: 'bench hotplug', vcpus: 1, memoryMb: 768, diskGb: 4, imageId, guest: { hostname: 'hotplug', username: 'bench', password: 'bench-password-1' } },
      }),
    );
    vmId = created.vm.id as string;
    const domain = Buffer.from(vmId, 'base64').toString('utf8').split(':')[1];
    const deployed = await h.taskDone(created.task.id, 15 * 60_000, 500);
    if (deployed.status !== 'SUCCEEDED') throw new Error(`deploy task ${deployed.status}: ${deployed.error}`);
    const guestDisks = async () => (await guestSh(domain, 'lsblk -d -n -o NAME,TYPE | grep -c disk', 60_000)).trim();
    const samples: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const before = Number(await guestDisks());
      const sent = performance.now();
      const attached = payloadOf(await h.call(`mutation($vm: ID!, $i: AttachDiskInput!) { attachDisk(vmId: $vm, input: $i) { __typename ... on VmDiskTaskPayload { task { id } } ... on Error { message } } }`, { vm: vmId, i: { sizeGiB: 1 } }));
      await waitFor('the new disk in the guest', async () => Number(await guestDisks().catch(() => before)) > before, 120_000, 200);
      const ms = performance.now() - sent;
      samples.push(ms);
      const task = await h.taskDone(attached.task.id);
      if (task.status !== 'SUCCEEDED') throw new Error(`attach task ${task.status}: ${task.error}`);
      ctx.note(`hotplug: round ${round + 1}: ${ms.toFixed(0)} ms to lsblk in the guest`);
      await sleep(500);
    }
    ctx.figure('hotplug_disk_ms', median(samples), 'ms');
  } finally {
    if (vmId) {
      const deleted = await h.call(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vmId }).catch(() => null);
      const taskId = deleted?.body.data?.deleteVm?.task?.id;
      if (taskId) await h.taskDone(taskId, 120_000).catch(() => {});
    }
    await h.stop();
  }
}
