// What follows a deploy, on a real libvirtd with a real TCG guest, checked from inside the guest
// through its agent: a new password, a resize (CPU, memory, disk grown by cloud-init on the next
// boot), a reinstall that keeps the VM's identity but not its disk, and a delete that leaves nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { agentAnswers, guestSh } from '../support/guest.ts';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { networkAndImage, passwordVerifies, prepareDeploys, removeNetwork } from '../support/deploy.ts';
import { domState, rawId, removeLeftoverVms, virsh, waitFor, waitForTask } from '../support/libvirt.ts';

// Not deploy.test.ts's network, bridge or subnet: test files run in parallel.
const NET = { name: 'hangar-maint', bridge: 'virbr-maint', subnet: '10.231.8' };
const SUBNET = NET.subnet;
const FIRST_PASSWORD = 'first-Secret-42';
const NEW_PASSWORD = 'second-Secret-73';
const HOSTNAME = 'maint-one';
const TASK_TIMEOUT_MS = 10 * 60_000;

const VM_FIELDS = 'id state stateMessage vcpus memoryMb diskGb ipAddress macAddress guest { hostname username hasPassword }';
const PAYLOAD = `__typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } }`;
// resizeVm's result union also holds QuotaExceededError.
const RESIZE_PAYLOAD = `${PAYLOAD} ... on QuotaExceededError { resource }`;

