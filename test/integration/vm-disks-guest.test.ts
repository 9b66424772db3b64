// A VM's disks on a real libvirtd with a real (TCG) Debian guest, checked from inside the guest
// through its agent: a disk hot-plugged appears and survives a reboot, grows online, holds its I/O
// limit, and once unplugged is gone. One guest for the whole file.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { agentAnswers, guestSh } from '../support/guest.ts';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { networkAndImage, prepareDeploys, removeNetwork } from '../support/deploy.ts';
import { rawId, removeLeftoverVms, virsh, volumeExists, waitFor, waitForTask } from '../support/libvirt.ts';

const NET = { name: 'hangar-disk', bridge: 'virbr-disk', subnet: '10.231.24' };
const TASK_TIMEOUT_MS = 10 * 60_000;
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const PAYLOAD = `__typename ... on VmDiskTaskPayload { disk { id target volume } task { id } } ... on Error { message }`;
const VM_PAYLOAD = `__typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message }`;

describe('disks of a running Debian guest on real libvirt', { timeout: 40 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let imageId: string;
  let vmId: string;
  let id: string;
  let disk: { id: string; target: string; volume: string };

  before(async () => {
    const path = await networkAndImage(NET);
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    ({ imageId } = await prepareDeploys(t, admin, NET, path));
  });

  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await removeNetwork(NET);
  });

  async function run(mutation: string, variables: Record<string, unknown>): Promise<{ payload: any; task: any }> {
    const result = await t.gql(mutation, variables, { cookie: admin });
    const payload = Object.values(result.data ?? {})[0] as any;
    assert.ok(payload?.task, JSON.stringify(result));
    const task = await waitForTask(t, admin, payload.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return { payload, task };
  }

  /** The guest's whole disks, name → bytes. */
  async function guestDisks(): Promise<Map<string, number>> {
    const out = await guestSh(id, 'lsblk -b -d -n -o NAME,SIZE,TYPE | grep disk');
    return new Map(out.split('\n').map((l) => l.trim().split(/\s+/)).map(([name, size]) => [name, Number(size)]));
  }

  test('a deployed guest answers', { timeout: 20 * 60_000 }, async () => {
    const created = await t.gql(
      `mutation($i: CreateVmInput!) { createVm(input: $i) { ${VM_PAYLOAD} } }`,
      { i: { name: 'disks one', vcpus: 1, memoryMb: 768, diskGb: 4, imageId, guest: { hostname: 'disks-one', username: 'tester', password: 'first-Secret-42' } } },
      { cookie: admin },
    );
    vmId = created.data.createVm.vm.id;
    id = rawId(vmId);
    const task = await waitForTask(t, admin, created.data.createVm.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.ok((await guestDisks()).has('vda'));
  });

  test('a disk hot-plugged into the running guest appears in it', { timeout: 600_000 }, async () => {
    const { payload } = await run(`mutation($vm: ID!, $i: AttachDiskInput!) { attachDisk(vmId: $vm, input: $i) { ${PAYLOAD} } }`, { vm: vmId, i: { sizeGiB: 1 } });
    disk = payload.disk;
    assert.equal(disk.target, 'vdb');
    const disks = await waitFor('vdb in the guest', async () => ((await guestDisks()).has('vdb') ? guestDisks() : null), 60_000, 1000);
    assert.equal(disks.get('vdb'), GiB);
    assert.match(await virsh('domblklist', id), /vdb/);
    assert.match(await virsh('dumpxml', '--inactive', id), /<target dev='vdb' bus='virtio'\/>/);
    const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { disks { target boot sizeGb allocationBytes pool bus } } } }`, { id: vmId }, { cookie: admin });
    assert.deepEqual(data.node.disks.map((d: any) => [d.target, d.boot, d.sizeGb, d.bus]), [['vda', true, 4, 'VIRTIO'], ['vdb', false, 1, 'VIRTIO']]);
    assert.ok(data.node.disks[1].allocationBytes > 0, JSON.stringify(data.node.disks));
  });

  test('the disk grows online and the guest sees its new size', { timeout: 600_000 }, async () => {
    await run(`mutation($vm: ID!, $d: ID!, $s: Int!) { resizeDisk(vmId: $vm, diskId: $d, sizeGiB: $s) { ${PAYLOAD} } }`, { vm: vmId, d: disk.id, s: 2 });
    await waitFor('vdb at 2 GiB in the guest', async () => (await guestDisks()).get('vdb') === 2 * GiB, 60_000, 1000);
  });

  test('a read limit holds: the guest reads the disk no faster than the limit (within 10 %)', { timeout: 600_000 }, async () => {
    const limit = 4 * MiB;
    await run(`mutation($vm: ID!, $d: ID!, $l: DiskIoLimitsInput!) { setDiskIoLimits(vmId: $vm, diskId: $d, limits: $l) { ${PAYLOAD} } }`, { vm: vmId, d: disk.id, l: { readBytesSec: limit } });
    assert.match(await virsh('blkdeviotune', id, 'vdb', '--live'), new RegExp(`read_bytes_sec\\s*:\\s*${limit}`));
    // 24 MiB at 4 MiB/s: about 6 s; direct I/O so the guest's page cache does not answer.
    const out = await guestSh(id, 'dd if=/dev/vdb of=/dev/null bs=1M count=24 iflag=direct 2>&1', 300_000);
    const m = /(\d+) bytes .* copied, ([\d.,]+) s/.exec(out);
    assert.ok(m, out);
    const rate = Number(m[1]) / Number(m[2].replace(',', '.'));
    assert.ok(rate <= limit * 1.1, `read at ${(rate / MiB).toFixed(2)} MiB/s, limit 4 MiB/s: ${out}`);
    assert.ok(rate >= limit * 0.5, `read at ${(rate / MiB).toFixed(2)} MiB/s, far below the limit: ${out}`);
  });

  test('the hot-plugged disk survives a reboot', { timeout: 1_500_000 }, async () => {
    const bootId = await guestSh(id, 'cat /proc/sys/kernel/random/boot_id');
    await run(`mutation($id: ID!) { rebootVm(id: $id) { ${VM_PAYLOAD} } }`, { id: vmId });
    await waitFor('the guest after its reboot', async () => (await agentAnswers(id)) && (await guestSh(id, 'cat /proc/sys/kernel/random/boot_id').catch(() => bootId)) !== bootId, 20 * 60_000, 5000);
    assert.equal((await guestDisks()).get('vdb'), 2 * GiB);
  });

  test('the disk hot-unplugged is gone from the guest and its volume deleted', { timeout: 600_000 }, async () => {
    await run(`mutation($vm: ID!, $d: ID!) { detachDisk(vmId: $vm, diskId: $d, deleteVolume: true, timeoutSeconds: 300) { ${PAYLOAD} } }`, { vm: vmId, d: disk.id });
    assert.ok(!(await guestDisks()).has('vdb'));
    assert.doesNotMatch(await virsh('domblklist', id), /vdb/);
    assert.doesNotMatch(await virsh('dumpxml', '--inactive', id), /vdb/);
    assert.equal(await volumeExists('hangar-disks', disk.volume), false);
    const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { disks { target } } } }`, { id: vmId }, { cookie: admin });
    assert.deepEqual(data.node.disks.map((d: any) => d.target), ['vda']);
  });
});
