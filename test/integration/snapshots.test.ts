// VM snapshots on a real libvirtd with a real TCG Debian guest, checked inside the guest through its
// agent and in libvirt through virsh: data written, snapshot, changed, reverted → the first data is
// back; a snapshot deleted in the running VM; a stopped VM's disk-only snapshot; the per-VM quota;
// typed errors for bad input; another user neither sees nor touches the snapshots; deleting the VM
// with snapshots leaves nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { agentAnswers, guestSh } from '../support/guest.ts';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { networkAndImage, prepareDeploys, removeNetwork } from '../support/deploy.ts';
import { domState, rawId, removeLeftoverVms, virsh, volumeExists, waitFor, waitForTask } from '../support/libvirt.ts';

const NET = { name: 'hangar-snap', bridge: 'virbr-snap', subnet: '10.231.20' };
const TASK_TIMEOUT_MS = 10 * 60_000;
const MARKER = '/var/tmp/hangar-snapshot-marker';

const SNAPSHOT_FIELDS = 'id name description status isCurrent includesMemory quiesced sizeBytes createdAt createdBy { id } parent { id name }';
const PAYLOAD = `__typename ... on VmSnapshotTaskPayload { snapshot { id name } vm { id } task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } }`;
// createSnapshot's result union also holds QuotaExceededError.
const CREATE = `mutation($vmId: ID!, $input: CreateSnapshotInput!) { createSnapshot(vmId: $vmId, input: $input) { ${PAYLOAD} ... on QuotaExceededError { resource } } }`;
const REVERT = `mutation($id: ID!) { revertToSnapshot(id: $id) { ${PAYLOAD} } }`;
const DELETE = `mutation($id: ID!) { deleteSnapshot(id: $id) { ${PAYLOAD} } }`;