describe('VM maintenance after a deploy on real libvirt', { timeout: 30 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let adminId: string;
  let hostId: string;
  let imageId: string;
  // The VM all the steps work on.
  let vmId: string;
  let id: string;
  let deployed: any;

  before(async () => {
    const path = await networkAndImage(NET);
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    adminId = (await t.gql('{ me { id } }', {}, { cookie: admin })).data.me.id;
    ({ hostId, imageId } = await prepareDeploys(t, admin, NET, path));
  });

  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await removeNetwork(NET);
  });

  const vmNow = async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { ${VM_FIELDS} } } }`, { id: vmId }, { cookie: admin })).data.node;
  const tasksOfVm = async () => Number((await t.hangar.db.selectFrom('tasks').select((eb) => eb.fn.countAll<string>().as('n')).where('vm_id', '=', id).executeTakeFirstOrThrow()).n);

  /** Runs a VM mutation that must be accepted and waits for its task. */
  async function run(mutation: string, variables: Record<string, unknown>): Promise<any> {
    const result = await t.gql(mutation, variables, { cookie: admin });
    const payload = Object.values(result.data ?? {})[0] as any;
    assert.equal(payload?.__typename, 'VmTaskPayload', JSON.stringify(result));
    return waitForTask(t, admin, payload.task.id, TASK_TIMEOUT_MS);
  }

  /** The guest answers and cloud-init has finished this boot's work. */
  async function guestSettled(): Promise<void> {
    await waitFor('the guest agent', () => agentAnswers(id), 10 * 60_000, 1000);
    const status = await guestSh(id, 'cloud-init status --wait >/dev/null 2>&1; cloud-init status', 300_000);
    assert.match(status, /status: done/);
  }

  const PASSWORD_MUTATION = `mutation($id: ID!, $p: String!) { resetVmPassword(id: $id, password: $p) { ${PAYLOAD} } }`;
  const RESIZE_MUTATION = `mutation($id: ID!, $input: ResizeVmInput!) { resizeVm(id: $id, input: $input) { ${RESIZE_PAYLOAD} } }`;

  test('deploys a VM from the image with a password and a hostname', { timeout: 20 * 60_000 }, async () => {
    const created = await t.gql(
      `mutation($i: CreateVmInput!) { createVm(input: $i) { ${PAYLOAD} } }`,
      { i: { name: 'maint one', vcpus: 1, memoryMb: 768, diskGb: 4, imageId, guest: { hostname: HOSTNAME, username: 'tester', password: FIRST_PASSWORD } } },
      { cookie: admin },
    );
    const payload = created.data?.createVm;
    assert.equal(payload?.__typename, 'VmTaskPayload', JSON.stringify(created));
    vmId = payload.vm.id;
    id = rawId(vmId);
    const task = await waitForTask(t, admin, payload.task.id, TASK_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    await guestSettled();
    deployed = await vmNow();
    assert.equal(deployed.state, 'RUNNING');
    assert.equal(deployed.ipAddress, `${SUBNET}.10`);
    assert.equal(await guestSh(id, 'hostname'), HOSTNAME);
    assert.ok(await passwordVerifies(id, 'tester', FIRST_PASSWORD));
  });

  test('resetVmPassword sets a new password in the running guest', { timeout: 20 * 60_000 }, async () => {
    const task = await run(PASSWORD_MUTATION, { id: vmId, p: NEW_PASSWORD });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.deepEqual(task.steps.map((s: any) => [s.name, s.state]), [['Set the password', 'DONE']]);
    assert.ok(await passwordVerifies(id, 'tester', NEW_PASSWORD), 'the new password verifies');
    assert.ok(!(await passwordVerifies(id, 'tester', FIRST_PASSWORD)), 'the old one does not');
    assert.equal((await vmNow()).guest.hasPassword, true);
  });

  test('resizeVm gives the running VM more vCPUs, memory and disk; the guest grows its root filesystem', { timeout: 20 * 60_000 }, async () => {
    assert.equal(await guestSh(id, 'nproc'), '1');
    const task = await run(RESIZE_MUTATION, { id: vmId, input: { vcpus: 2, memoryMb: 1024, diskGb: 6 } });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.deepEqual(
      task.steps.map((s: any) => [s.name, s.state]),
      [
        ['Power off', 'DONE'],
        ['Change the domain', 'DONE'],
        ['Grow the disk', 'DONE'],
        ['Start the VM', 'DONE'],
      ],
    );
    assert.equal(await domState(id), 'running');
    await waitFor('the VM to show RUNNING', async () => (await vmNow()).state === 'RUNNING', 60_000, 500);
    const vm = await vmNow();
    assert.deepEqual([vm.vcpus, vm.memoryMb, vm.diskGb], [2, 1024, 6]);
    const volume = await virsh('vol-info', '--bytes', '--pool', 'hangar-disks', `${id}.qcow2`);
    assert.match(volume, new RegExp(`Capacity:\\s+${6 * 1024 ** 3} bytes`));

    await guestSettled();
    assert.equal(await guestSh(id, 'nproc'), '2');
    const memKb = Number(await guestSh(id, "awk '/^MemTotal:/ {print $2}' /proc/meminfo"));
    assert.ok(memKb > 900 * 1024 && memKb <= 1024 * 1024, `MemTotal about 1 GiB: ${memKb} kB`);
    // growpart and resize_rootfs run on every boot: the root filesystem fills the bigger disk.
    const rootBytes = await waitFor(
      'the root filesystem to grow',
      async () => {
        const bytes = Number(await guestSh(id, 'df -B1 --output=size / | tail -1'));
        return bytes > 5.5 * 1024 ** 3 ? bytes : null;
      },
      120_000,
      2000,
    ).catch(async (error) => {
      const size = await guestSh(id, 'df -B1 --output=size / | tail -1; lsblk -b; grep -i -E "growpart|resize" /var/log/cloud-init.log | tail -20').catch((e) => String(e));
      throw new Error(`${(error as Error).message}\n${size}`);
    });
    assert.ok(rootBytes > 5.5 * 1024 ** 3);
    assert.equal(await guestSh(id, 'hostname'), HOSTNAME);
    assert.ok(await passwordVerifies(id, 'tester', NEW_PASSWORD), 'the password survives the resize');
  });

  test('resizeVm refuses to shrink the disk and to go beyond the quota, changing nothing', { timeout: 5 * 60_000 }, async () => {
    const before = await vmNow();
    const tasksBefore = await tasksOfVm();

    const shrink = await t.gql(RESIZE_MUTATION, { id: vmId, input: { diskGb: 5 } }, { cookie: admin });
    assert.equal(shrink.data.resizeVm.__typename, 'ValidationError', JSON.stringify(shrink));
    assert.deepEqual(shrink.data.resizeVm.fieldErrors.map((e: any) => e.path.at(-1)), ['diskGb']);

    const quota = await t.gql(
      `mutation($u: ID!, $q: QuotaInput!) { setQuota(userId: $u, input: $q) { __typename ... on Error { message } } }`,
      { u: adminId, q: { maxVcpus: 3, maxMemoryMb: 4096, maxDiskGb: 100 } },
      { cookie: admin },
    );
    assert.notEqual(quota.data.setQuota.__typename, 'ValidationError', JSON.stringify(quota));
    try {
      const tooBig = await t.gql(RESIZE_MUTATION, { id: vmId, input: { vcpus: 4 } }, { cookie: admin });
      assert.equal(tooBig.data.resizeVm.__typename, 'QuotaExceededError', JSON.stringify(tooBig));
      assert.equal(tooBig.data.resizeVm.resource, 'vcpus');
      const tooMuchDisk = await t.gql(RESIZE_MUTATION, { id: vmId, input: { diskGb: 200 } }, { cookie: admin });
      assert.equal(tooMuchDisk.data.resizeVm.__typename, 'QuotaExceededError', JSON.stringify(tooMuchDisk));
      assert.equal(tooMuchDisk.data.resizeVm.resource, 'disk');
    } finally {
      await t.gql(`mutation($u: ID!, $q: QuotaInput!) { setQuota(userId: $u, input: $q) { __typename } }`, { u: adminId, q: {} }, { cookie: admin });
    }
    assert.deepEqual(await vmNow(), before, 'the VM row is unchanged');
    assert.equal(await tasksOfVm(), tasksBefore, 'no task was queued');
    assert.equal(await domState(id), 'running');
    const volume = await virsh('vol-info', '--bytes', '--pool', 'hangar-disks', `${id}.qcow2`);
    assert.match(volume, new RegExp(`Capacity:\\s+${6 * 1024 ** 3} bytes`));
  });

  test('reinstallVm gives a fresh disk and host keys but keeps the id, MAC, address, hostname and password', { timeout: 20 * 60_000 }, async () => {
    await guestSh(id, 'echo kept > /var/tmp/hangar-marker && sync');
    const hostKey = await guestSh(id, 'cat /etc/ssh/ssh_host_ed25519_key.pub');
    const before = await vmNow();

    const task = await run(`mutation($id: ID!) { reinstallVm(id: $id) { ${PAYLOAD} } }`, { id: vmId });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.deepEqual(
      task.steps.map((s: any) => s.state),
      task.steps.map(() => 'DONE'),
      JSON.stringify(task.steps),
    );
    assert.equal(task.steps[0].name, 'Power off');
    await waitFor('the VM to show RUNNING', async () => (await vmNow()).state === 'RUNNING', 60_000, 500);
    const vm = await vmNow();
    assert.equal(vm.id, vmId);
    assert.equal(vm.macAddress, before.macAddress);
    assert.equal(vm.ipAddress, before.ipAddress);
    assert.deepEqual([vm.vcpus, vm.memoryMb, vm.diskGb], [2, 1024, 6]);
    assert.match(await virsh('domiflist', id), new RegExp(before.macAddress));

    await guestSettled();
    assert.equal(await guestSh(id, 'test -e /var/tmp/hangar-marker && echo present || echo gone'), 'gone');
    // The fresh disk's /etc/machine-id is empty, so systemd makes it again at boot, and in a VM it
    // takes the SMBIOS system UUID, i.e. the domain UUID = the VM id, which a reinstall keeps on
    // purpose: so the machine-id is the same as before. The guest's own identity made on the disk
    // (SSH host keys, generated by cloud-init for a new instance) is new.
    assert.equal(await guestSh(id, 'cat /etc/machine-id'), id.replace(/-/g, ''));
    assert.notEqual(await guestSh(id, 'cat /etc/ssh/ssh_host_ed25519_key.pub'), hostKey, 'new SSH host keys');
    assert.equal(await guestSh(id, 'hostname'), HOSTNAME);
    assert.match(await guestSh(id, 'ip -4 -o addr'), new RegExp(`${before.ipAddress.replace(/\./g, '\\.')}/24`));
    assert.ok(await passwordVerifies(id, 'tester', NEW_PASSWORD), 'the password set before the reinstall still verifies');
    const rootBytes = Number(await guestSh(id, 'df -B1 --output=size / | tail -1'));
    assert.ok(rootBytes > 5.5 * 1024 ** 3, `the fresh root filesystem fills the 6 GiB disk: ${rootBytes}`);
  });

  test('a stopped VM refuses a new password; deleteVm leaves nothing behind', { timeout: 10 * 60_000 }, async () => {
    const stopped = await run(`mutation($id: ID!) { stopVm(id: $id) { ${PAYLOAD} } }`, { id: vmId });
    assert.equal(stopped.status, 'SUCCEEDED', JSON.stringify(stopped));
    await waitFor('the VM to show STOPPED', async () => (await vmNow()).state === 'STOPPED', 60_000, 200);
    const tasksBefore = await tasksOfVm();
    const refused = await t.gql(PASSWORD_MUTATION, { id: vmId, p: 'third-Secret-99' }, { cookie: admin });
    assert.equal(refused.data.resetVmPassword.__typename, 'ConflictError', JSON.stringify(refused));
    assert.equal(await tasksOfVm(), tasksBefore, 'no task was queued');

    const deleted = await run(`mutation($id: ID!) { deleteVm(id: $id) { ${PAYLOAD} } }`, { id: vmId });
    assert.equal(deleted.status, 'SUCCEEDED', JSON.stringify(deleted));
    assert.equal(await domState(id), null);
    const volumes = (await virsh('vol-list', '--pool', 'hangar-disks')).split('\n').map((l) => l.trim().split(/\s+/)[0]);
    assert.deepEqual(volumes.filter((v) => v.startsWith(id)), [], 'no volume of the VM is left');
    const pools = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { ipPools { used } } } }`, { id: hostId }, { cookie: admin });
    assert.deepEqual(pools.data.node.ipPools, [{ used: 0 }], 'the address was released');
  });
});
