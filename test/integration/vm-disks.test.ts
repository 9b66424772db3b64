// A VM's disks on a real libvirtd, on a stopped blank VM (no guest needed): an attach lands in the
// domain's definition and stays there through a resize of the VM; bad input (too many disks, an
// unknown pool, the boot disk, a shrink) gets a typed error and changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, virsh, vmMutation, volumeExists, waitForTask } from '../support/libvirt.ts';

const GiB = 1024 ** 3;
const PAYLOAD = `__typename ... on VmDiskTaskPayload { disk { id target volume bus } task { id } } ... on QuotaExceededError { resource } ... on Error { message }`;
// detachDisk's union has no QuotaExceededError.
const PLAIN = `__typename ... on VmDiskTaskPayload { disk { id target volume bus } task { id } } ... on Error { message }`;
const ATTACH = `mutation($vm: ID!, $i: AttachDiskInput!) { attachDisk(vmId: $vm, input: $i) { ${PAYLOAD} } }`;

describe('disks of a stopped VM on real libvirt', () => {
  let t: TestHangar;
  let admin: string;
  let vmId: string;
  let id: string;

  before(async () => {
    // At most three disks per VM here, so the limit is reached cheaply.
    t = await startTestHangar('postgres', { HANGAR_MAX_DISKS_PER_VM: '3' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    const created = await vmMutation(t, admin, `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, {
      i: { name: 'disks tiny', vcpus: 1, memoryMb: 128, diskGb: 1, start: false },
    });
    assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
    vmId = created.vmId;
    id = rawId(vmId);
  });

  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  });

  async function accepted(mutation: string, variables: Record<string, unknown>): Promise<any> {
    const result = await t.gql(mutation, variables, { cookie: admin });
    const payload = Object.values(result.data ?? {})[0] as any;
    assert.equal(payload?.__typename, 'VmDiskTaskPayload', JSON.stringify(result));
    const task = await waitForTask(t, admin, payload.task.id, 120_000);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return payload.disk;
  }
  const disksNow = async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { disks { id target boot sizeGb bus volume ioLimits { totalIopsSec } } } } }`, { id: vmId }, { cookie: admin })).data.node.disks;
  const ourVolumes = async () => (await virsh('vol-list', '--pool', 'hangar-disks')).split('\n').filter((l) => l.includes(id)).length;
  const inactiveXml = () => virsh('dumpxml', '--inactive', id);

  test('the boot disk is the VM\u2019s first disk', async () => {
    assert.deepEqual((await disksNow()).map((d: any) => [d.target, d.boot, d.sizeGb]), [['vda', true, 1]]);
  });

  test('a disk attached to a stopped VM is in its definition, with its I/O limits, and its volume exists', async () => {
    const sata = await accepted(ATTACH, { vm: vmId, i: { sizeGiB: 1, bus: 'SATA' } });
    assert.equal(sata.target, 'sdc');
    const limited = await accepted(ATTACH, { vm: vmId, i: { sizeGiB: 2, ioLimits: { totalIopsSec: 100 } } });
    assert.equal(limited.target, 'vdb');
    const xml = await inactiveXml();
    assert.match(xml, /<target dev='sdc' bus='sata'\/>/);
    assert.match(xml, /<target dev='vdb' bus='virtio'\/>[\s\S]*<total_iops_sec>100<\/total_iops_sec>/);
    assert.ok(await volumeExists('hangar-disks', sata.volume));
    assert.match(await virsh('vol-info', '--bytes', '--pool', 'hangar-disks', limited.volume), new RegExp(`Capacity:\\s+${2 * GiB} bytes`));
    assert.deepEqual((await disksNow()).map((d: any) => [d.target, d.bus, d.ioLimits.totalIopsSec]), [['vda', 'VIRTIO', null], ['sdc', 'SATA', null], ['vdb', 'VIRTIO', 100]]);
  });

  test('bad input gets a typed error and changes nothing', async () => {
    const before = { disks: await disksNow(), volumes: await ourVolumes(), xml: await inactiveXml() };
    const boot = before.disks[0];
    const answer = async (mutation: string, variables: Record<string, unknown>) => Object.values((await t.gql(mutation, variables, { cookie: admin })).data ?? {})[0] as any;
    const tooMany = await answer(ATTACH, { vm: vmId, i: { sizeGiB: 1 } });
    assert.equal(tooMany.__typename, 'QuotaExceededError');
    assert.equal(tooMany.resource, 'disks');
    assert.match(tooMany.message, /Too many disks/);
    const pool = await answer(ATTACH, { vm: vmId, i: { sizeGiB: 1, pool: 'no-such-pool' } });
    assert.equal(pool.__typename, 'NotFoundError', JSON.stringify(pool));
    const detachBoot = await answer(`mutation($vm: ID!, $d: ID!) { detachDisk(vmId: $vm, diskId: $d) { ${PLAIN} } }`, { vm: vmId, d: boot.id });
    assert.equal(detachBoot.__typename, 'ConflictError');
    assert.match(detachBoot.message, /boot disk/);
    const shrink = await answer(`mutation($vm: ID!, $d: ID!, $s: Int!) { resizeDisk(vmId: $vm, diskId: $d, sizeGiB: $s) { ${PAYLOAD} } }`, { vm: vmId, d: before.disks[2].id, s: 1 });
    assert.equal(shrink.__typename, 'ValidationError');
    assert.deepEqual(await disksNow(), before.disks);
    assert.equal(await ourVolumes(), before.volumes);
    assert.equal(await inactiveXml(), before.xml);
  });

  test('a resize of the VM redefines its domain with every disk', async () => {
    const resized = await vmMutation(t, admin, `mutation($id: ID!, $input: ResizeVmInput!) { resizeVm(id: $id, input: $input) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, { id: vmId, input: { memoryMb: 192 } });
    assert.equal(resized.task.status, 'SUCCEEDED', JSON.stringify(resized.task));
    const xml = await inactiveXml();
    assert.match(xml, /<memory unit='KiB'>196608<\/memory>/);
    assert.match(xml, /<target dev='sdc' bus='sata'\/>/);
    assert.match(xml, /<total_iops_sec>100<\/total_iops_sec>/);
  });

  test('a stopped VM\u2019s disk grows, and detached with its volume it is gone', async () => {
    const vdb = (await disksNow()).find((d: any) => d.target === 'vdb');
    await accepted(`mutation($vm: ID!, $d: ID!, $s: Int!) { resizeDisk(vmId: $vm, diskId: $d, sizeGiB: $s) { ${PAYLOAD} } }`, { vm: vmId, d: vdb.id, s: 3 });
    assert.match(await virsh('vol-info', '--bytes', '--pool', 'hangar-disks', vdb.volume), new RegExp(`Capacity:\\s+${3 * GiB} bytes`));
    await accepted(`mutation($vm: ID!, $d: ID!) { detachDisk(vmId: $vm, diskId: $d, deleteVolume: true) { ${PLAIN} } }`, { vm: vmId, d: vdb.id });
    assert.doesNotMatch(await inactiveXml(), /vdb/);
    assert.equal(await volumeExists('hangar-disks', vdb.volume), false);
    assert.deepEqual((await disksNow()).map((d: any) => d.target), ['vda', 'sdc']);
  });

  test('the quota counts every disk: attached ones, their growth, and what is left for a new VM', async () => {
    const user = await userWithRole(t, admin, 'User');
    const quota = await t.gql('mutation($id: ID!) { setQuota(userId: $id, input: { maxDiskGb: 3 }) { __typename } }', { id: user.id }, { cookie: admin });
    assert.equal(quota.data.setQuota.__typename, 'Quota', JSON.stringify(quota));
    const created = await vmMutation(t, user.cookie, `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`, {
      i: { name: 'disks quota', vcpus: 1, memoryMb: 128, diskGb: 1, start: false },
    });
    const answer = async (mutation: string, variables: Record<string, unknown>) => Object.values((await t.gql(mutation, variables, { cookie: user.cookie })).data ?? {})[0] as any;
    const over = await answer(ATTACH, { vm: created.vmId, i: { sizeGiB: 3 } });
    assert.equal(over.__typename, 'QuotaExceededError', JSON.stringify(over));
    assert.equal(over.resource, 'disk');
    const fits = await answer(ATTACH, { vm: created.vmId, i: { sizeGiB: 2 } });
    assert.equal(fits.__typename, 'VmDiskTaskPayload', JSON.stringify(fits));
    assert.equal((await waitForTask(t, user.cookie, fits.task.id)).status, 'SUCCEEDED');
    const grow = await answer(`mutation($vm: ID!, $d: ID!, $s: Int!) { resizeDisk(vmId: $vm, diskId: $d, sizeGiB: $s) { ${PAYLOAD} } }`, { vm: created.vmId, d: fits.disk.id, s: 3 });
    assert.equal(grow.__typename, 'QuotaExceededError', JSON.stringify(grow));
    const another = await answer(`mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on QuotaExceededError { resource } ... on Error { message } } }`, { i: { name: 'one more', vcpus: 1, memoryMb: 128, diskGb: 1, start: false } });
    assert.equal(another.__typename, 'QuotaExceededError', JSON.stringify(another));
    assert.equal(another.resource, 'disk');
  });
});
