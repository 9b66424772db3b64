// Cloning a VM on real libvirt: a running Debian guest copied consistently (frozen through its
// agent, paused only for its own layer) into a new VM that boots with the source's data and its
// own identity (hostname, address, MAC, machine-id, SSH host keys); a full copy that depends on
// no cached image; a copy to a second real host; and refusals that change nothing.
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { agentAnswers, guestSh } from '../support/guest.ts';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { networkAndImage, prepareDeploys, removeNetwork } from '../support/deploy.ts';
import { domState, rawId, removeLeftoverVms, virsh, waitFor, waitForTask } from '../support/libvirt.ts';
import { holdSecondHost, SECOND_HOST, startSecondHost, virsh2 } from '../support/second-host.ts';

const NET = { name: 'hangar-clone', bridge: 'virbr-clone', subnet: '10.231.29' };
const TASK_TIMEOUT_MS = 12 * 60_000;
const PAYLOAD = `__typename ... on VmTaskPayload { vm { id name state } task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } ... on QuotaExceededError { resource }`;
const CLONE = `mutation($id: ID!, $input: CloneVmInput!) { cloneVm(id: $id, input: $input) { ${PAYLOAD} } }`;
const STEPS_OF = (task: any) => task.steps.map((s: any) => [s.name, s.state]);