describe('VM snapshots on real libvirt', { timeout: 60 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let owner: { id: string; cookie: string };
  let stranger: { id: string; cookie: string };
  let imageId: string;
  let vmId: string;
  let id: string;
  let first: string;

  before(async () => {
    const path = await networkAndImage(NET);
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    ({ imageId } = await prepareDeploys(t, admin, NET, path));
    owner = await userWithRole(t, admin, 'User');
    stranger = await userWithRole(t, admin, 'User');
    // The image is the admin's: shared with everyone, so the owner may deploy it.
    const shared = await t.gql(`mutation($id: ID!) { shareImage(id: $id, visibility: PUBLIC) { __typename ... on Error { message } } }`, { id: imageId }, { cookie: admin });
    assert.equal(shared.data?.shareImage?.__typename, 'Image', JSON.stringify(shared));
  });

  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await removeNetwork(NET);
  });

  /** Runs a snapshot mutation that must be accepted and waits for its task; returns the task and payload. */
  async function run(mutation: string, variables: Record<string, unknown>, cookie = owner.cookie): Promise<{ task: any; payload: any }> {
    const result = await t.gql(mutation, variables, { cookie });
    const payload = Object.values(result.data ?? {})[0] as any;
    assert.equal(payload?.__typename, 'VmSnapshotTaskPayload', JSON.stringify(result));
    const task = await waitForTask(t, cookie, payload.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return { task, payload };
  }

  const snapshotsOf = async (cookie = owner.cookie): Promise<any[] | null> => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { snapshots { ${SNAPSHOT_FIELDS} } } } }`, { id: vmId }, { cookie })).data?.node?.snapshots ?? null;
  const libvirtSnapshots = async () => (await virsh('snapshot-list', id, '--name')).split('\n').map((l) => l.trim()).filter(Boolean).sort();
  const rawSnapshotId = (globalId: string) => rawId(globalId);

  test('deploys a Debian VM for the owner', { timeout: 30 * 60_000 }, async () => {
    const created = await t.gql(
      `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`,
      { i: { name: 'snap one', vcpus: 1, memoryMb: 768, diskGb: 4, imageId, guest: { hostname: 'snap-one', username: 'tester', password: 'first-Secret-42' } } },
      { cookie: owner.cookie },
    );
    assert.equal(created.data?.createVm?.__typename, 'VmTaskPayload', JSON.stringify(created));
    vmId = created.data.createVm.vm.id;
    id = rawId(vmId);
    // A TCG guest on a loaded machine may take many minutes to reach its agent.
    const task = await waitForTask(t, owner.cookie, created.data.createVm.task.id, 25 * 60_000);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    await waitFor('the guest agent', () => agentAnswers(id), 10 * 60_000, 1000);
  });

  test('bad input is refused with typed errors and changes nothing', async () => {
    const empty = await t.gql(CREATE, { vmId, input: { name: '   ' } }, { cookie: owner.cookie });
    assert.equal(empty.data.createSnapshot.__typename, 'ValidationError', JSON.stringify(empty));
    assert.deepEqual(empty.data.createSnapshot.fieldErrors[0].path, ['name']);
    const noMemory = await t.gql(CREATE, { vmId, input: { name: 'disk only', includeMemory: false } }, { cookie: owner.cookie });
    assert.equal(noMemory.data.createSnapshot.__typename, 'ValidationError');
    assert.deepEqual(noMemory.data.createSnapshot.fieldErrors[0].path, ['includeMemory']);
    const unknown = Buffer.from('VmSnapshot:00000000-0000-4000-8000-00000000abcd').toString('base64');
    for (const mutation of [REVERT, DELETE]) {
      const result = await t.gql(mutation, { id: unknown }, { cookie: owner.cookie });
      assert.equal((Object.values(result.data)[0] as any).__typename, 'NotFoundError', JSON.stringify(result));
    }
    const wrongKind = await t.gql(REVERT, { id: vmId }, { cookie: owner.cookie });
    assert.equal(wrongKind.data.revertToSnapshot.__typename, 'ValidationError');
    assert.deepEqual(await snapshotsOf(), []);
    assert.deepEqual(await libvirtSnapshots(), []);
  });

  test('data written, snapshot of the running VM (quiesced, with memory), data changed, reverted: the first data is back', { timeout: 15 * 60_000 }, async () => {
    await guestSh(id, `echo first > ${MARKER} && sync`);
    const { task, payload } = await run(CREATE, { vmId, input: { name: 'before change', description: 'the first data' } });
    first = payload.snapshot.id;
    assert.deepEqual(
      task.steps.map((s: any) => [s.name, s.state]),
      [
        ['Freeze the file systems', 'DONE'],
        ['Take the snapshot', 'DONE'],
        ['Thaw the file systems', 'DONE'],
        ['Record the snapshot', 'DONE'],
      ],
    );
    const [snapshot] = (await snapshotsOf())!;
    assert.equal(snapshot.name, 'before change');
    assert.equal(snapshot.description, 'the first data');
    assert.equal(snapshot.status, 'READY');
    assert.equal(snapshot.includesMemory, true);
    assert.equal(snapshot.quiesced, true);
    assert.equal(snapshot.isCurrent, true);
    assert.equal(snapshot.parent, null);
    assert.equal(snapshot.createdBy.id, owner.id);
    assert.ok(snapshot.sizeBytes > 0, `the memory state takes room in the disk file (${snapshot.sizeBytes})`);
    // libvirt has it, by its id, with memory, taken of a running domain; the guest is thawed.
    assert.deepEqual(await libvirtSnapshots(), [rawSnapshotId(first)]);
    const info = await virsh('snapshot-dumpxml', id, rawSnapshotId(first));
    assert.match(info, /<state>running<\/state>/);
    assert.match(info, /<memory snapshot='internal'\/>/);
    assert.equal(await guestSh(id, `echo thawed > /var/tmp/after-snapshot && cat /var/tmp/after-snapshot`, 60_000), 'thawed');

    await guestSh(id, `echo second > ${MARKER} && sync`);
    assert.equal(await guestSh(id, `cat ${MARKER}`), 'second');
    const reverted = await run(REVERT, { id: first });
    assert.deepEqual(
      reverted.task.steps.map((s: any) => [s.name, s.state]),
      [
        ['Revert the VM', 'DONE'],
        ['Thaw the file systems', 'DONE'],
        ['Record the current snapshot', 'DONE'],
      ],
    );
    assert.equal(await domState(id), 'running');
    assert.equal(await guestSh(id, `cat ${MARKER}`, 120_000), 'first');
    // Writable again: the freeze the memory state carried was thawed.
    assert.equal(await guestSh(id, `echo again > ${MARKER}.2 && cat ${MARKER}.2`, 60_000), 'again');
    const vm = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { state } } }`, { id: vmId }, { cookie: owner.cookie })).data.node;
    assert.equal(vm.state, 'RUNNING');
  });

  test('a duplicate name is refused; the quota of snapshots per VM is kept, and a refused one leaves nothing', { timeout: 10 * 60_000 }, async () => {
    const duplicate = await t.gql(CREATE, { vmId, input: { name: 'before change' } }, { cookie: owner.cookie });
    assert.equal(duplicate.data.createSnapshot.__typename, 'ValidationError', JSON.stringify(duplicate));
    assert.deepEqual(duplicate.data.createSnapshot.fieldErrors[0].path, ['name']);

    const quota = await t.gql(`mutation($u: ID!) { setQuota(userId: $u, input: { maxSnapshotsPerVm: 2 }) { __typename ... on Quota { maxSnapshotsPerVm } } }`, { u: owner.id }, { cookie: admin });
    assert.equal(quota.data.setQuota.maxSnapshotsPerVm, 2, JSON.stringify(quota));
    const second = await run(CREATE, { vmId, input: { name: 'second' } });
    const tasksBefore = await t.hangar.db.selectFrom('tasks').select('id').where('vm_id', '=', id).execute();
    const over = await t.gql(CREATE, { vmId, input: { name: 'third' } }, { cookie: owner.cookie });
    assert.equal(over.data.createSnapshot.__typename, 'QuotaExceededError', JSON.stringify(over));
    assert.equal(over.data.createSnapshot.resource, 'snapshots');
    assert.match(over.data.createSnapshot.message, /2 of 2/);
    assert.equal((await t.hangar.db.selectFrom('tasks').select('id').where('vm_id', '=', id).execute()).length, tasksBefore.length, 'no task queued');
    const list = (await snapshotsOf())!;
    assert.deepEqual(list.map((s) => s.name), ['before change', 'second']);
    // The second hangs from the one the VM was reverted to, and is current now.
    assert.equal(list[1].parent.id, first);
    assert.deepEqual(list.map((s) => s.isCurrent), [false, true]);
    assert.deepEqual(await libvirtSnapshots(), [rawSnapshotId(first), rawSnapshotId(second.payload.snapshot.id)].sort());
  });

  test('another user neither sees the snapshots nor acts on them', async () => {
    assert.equal(await snapshotsOf(stranger.cookie), null);
    const node = await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: first }, { cookie: stranger.cookie });
    assert.equal(node.data?.node ?? null, null);
    for (const [mutation, variables] of [
      [REVERT, { id: first }],
      [DELETE, { id: first }],
      [CREATE, { vmId, input: { name: 'theirs' } }],
    ] as const) {
      const result = await t.gql(mutation, variables, { cookie: stranger.cookie });
      assert.equal((Object.values(result.data)[0] as any).__typename, 'NotFoundError', JSON.stringify(result));
    }
    assert.equal((await snapshotsOf())!.length, 2);
    assert.equal((await libvirtSnapshots()).length, 2);
  });

  test('a snapshot is deleted in the running VM; its parent becomes current', { timeout: 10 * 60_000 }, async () => {
    const [, second] = (await snapshotsOf())!;
    const { task } = await run(DELETE, { id: second.id });
    assert.deepEqual(task.steps.map((s: any) => s.state), ['DONE', 'DONE']);
    assert.equal(await domState(id), 'running');
    assert.deepEqual(await libvirtSnapshots(), [rawSnapshotId(first)]);
    const list = (await snapshotsOf())!;
    assert.deepEqual(list.map((s) => [s.name, s.isCurrent]), [['before change', true]]);
    assert.ok(await agentAnswers(id), 'the guest runs on');
  });

  test('a stopped VM takes a disk-only snapshot, not quiesced, and reverts to the running one', { timeout: 15 * 60_000 }, async () => {
    const stop = await t.gql(`mutation($id: ID!) { stopVm(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vmId }, { cookie: owner.cookie });
    assert.equal((await waitForTask(t, owner.cookie, stop.data.stopVm.task.id, TASK_TIMEOUT_MS)).status, 'SUCCEEDED');
    assert.equal(await domState(id), 'shut off');
    const withMemory = await t.gql(CREATE, { vmId, input: { name: 'off', includeMemory: true } }, { cookie: owner.cookie });
    assert.equal(withMemory.data.createSnapshot.__typename, 'ValidationError');
    const { task, payload } = await run(CREATE, { vmId, input: { name: 'off' } });
    assert.deepEqual(task.steps.map((s: any) => s.state), ['SKIPPED', 'DONE', 'SKIPPED', 'DONE']);
    const off = (await snapshotsOf())!.find((s) => s.id === payload.snapshot.id);
    assert.equal(off.includesMemory, false);
    assert.equal(off.quiesced, false);
    assert.equal(off.parent.id, first);
    assert.match(await virsh('snapshot-dumpxml', id, rawSnapshotId(off.id)), /<state>shutoff<\/state>/);
    assert.equal(await domState(id), 'shut off');
    // Back to the running snapshot: the VM runs with the first data.
    await run(REVERT, { id: first });
    assert.equal(await domState(id), 'running');
    await waitFor('the guest agent', () => agentAnswers(id), 5 * 60_000, 1000);
    assert.equal(await guestSh(id, `cat ${MARKER}`, 120_000), 'first');
  });

  test('deleting the VM with its snapshots leaves nothing in libvirt', { timeout: 10 * 60_000 }, async () => {
    const deleted = await t.gql(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vmId }, { cookie: owner.cookie });
    const task = await waitForTask(t, owner.cookie, deleted.data.deleteVm.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.equal(await domState(id), null);
    assert.equal(await volumeExists('hangar-disks', `${id}.qcow2`), false);
  });
});
