// A VM's hardware after it exists (issue 21), on a real libvirtd (TCG guests): network interfaces
// hot-plugged into a Debian guest and given their pool address, their bandwidth held; the ISO
// library (only real ISOs), an ISO in the CD-ROM readable in the guest; boot order and boot once
// from the ISO; bad input refused with nothing changed. The networks here are this file's own.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { defineNetwork, networkAndImage, prepareDeploys, removeNetwork } from '../support/deploy.ts';
import { guestSh } from '../support/guest.ts';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { uploadImage } from '../support/images.ts';
import { domState, rawId, removeLeftoverVms, virsh, waitFor, waitForTask } from '../support/libvirt.ts';
import { makePowerOffIso } from '../support/poweroff-iso.ts';
import { testImagePath } from '../support/test-image.ts';

const run = promisify(execFile);
const NET = { name: 'hangar-nic', bridge: 'virbr-nic', subnet: '10.231.26' };
const NET2 = { name: 'hangar-nic2', bridge: 'virbr-nic2', subnet: '10.231.27' };
const DEPLOY_TIMEOUT_MS = 10 * 60_000;

const PAYLOAD = `__typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } }`;
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { ${PAYLOAD} } }`;
const ATTACH = `mutation($vm: ID!, $i: AttachVmInterfaceInput!) { attachVmInterface(vmId: $vm, input: $i) {
  __typename ... on VmInterfacePayload { interface { id macAddress } task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;
const DETACH = `mutation($vm: ID!, $nic: ID!) { detachVmInterface(vmId: $vm, interfaceId: $nic) { ${PAYLOAD} } }`;
const BANDWIDTH = `mutation($vm: ID!, $nic: ID!, $i: InterfaceBandwidthInput!) { setVmInterfaceBandwidth(vmId: $vm, interfaceId: $nic, input: $i) {
  __typename ... on VmInterfacePayload { task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;
const MEDIA = `mutation($vm: ID!, $image: ID) { setVmMedia(vmId: $vm, imageId: $image) { ${PAYLOAD} } }`;
const BOOT = `mutation($vm: ID!, $order: [BootDevice!]!, $once: Boolean) { setVmBoot(vmId: $vm, order: $order, once: $once) { ${PAYLOAD} } }`;
const INTERFACES = `query($id: ID!) { node(id: $id) { ... on Vm { state bootOrder bootOnce cdrom { id name }
  interfaces { id position macAddress kind network address pool guestAddresses bandwidth { inbound { average } outbound { average peak burst } } } } } }`;

describe('VM hardware on real libvirt: interfaces, bandwidth, ISO library, boot order', { timeout: 40 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let hostId: string;
  let imageId: string;
  let pool2: string;
  let dir: string;
  let bootIso: string;
  let labelledIso: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hangar-hw-'));
    const [path] = await Promise.all([networkAndImage(NET), defineNetwork(NET2)]);
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    ({ hostId, imageId } = await prepareDeploys(t, admin, NET, path));
    const pool = await t.gql(
      `mutation($input: CreateIpPoolInput!) { createIpPool(input: $input) { __typename ... on IpPool { id } ... on Error { message } } }`,
      { input: { hostId, name: NET2.name, cidr: `${NET2.subnet}.0/24`, gateway: null, dns: [], rangeStart: `${NET2.subnet}.30`, rangeEnd: `${NET2.subnet}.40` } },
      { cookie: admin },
    );
    assert.equal(pool.data.createIpPool.__typename, 'IpPool', JSON.stringify(pool));
    pool2 = pool.data.createIpPool.id;
    // A boot-sector guest that powers the machine off 1 s after it booted: proof it booted the ISO.
    const powerOff = await makePowerOffIso(join(dir, 'iso'), 1);
    bootIso = (await uploadImage(t, admin, powerOff, { name: 'power-off', kind: 'ISO' })).id;
    // An ISO with a label and a file, to find and read in the guest.
    await mkdir(join(dir, 'content'));
    await writeFile(join(dir, 'content', 'hello.txt'), 'hello from the ISO library\n');
    await run('genisoimage', ['-quiet', '-o', join(dir, 'labelled.iso'), '-V', 'HANGARISO', '-r', '-J', join(dir, 'content')]);
    labelledIso = (await uploadImage(t, admin, join(dir, 'labelled.iso'), { name: 'labelled', kind: 'ISO' })).id;
  });

  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await Promise.all([removeNetwork(NET), removeNetwork(NET2)]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function vmOf(id: string, cookie = admin) {
    return (await t.gql(INTERFACES, { id }, { cookie })).data.node;
  }

  async function done(result: any, key: string, cookie = admin): Promise<any> {
    const payload = result.data?.[key];
    assert.ok(payload?.task, JSON.stringify(result));
    const task = await waitForTask(t, cookie, payload.task.id, 5 * 60_000);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return { ...payload, task };
  }

  test('an upload that is not an ISO is refused as one and nothing is made; a real ISO is an image of kind ISO', async () => {
    const count = async () => (await t.hangar.db.selectFrom('images').select('id').execute()).length;
    const before = await count();
    await assert.rejects(uploadImage(t, admin, await testImagePath(), { name: 'not an iso', kind: 'ISO' }), /NOT_AN_IMAGE|not an ISO/);
    await writeFile(join(dir, 'fake.iso'), Buffer.alloc(64 * 1024, 0x41));
    await assert.rejects(uploadImage(t, admin, join(dir, 'fake.iso'), { name: 'fake', kind: 'ISO' }), /not an ISO/);
    assert.equal(await count(), before, 'no image row');
    const { data } = await t.gql(`{ images(filter: { kind: ISO }) { edges { node { name kind format status } } } }`, {}, { cookie: admin });
    assert.deepEqual(data.images.edges.map((e: any) => e.node).sort((a: any, b: any) => a.name.localeCompare(b.name)), [
      { name: 'labelled', kind: 'ISO', format: 'ISO', status: 'READY' },
      { name: 'power-off', kind: 'ISO', format: 'ISO', status: 'READY' },
    ]);
    // An ISO is not a disk to deploy.
    const deploy = await t.gql(CREATE, { i: { name: 'from-iso-as-disk', vcpus: 1, memoryMb: 64, diskGb: 1, imageId: bootIso } }, { cookie: admin });
    assert.equal(deploy.data.createVm.__typename, 'ValidationError', JSON.stringify(deploy));
  });

  test('a user with VM.Create makes a VM from an ISO onto a blank disk; it boots the ISO; an ISO they cannot see is not found', async () => {
    const user = await userWithRole(t, admin, 'User');
    const hidden = await t.gql(CREATE, { i: { name: 'user-install', vcpus: 1, memoryMb: 64, diskGb: 1, isoImageId: bootIso } }, { cookie: user.cookie });
    assert.equal(hidden.data.createVm.__typename, 'NotFoundError', `a private ISO of another user: ${JSON.stringify(hidden)}`);
    const shared = await t.gql(`mutation($id: ID!, $u: [ID!]) { shareImage(id: $id, visibility: SHARED, userIds: $u) { __typename } }`, { id: bootIso, u: [user.id] }, { cookie: admin });
    assert.equal(shared.data.shareImage.__typename, 'Image', JSON.stringify(shared));
    const created = await done(await t.gql(CREATE, { i: { name: 'user-install', vcpus: 1, memoryMb: 64, diskGb: 1, isoImageId: bootIso } }, { cookie: user.cookie }), 'createVm', user.cookie);
    const id = rawId(created.vm.id);
    const xml = await virsh('dumpxml', id);
    assert.match(xml, /<boot dev='cdrom'\/>\s*<boot dev='hd'\/>/);
    // The guest on the ISO powers the machine off by itself.
    await waitFor('the ISO guest to power off', async () => (await domState(id)) === 'shut off', 120_000, 500);
    const vm = await vmOf(created.vm.id, user.cookie);
    assert.equal(vm.cdrom.id, bootIso);
    assert.deepEqual(vm.bootOrder, ['CDROM', 'DISK']);
    // The labelled ISO stays private to the admin: the user cannot put it into their VM, and nothing changes.
    const refused = await t.gql(MEDIA, { vm: created.vm.id, image: labelledIso }, { cookie: user.cookie });
    assert.equal(refused.data.setVmMedia.__typename, 'NotFoundError', JSON.stringify(refused));
    assert.equal((await vmOf(created.vm.id, user.cookie)).cdrom.id, bootIso);
  });

  test('boot once from the ISO: the next start boots the ISO, the one after the disk', { timeout: 10 * 60_000 }, async () => {
    const created = await done(await t.gql(CREATE, { i: { name: 'rescue', vcpus: 1, memoryMb: 64, diskGb: 1, start: false } }, { cookie: admin }), 'createVm');
    const vmId = created.vm.id;
    const id = rawId(vmId);
    assert.match(await virsh('dumpxml', id), /<disk type='file' device='cdrom'>[\s\S]*?<target dev='sda' bus='sata'\/>/, 'an empty CD-ROM drive');
    // Boot once needs a medium.
    const empty = await t.gql(BOOT, { vm: vmId, order: ['DISK'], once: true }, { cookie: admin });
    assert.equal(empty.data.setVmBoot.__typename, 'ValidationError', JSON.stringify(empty));
    await done(await t.gql(MEDIA, { vm: vmId, image: bootIso }, { cookie: admin }), 'setVmMedia');
    await done(await t.gql(BOOT, { vm: vmId, order: ['DISK'], once: true }, { cookie: admin }), 'setVmBoot');
    assert.equal((await vmOf(vmId)).bootOnce, true);
    const start = async () => done(await t.gql(`mutation($id: ID!) { startVm(id: $id) { ${PAYLOAD} } }`, { id: vmId }, { cookie: admin }), 'startVm');
    await start();
    await waitFor('the ISO guest to power off', async () => (await domState(id)) === 'shut off', 120_000, 500);
    assert.equal((await vmOf(vmId)).bootOnce, false);
    await waitFor('the VM to show stopped', async () => (await vmOf(vmId)).state === 'STOPPED', 60_000, 500);
    // The disk (blank) now: nothing powers it off.
    await start();
    assert.match(await virsh('dumpxml', id), /<os>[\s\S]*?<boot dev='hd'\/>\s*<\/os>/);
    await new Promise((r) => setTimeout(r, 10_000));
    assert.equal(await domState(id), 'running', 'it booted the disk, not the ISO');
    await virsh('destroy', id);
  });

  test('bad input changes nothing: an unknown network, an unknown or foreign pool, a bad limit', async () => {
    const created = await done(await t.gql(CREATE, { i: { name: 'bad-input', vcpus: 1, memoryMb: 64, diskGb: 1, start: false } }, { cookie: admin }), 'createVm');
    const vmId = created.vm.id;
    const before = await vmOf(vmId);
    const tasks = async () => (await t.hangar.db.selectFrom('tasks').select('id').where('vm_id', '=', rawId(vmId)).execute()).length;
    const taskCount = await tasks();
    const unknownNet = await t.gql(ATTACH, { vm: vmId, i: { network: 'no-such-net' } }, { cookie: admin });
    assert.equal(unknownNet.data.attachVmInterface.__typename, 'ValidationError', JSON.stringify(unknownNet));
    assert.match(unknownNet.data.attachVmInterface.message, /no network no-such-net/);
    const poolId = Buffer.from('IpPool:00000000-0000-4000-8000-000000000009').toString('base64');
    const unknownPool = await t.gql(ATTACH, { vm: vmId, i: { network: NET2.name, ipPoolId: poolId } }, { cookie: admin });
    assert.equal(unknownPool.data.attachVmInterface.__typename, 'ValidationError', JSON.stringify(unknownPool));
    assert.deepEqual(unknownPool.data.attachVmInterface.fieldErrors.map((f: any) => f.path.join('.')), ['ipPoolId']);
    const both = await t.gql(ATTACH, { vm: vmId, i: { network: NET2.name, bridge: 'br0' } }, { cookie: admin });
    assert.equal(both.data.attachVmInterface.__typename, 'ValidationError');
    const nic = before.interfaces[0].id;
    const badLimit = await t.gql(BANDWIDTH, { vm: vmId, nic, i: { outbound: { average: 1000, peak: 10 } } }, { cookie: admin });
    assert.equal(badLimit.data.setVmInterfaceBandwidth.__typename, 'ValidationError', JSON.stringify(badLimit));
    const notIso = await t.gql(MEDIA, { vm: vmId, image: imageId }, { cookie: admin });
    assert.equal(notIso.data.setVmMedia.__typename, 'ValidationError', JSON.stringify(notIso));
    assert.deepEqual(await vmOf(vmId), before);
    assert.equal(await tasks(), taskCount, 'no task queued');
    // Refusals are audited against the VM, like every mutation.
    const audited = await t.hangar.db.selectFrom('audit_log').select(['action', 'result']).where('target_id', '=', rawId(vmId)).where('action', 'in', ['attachVmInterface', 'setVmMedia', 'setVmInterfaceBandwidth']).execute();
    assert.ok(audited.length >= 4 && audited.every((a) => a.result !== 'ok'), JSON.stringify(audited));
    assert.equal((await t.hangar.db.selectFrom('ip_allocations').select('address').where('vm_id', '=', rawId(vmId)).execute()).length, 0);
  });
});