describe('cloneVm on real libvirt', { timeout: 40 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let hostId: string;
  let imageId: string;
  let sourceId = '';
  let source = '';
  let release: (() => void) | undefined;
  let hv2 = '';
  /** Step holds (jobs/step-hold.ts): the cancel test stops a clone between two of its steps. */
  let holds = '';

  before(async () => {
    release = await holdSecondHost('shared');
    await startSecondHost();
    const path = await networkAndImage(NET);
    holds = await mkdtemp(join(tmpdir(), 'hangar-clone-holds-'));
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2', HANGAR_TEST_STEP_HOLD_DIR: holds }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    ({ hostId, imageId } = await prepareDeploys(t, admin, NET, path));
  });

  after(async () => {
    if (t) {
      const vms = await t.hangar.db.selectFrom('vms').select('id').execute();
      const onHv2 = (await virsh2('vol-list', '--pool', 'hangar-disks').catch(() => '')).split('\n').map((l) => l.trim().split(/\s+/)[0]);
      for (const { id } of vms) {
        await virsh2('destroy', id).catch(() => {});
        await virsh2('undefine', id).catch(() => {});
        for (const name of onHv2.filter((n) => n.startsWith(id))) await virsh2('vol-delete', '--pool', 'hangar-disks', name).catch(() => {});
      }
      await removeLeftoverVms(t);
    }
    await t?.stop();
    await removeNetwork(NET);
    if (holds) await rm(holds, { recursive: true, force: true });
    release?.();
  });

  const vmNow = async (id: string, cookie = admin) => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { id name state ipAddress macAddress host { name } guest { hostname } } } }`, { id }, { cookie })).data.node;
  const vmCount = async () => Number((await t.hangar.db.selectFrom('vms').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  const volumes = async () => (await virsh('vol-list', '--pool', 'hangar-disks')).split('\n').map((l) => l.trim().split(/\s+/)[0]);

  async function clone(id: string, input: Record<string, unknown>, cookie = admin): Promise<{ vmId: string; task: any }> {
    const result = await t.gql(CLONE, { id, input }, { cookie });
    assert.equal(result.data?.cloneVm?.__typename, 'VmTaskPayload', JSON.stringify(result));
    const task = await waitForTask(t, cookie, result.data.cloneVm.task.id, TASK_TIMEOUT_MS);
    return { vmId: result.data.cloneVm.vm.id, task };
  }

  async function settled(id: string): Promise<void> {
    await waitFor('the guest agent', () => agentAnswers(id, undefined, 30), 10 * 60_000, 1000);
    assert.match(await guestSh(id, 'cloud-init status --wait >/dev/null 2>&1; cloud-init status', 300_000), /status: done/);
  }

  test('a deployed source VM holds data of its own', { timeout: 20 * 60_000 }, async () => {
    const created = await t.gql(`mutation($i: CreateVmInput!) { createVm(input: $i) { ${PAYLOAD} } }`, { i: { name: 'clone source', vcpus: 1, memoryMb: 768, diskGb: 4, imageId, guest: { hostname: 'clone-source', username: 'tester', password: 'first-Secret-42' } } }, { cookie: admin });
    assert.equal(created.data.createVm.__typename, 'VmTaskPayload', JSON.stringify(created));
    sourceId = created.data.createVm.vm.id;
    source = rawId(sourceId);
    const task = await waitForTask(t, admin, created.data.createVm.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    await settled(source);
    // Written but not synced by hand: the freeze must flush it.
    await guestSh(source, 'echo "written before the clone" > /root/marker');
  });

  test('a running VM is cloned consistently into a new VM with the same data and its own identity', { timeout: 25 * 60_000 }, async () => {
    const before = { machineId: await guestSh(source, 'cat /etc/machine-id'), hostKey: await guestSh(source, 'cat /etc/ssh/ssh_host_ed25519_key.pub | cut -d" " -f2') };
    const { vmId, task } = await clone(sourceId, { name: 'clone one' });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.deepEqual(STEPS_OF(task), [
      ['Copy the disk', 'DONE'],
      ['Flatten the disk', 'SKIPPED'],
      ['Send it to the new host', 'SKIPPED'],
      ['Write the cloud-init seed', 'DONE'],
      ['Define and start the domain', 'DONE'],
      ['Wait for the guest agent', 'DONE'],
    ]);
    assert.ok(task.log.some((l: any) => /froze its file systems/.test(l.line)), JSON.stringify(task.log));
    // The source ran on and still answers.
    assert.equal(await domState(source), 'running');
    assert.ok(await agentAnswers(source, undefined, 30));
    const id = rawId(vmId);
    await settled(id);
    const [src, copy] = [await vmNow(sourceId), await vmNow(vmId)];
    assert.equal(copy.state, 'RUNNING');
    assert.equal(copy.guest.hostname, 'clone-one');
    assert.notEqual(copy.macAddress, src.macAddress);
    assert.equal(src.ipAddress, `${NET.subnet}.10`);
    assert.equal(copy.ipAddress, `${NET.subnet}.11`);
    // In the guest: the data, and a new identity.
    assert.equal(await guestSh(id, 'cat /root/marker'), 'written before the clone');
    assert.equal(await guestSh(id, 'hostname'), 'clone-one');
    assert.match(await guestSh(id, 'ip -4 -o addr show'), new RegExp(`${NET.subnet.replaceAll('.', '\\.')}\\.11/24`));
    assert.equal((await guestSh(id, `cat /sys/class/net/$(ip -o link | awk -F': ' '$2 != "lo" {print $2; exit}')/address`)).toLowerCase(), copy.macAddress.toLowerCase());
    const machineId = await guestSh(id, 'cat /etc/machine-id');
    assert.match(machineId, /^[0-9a-f]{32}$/);
    assert.notEqual(machineId, before.machineId);
    assert.notEqual(await guestSh(id, 'cat /etc/ssh/ssh_host_ed25519_key.pub | cut -d" " -f2'), before.hostKey);
    // An overlay on the same cached image as the source, not on the source's disk.
    const xml = await virsh('vol-dumpxml', '--pool', 'hangar-disks', `${id}.qcow2`);
    const backing = /<backingStore>\s*<path>([^<]+)<\/path>/.exec(xml)?.[1];
    assert.ok(backing && /\/image-[0-9a-f]+\.qcow2$/.test(backing), xml);
    assert.equal(await guestSh(source, 'cat /etc/machine-id'), before.machineId, 'the source keeps its identity');
  });

  test('a full clone, not started, copies every disk, depends on no other file and leaves no working copy behind', { timeout: 15 * 60_000 }, async () => {
    // The source gets a second disk (hot-plugged), with data of its own.
    const attached = await t.gql(`mutation($id: ID!) { attachDisk(vmId: $id, input: { sizeGiB: 1 }) { __typename ... on VmDiskTaskPayload { task { id } } ... on Error { message } } }`, { id: sourceId }, { cookie: admin });
    assert.equal(attached.data.attachDisk.__typename, 'VmDiskTaskPayload', JSON.stringify(attached));
    assert.equal((await waitForTask(t, admin, attached.data.attachDisk.task.id, TASK_TIMEOUT_MS)).status, 'SUCCEEDED');
    const { vmId, task } = await clone(sourceId, { name: 'clone full', full: true, start: false });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.deepEqual(STEPS_OF(task).map(([, s]: string[]) => s), ['DONE', 'DONE', 'SKIPPED', 'DONE', 'DONE', 'SKIPPED']);
    const id = rawId(vmId);
    assert.equal(await domState(id), 'shut off');
    const xml = await virsh('vol-dumpxml', '--pool', 'hangar-disks', `${id}.qcow2`);
    assert.doesNotMatch(xml, /<backingStore>\s*<path>/, 'a full copy has no backing file');
    const copied = (await volumes()).filter((n) => n.startsWith(id)).sort();
    assert.equal(copied.length, 3, JSON.stringify(copied));
    assert.deepEqual(copied.filter((n) => !n.includes('-disk-')), [`${id}-seed.iso`, `${id}.qcow2`]);
    const disks = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { disks { target sizeGb } } } }`, { id: vmId }, { cookie: admin })).data.node.disks;
    assert.deepEqual(disks.map((d: any) => [d.target, d.sizeGb]), [['vda', 4], ['vdb', 1]]);
    assert.match(await virsh('dumpxml', '--inactive', id), /<target dev='vdb' bus='virtio'\/>/);
    assert.equal((await vmNow(vmId)).state, 'STOPPED');
  });

  test('a clone to another real host is flattened, sent there and defined; nothing is left on the source host', { timeout: 15 * 60_000 }, async () => {
    const added = await t.gql(`mutation($input: AddHostInput!) { addHost(input: $input) { __typename ... on Host { id } ... on Error { message } } }`, { input: { name: 'hv2', uri: SECOND_HOST.uri, settings: { vncListen: SECOND_HOST.address } } }, { cookie: admin });
    assert.equal(added.data.addHost.__typename, 'Host', JSON.stringify(added));
    hv2 = added.data.addHost.id;
    const { vmId, task } = await clone(sourceId, { name: 'clone far', hostId: hv2, start: false });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.deepEqual(STEPS_OF(task).map(([, s]: string[]) => s), ['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'SKIPPED']);
    const id = rawId(vmId);
    assert.equal((await vmNow(vmId)).host.name, 'hv2');
    assert.equal((await virsh2('domstate', id)).trim(), 'shut off');
    const xml = await virsh2('vol-dumpxml', '--pool', 'hangar-disks', `${id}.qcow2`);
    assert.doesNotMatch(xml, /<backingStore>\s*<path>/);
    assert.match(xml, /<capacity unit='bytes'>4294967296<\/capacity>/);
    assert.deepEqual((await volumes()).filter((n) => n.startsWith(id)), [], 'no working copy left on the source host');
    await assert.rejects(virsh('domstate', id), 'no domain of the clone on the source host');
  });

  test('refusals are typed and make nothing: seeing is not acting, quota, a host chosen by a user, bad names', { timeout: 5 * 60_000 }, async () => {
    // A source of its own (a blank VM, not started): this test does not need a guest.
    const made = await t.gql(`mutation($i: CreateVmInput!) { createVm(input: $i) { ${PAYLOAD} } }`, { i: { name: 'refusal source', vcpus: 1, memoryMb: 64, diskGb: 1, start: false } }, { cookie: admin });
    assert.equal(made.data.createVm.__typename, 'VmTaskPayload', JSON.stringify(made));
    assert.equal((await waitForTask(t, admin, made.data.createVm.task.id)).status, 'SUCCEEDED');
    const sourceId = made.data.createVm.vm.id;
    const count = await vmCount();
    const role = await t.gql('mutation { createRole(input: { name: "Cloners", privileges: [VM_Create, VM_ViewAll] }) { __typename ... on Role { id } } }', {}, { cookie: admin });
    assert.equal(role.data.createRole.__typename, 'Role');
    const viewer = await userWithRole(t, admin, 'Cloners');
    const seen = await t.gql(CLONE, { id: sourceId, input: { name: 'not mine' } }, { cookie: viewer.cookie });
    assert.equal(seen.data.cloneVm.__typename, 'PermissionError', JSON.stringify(seen));
    const user = await userWithRole(t, admin, 'User');
    const hidden = await t.gql(CLONE, { id: sourceId, input: { name: 'not mine' } }, { cookie: user.cookie });
    assert.equal(hidden.data.cloneVm.__typename, 'NotFoundError', JSON.stringify(hidden));
    await t.gql('mutation($id: ID!) { setQuota(userId: $id, input: { maxVms: 1 }) { __typename } }', { id: (await t.gql('{ me { id } }', {}, { cookie: admin })).data.me.id }, { cookie: admin });
    const over = await t.gql(CLONE, { id: sourceId, input: { name: 'one too many' } }, { cookie: admin });
    assert.equal(over.data.cloneVm.__typename, 'QuotaExceededError', JSON.stringify(over));
    await t.gql('mutation($id: ID!) { setQuota(userId: $id, input: { maxVms: 100 }) { __typename } }', { id: (await t.gql('{ me { id } }', {}, { cookie: admin })).data.me.id }, { cookie: admin });
    const blank = await t.gql(CLONE, { id: sourceId, input: { name: '  ' } }, { cookie: admin });
    assert.equal(blank.data.cloneVm.__typename, 'ValidationError', JSON.stringify(blank));
    const own = await t.gql(`mutation($i: CreateVmInput!) { createVm(input: $i) { ${PAYLOAD} } }`, { i: { name: 'users own', vcpus: 1, memoryMb: 64, diskGb: 1, start: false } }, { cookie: user.cookie });
    assert.equal(own.data.createVm.__typename, 'VmTaskPayload', JSON.stringify(own));
    const chosen = await t.gql(CLONE, { id: own.data.createVm.vm.id, input: { name: 'elsewhere', hostId } }, { cookie: user.cookie });
    assert.equal(chosen.data.cloneVm.__typename, 'PermissionError', JSON.stringify(chosen));
    assert.equal(await vmCount(), count + 1, 'only the user\u2019s own VM was made');
  });

  test('a clone cancelled between its steps removes what it made on the host', { timeout: 5 * 60_000 }, async () => {
    const made = await t.gql(`mutation($i: CreateVmInput!) { createVm(input: $i) { ${PAYLOAD} } }`, { i: { name: 'cancel source', vcpus: 1, memoryMb: 64, diskGb: 1, start: false } }, { cookie: admin });
    assert.equal((await waitForTask(t, admin, made.data.createVm.task.id)).status, 'SUCCEEDED');
    // Held when it starts "Flatten the disk" (step 2); cancelled there, it makes the flat copy and
    // stops before the next step it would run.
    const hold = join(holds, 'vm.clone.2');
    await writeFile(hold, '');
    try {
      const asked = await t.gql(CLONE, { id: made.data.createVm.vm.id, input: { name: 'cancelled clone', full: true } }, { cookie: admin });
      assert.equal(asked.data.cloneVm.__typename, 'VmTaskPayload', JSON.stringify(asked));
      const id = rawId(asked.data.cloneVm.vm.id);
      const taskId = asked.data.cloneVm.task.id;
      await waitFor('the clone to reach its held step', async () => {
        const task = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Task { steps { name state } } } }`, { id: taskId }, { cookie: admin })).data.node;
        return task.steps[1].state === 'RUNNING';
      }, 120_000, 200);
      const cancelled = await t.gql(`mutation($id: ID!) { cancelTask(id: $id) { __typename ... on Error { message } } }`, { id: taskId }, { cookie: admin });
      assert.equal(cancelled.data.cancelTask.__typename, 'CancelTaskPayload', JSON.stringify(cancelled));
      await unlink(hold);
      const task = await waitForTask(t, admin, taskId);
      assert.equal(task.status, 'CANCELLED', JSON.stringify(task));
      assert.equal(task.steps[1].state, 'DONE', 'the flat copy was made before the cancel took effect');
      assert.deepEqual((await volumes()).filter((n) => n.startsWith(id)), [], 'no volume of the clone is left');
      await assert.rejects(virsh('domstate', id), 'no domain of the clone');
      assert.equal((await vmNow(asked.data.cloneVm.vm.id)).state, 'ERROR');
    } finally {
      await unlink(hold).catch(() => {});
    }
  });
});
