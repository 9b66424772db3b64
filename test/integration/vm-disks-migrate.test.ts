// A VM's attached disks move with it to the second host of scripts/test-host: cold (a stopped VM,
// each disk flattened and copied) and live (a running firmware-only guest, every disk copied by
// libvirt's --copy-storage-all into volumes made there), each disk's target and I/O limits kept.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { LOCAL_URI, rawId, removeLeftoverVms, virsh, waitForTask } from '../support/libvirt.ts';
import { holdSecondHost, SECOND_HOST, startSecondHost, virsh2 } from '../support/second-host.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;
const ATTACH = `mutation($vm: ID!, $i: AttachDiskInput!) { attachDisk(vmId: $vm, input: $i) { __typename ... on VmDiskTaskPayload { disk { volume target } task { id } } ... on Error { message } } }`;
const MIGRATE = `mutation($id: ID!, $input: MigrateVmInput) { migrateVm(id: $id, input: $input) { __typename ... on MigrateVmPayload { task { id } } ... on Error { message } } }`;

describe('attached disks move with their VM between two real hosts', { timeout: 15 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let local: string;
  let hv2: string;
  let release: (() => void) | undefined;

  before(async () => {
    release = await holdSecondHost('shared');
    await startSecondHost();
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2', HANGAR_LOCAL_NETWORK: 'none' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    local = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
    const set = await t.gql(`mutation($id: ID!, $input: UpdateHostInput!) { updateHost(id: $id, input: $input) { __typename ... on Error { message } } }`, { id: local, input: { settings: { migrationAddress: SECOND_HOST.localAddress } } }, { cookie: admin });
    assert.equal(set.data.updateHost.__typename, 'Host', JSON.stringify(set));
    const added = await t.gql(`mutation($input: AddHostInput!) { addHost(input: $input) { __typename ... on Host { id } ... on Error { message } } }`, { input: { name: 'hv2', uri: SECOND_HOST.uri, settings: { vncListen: SECOND_HOST.address } } }, { cookie: admin });
    assert.equal(added.data.addHost.__typename, 'Host', JSON.stringify(added));
    hv2 = added.data.addHost.id;
  });

  after(async () => {
    if (t) {
      const vms = await t.hangar.db.selectFrom('vms').select('id').where('deleted_at', 'is', null).execute();
      const onHv2 = await volumes(SECOND_HOST.uri).catch(() => [] as string[]);
      for (const { id } of vms) {
        await virsh2('destroy', id).catch(() => {});
        await virsh2('undefine', id, '--nvram').catch(() => {});
        for (const name of onHv2.filter((n) => n.startsWith(id))) await virsh2('vol-delete', '--pool', 'hangar-disks', name).catch(() => {});
      }
      await removeLeftoverVms(t);
    }
    await t?.stop();
    release?.();
  });

  const volumes = async (uri: string) => {
    const out = uri === LOCAL_URI ? await virsh('vol-list', '--pool', 'hangar-disks') : await virsh2('vol-list', '--pool', 'hangar-disks');
    return out.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((n) => n && n !== 'Name' && !n.startsWith('-'));
  };

  async function vmWithDisk(name: string, start: boolean): Promise<{ vmId: string; id: string; volume: string }> {
    const created = await t.gql(CREATE, { i: { name, vcpus: 1, memoryMb: 128, diskGb: 1, hostId: local, start } }, { cookie: admin });
    assert.equal(created.data.createVm.__typename, 'VmTaskPayload', JSON.stringify(created));
    assert.equal((await waitForTask(t, admin, created.data.createVm.task.id)).status, 'SUCCEEDED');
    const vmId = created.data.createVm.vm.id;
    const attached = await t.gql(ATTACH, { vm: vmId, i: { sizeGiB: 1, ioLimits: { writeIopsSec: 200 } } }, { cookie: admin });
    assert.equal(attached.data.attachDisk.__typename, 'VmDiskTaskPayload', JSON.stringify(attached));
    const task = await waitForTask(t, admin, attached.data.attachDisk.task.id);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return { vmId, id: rawId(vmId), volume: attached.data.attachDisk.disk.volume };
  }

  async function migrate(vmId: string): Promise<any> {
    const queued = await t.gql(MIGRATE, { id: vmId, input: { targetHostId: hv2 } }, { cookie: admin });
    assert.equal(queued.data.migrateVm.__typename, 'MigrateVmPayload', JSON.stringify(queued));
    return waitForTask(t, admin, queued.data.migrateVm.task.id, 5 * 60_000);
  }

  async function assertMovedWithDisk(id: string, volume: string): Promise<void> {
    assert.ok((await volumes(SECOND_HOST.uri)).includes(volume), 'the attached disk\u2019s volume is on hv2');
    assert.ok(!(await volumes(LOCAL_URI)).some((n) => n.startsWith(id)), 'nothing of the VM left here');
    const xml = await virsh2('dumpxml', '--inactive', id);
    assert.match(xml, new RegExp(`<source file='[^']*/${volume}'/>[\\s\\S]*<target dev='vdb' bus='virtio'/>[\\s\\S]*<write_iops_sec>200</write_iops_sec>`));
  }

  test('a stopped VM moves cold with its attached disk and the disk\u2019s limits', async () => {
    const { vmId, id, volume } = await vmWithDisk('cold-disks', false);
    const task = await migrate(vmId);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.equal((await virsh2('domstate', id)).trim(), 'shut off');
    await assertMovedWithDisk(id, volume);
  });

  test('a running VM moves live with its attached disk copied', async () => {
    const { vmId, id, volume } = await vmWithDisk('live-disks', true);
    assert.match(await virsh('domblklist', id), /vdb/);
    const task = await migrate(vmId);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.equal((await virsh2('domstate', id)).trim(), 'running');
    assert.match(await virsh2('domblklist', id), new RegExp(`vdb\\s+\\S*${volume}`));
    await assertMovedWithDisk(id, volume);
  });
});
