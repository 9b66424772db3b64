// Deploying VMs from an image on a real libvirtd (TCG guests), checked from inside the guest
// through its agent: cloud-init's work, a capture with its own identity, nothing left behind.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guestSh } from '../support/guest.ts';
import { setupAdmin, startTestHangar, subscribe, wsClient, type TestHangar } from '../support/hangar.ts';
import { uploadImage } from '../support/images.ts';
import { domState, rawId, removeLeftoverVms, virsh, waitFor, waitForTask } from '../support/libvirt.ts';
import { testImagePath } from '../support/test-image.ts';
import { networkAndImage, passwordVerifies, prepareDeploys, removeNetwork } from '../support/deploy.ts';

const NET = { name: 'hangar-e2e', bridge: 'virbr-e2e', subnet: '10.231.7' };
const SUBNET = NET.subnet;
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhhbmdhci10ZXN0LWtleS1ub3QtYS1yZWFsLW9uZS0wMQ tester@hangar';
const PASSWORD = 'correct-Horse-7';
const DEPLOY_TIMEOUT_MS = 10 * 60_000;

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) {
  __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;

describe('deploy from an image on real libvirt', { timeout: 30 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let imageId: string;
  let hostId: string;

  before(async () => {
    const path = await networkAndImage(NET);
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    ({ hostId, imageId } = await prepareDeploys(t, admin, NET, path));
  });

  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await removeNetwork(NET);
  });

  async function deploy(name: string, fromImage: string, guest: Record<string, unknown>): Promise<{ id: string; vmId: string; task: any; events: any[] }> {
    const created = await t.gql(CREATE, { i: { name, vcpus: 1, memoryMb: 768, diskGb: 4, imageId: fromImage, guest } }, { cookie: admin });
    const payload = created.data?.createVm;
    assert.equal(payload?.__typename, 'VmTaskPayload', JSON.stringify(created));
    // Every step reaches the browser as it happens: follow the task over graphql-ws.
    const client = wsClient(t.url, { cookie: admin });
    const sub = subscribe(client, `subscription($id: ID!) { taskUpdated(id: $id) { status steps { name state } } }`, { id: payload.task.id });
    const task = await waitForTask(t, admin, payload.task.id, DEPLOY_TIMEOUT_MS);
    await client.dispose();
    const events = sub.events.map((e) => e.data?.taskUpdated);
    return { id: rawId(payload.vm.id), vmId: payload.vm.id, task, events };
  }

  test('a VM deployed from the image is configured by cloud-init; its capture deploys with its own identity; delete leaves nothing', { timeout: 25 * 60_000 }, async () => {
    const script = '#!/bin/sh\n# key: value\n#cloud-config\necho "first boot ran" > /var/tmp/hangar-first-boot\n';
    const one = await deploy('e2e one', imageId, { hostname: 'e2e-one', username: 'tester', password: PASSWORD, sshKeys: [SSH_KEY], timezone: 'Europe/Paris', firstBootScript: script });
    assert.equal(one.task.status, 'SUCCEEDED', JSON.stringify(one.task));
    assert.deepEqual(
      one.task.steps.map((s: any) => s.state),
      one.task.steps.map(() => 'DONE'),
    );
    assert.ok(one.events.some((e) => e?.steps?.some((s: any) => s.state === 'RUNNING')), 'the subscriber saw steps running');
    assert.equal(await domState(one.id), 'running');
    // The host's cached copy is on record as this installation's, just used (a prune keeps it a day).
    const copies = await t.hangar.db.selectFrom('image_cache_copies').selectAll().execute();
    assert.equal(copies.length, 1, JSON.stringify(copies));
    assert.ok(Date.now() - copies[0].used_at.getTime() < 30 * 60_000, JSON.stringify(copies));

    const vm = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { state ipAddress macAddress guest { hostname username hasPassword timezone } image { id } } } }`, { id: one.vmId }, { cookie: admin })).data.node;
    assert.equal(vm.state, 'RUNNING');
    assert.equal(vm.ipAddress, `${SUBNET}.10`);
    assert.deepEqual(vm.guest, { hostname: 'e2e-one', username: 'tester', hasPassword: true, timezone: 'Europe/Paris' });
    assert.equal(vm.image.id, imageId);

    // cloud-init's last stage (the first-boot script) may still run when the agent first answers.
    const status = await guestSh(one.id, 'cloud-init status --wait >/dev/null 2>&1; cloud-init status', 300_000);
    assert.match(status, /status: done/);
    assert.equal(await guestSh(one.id, 'hostname'), 'e2e-one');
    assert.match(await guestSh(one.id, 'readlink /etc/localtime'), /Europe\/Paris$/);
    assert.equal(await guestSh(one.id, 'cat /var/tmp/hangar-first-boot'), 'first boot ran');
    assert.ok((await guestSh(one.id, 'cat /home/tester/.ssh/authorized_keys')).includes(SSH_KEY));
    assert.ok(await passwordVerifies(one.id, 'tester', PASSWORD), 'the guest accepts the password');
    const rootBytes = Number(await guestSh(one.id, 'df -B1 --output=size / | tail -1'));
    assert.ok(rootBytes > 3.5 * 1024 ** 3, `the root filesystem grew to the 4 GiB disk: ${rootBytes}`);
    assert.match(await guestSh(one.id, 'ip -4 -o addr'), new RegExp(`${SUBNET.replace(/\./g, '\\.')}\\.10/24`));
    const firstHostKey = await guestSh(one.id, 'cat /etc/ssh/ssh_host_ed25519_key.pub');
    const firstMachineId = await guestSh(one.id, 'cat /etc/machine-id');
    assert.match(firstMachineId, /^[0-9a-f]{32}$/);

    // Capture: a private image of the VM, without its identity.
    const captured = await t.gql(
      `mutation($vm: ID!) { captureImage(vmId: $vm, name: "e2e capture") { __typename ... on CaptureImagePayload { image { id status } task { id } } ... on Error { message } } }`,
      { vm: one.vmId },
      { cookie: admin },
    );
    const capture = captured.data.captureImage;
    assert.equal(capture.__typename, 'CaptureImagePayload', JSON.stringify(captured));
    const captureTask = await waitForTask(t, admin, capture.task.id, DEPLOY_TIMEOUT_MS);
    assert.equal(captureTask.status, 'SUCCEEDED', JSON.stringify(captureTask));
    const image = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Image { status visibility format virtualSizeBytes } } }`, { id: capture.image.id }, { cookie: admin })).data.node;
    assert.deepEqual([image.status, image.visibility, image.format], ['READY', 'PRIVATE', 'QCOW2']);
    await waitFor('the captured VM to run again', async () => (await domState(one.id)) === 'running', 120_000, 500);

    const two = await deploy('e2e two', capture.image.id, { hostname: 'e2e-two', username: 'tester', sshKeys: [SSH_KEY] });
    assert.equal(two.task.status, 'SUCCEEDED', JSON.stringify(two.task));
    await guestSh(two.id, 'cloud-init status --wait >/dev/null 2>&1; true', 300_000);
    assert.equal(await guestSh(two.id, 'hostname'), 'e2e-two');
    const secondMachineId = await guestSh(two.id, 'cat /etc/machine-id');
    assert.match(secondMachineId, /^[0-9a-f]{32}$/);
    assert.notEqual(secondMachineId, firstMachineId, 'the VM from the capture has its own machine-id');
    assert.notEqual(await guestSh(two.id, 'cat /etc/ssh/ssh_host_ed25519_key.pub'), firstHostKey, 'and its own SSH host key');
    assert.match(await guestSh(two.id, 'ip -4 -o addr'), new RegExp(`${SUBNET.replace(/\./g, '\\.')}\\.11/24`));

    for (const vmId of [one.vmId, two.vmId]) {
      const deleted = await t.gql(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } } }`, { id: vmId }, { cookie: admin });
      const task = await waitForTask(t, admin, deleted.data.deleteVm.task.id, 120_000);
      assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    }
    for (const id of [one.id, two.id]) {
      assert.equal(await domState(id), null);
      assert.ok(!(await virsh('vol-list', '--pool', 'hangar-disks')).includes(id), 'no volume of the VM is left');
    }
    const pools = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { ipPools { used } } } }`, { id: hostId }, { cookie: admin });
    assert.deepEqual(pools.data.node.ipPools, [{ used: 0 }], 'both addresses were released');
  });
});


/** A libvirt connection that can be cut: a unix socket relayed to libvirtd's own. */
async function libvirtRelay(path: string): Promise<{ uri: string; cut(): Promise<void>; restore(): Promise<void> }> {
  const net = await import('node:net');
  const { rm } = await import('node:fs/promises');
  const sockets = new Set<import('node:net').Socket>();
  let server: import('node:net').Server | null = null;
  const listen = async () => {
    if (server?.listening) return;
    await rm(path, { force: true });
    server = net.createServer((client) => {
      const upstream = net.connect('/var/run/libvirt/libvirt-sock');
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(path, resolve));
  };
  await listen();
  return {
    uri: `qemu+unix:///system?socket=${path}`,
    async cut() {
      // close() waits for open connections: drop them first (virsh event holds one for good).
      const closed = new Promise((resolve) => server!.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
    restore: listen,
  };
}

describe('a deploy whose host dies midway', { timeout: 15 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let relay: Awaited<ReturnType<typeof libvirtRelay>>;

  before(async () => {
    const path = await testImagePath();
    relay = await libvirtRelay(`/tmp/hangar-relay-${process.pid}.sock`);
    // The relay is a socket of its own (?socket= needs the installation's leave).
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '1', HANGAR_HOST_URI_ALLOWED_PARAMS: 'socket' }, { processes: ['api', 'worker'] });
    admin = await setupAdmin(t);
    const added = await t.gql(`mutation($input: AddHostInput!) { addHost(input: $input) { __typename ... on Error { message } } }`, { input: { name: 'flaky', uri: relay.uri } }, { cookie: admin });
    assert.equal(added.data.addHost.__typename, 'Host', JSON.stringify(added));
    await uploadImage(t, admin, path, { name: 'Debian 12 (test)', cloudInit: true });
  });
  after(async () => {
    await relay?.restore().catch(() => {});
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await relay?.cut().catch(() => {});
  });

  test('fails cleanly with the reason, and deleting the VM afterwards leaves nothing on the host', { timeout: 10 * 60_000 }, async () => {
    const images = await t.gql('{ images { edges { node { id } } } }', {}, { cookie: admin });
    const created = await t.gql(CREATE, { i: { name: 'doomed', vcpus: 1, memoryMb: 512, diskGb: 4, imageId: images.data.images.edges[0].node.id } }, { cookie: admin });
    const { vm, task } = created.data.createVm;
    const id = rawId(vm.id);
    // Cut the host once the disk exists, so something was made on it before it went away.
    await waitFor(
      'the disk step',
      async () => {
        const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Task { steps { name state } } } }`, { id: task.id }, { cookie: admin });
        return data.node.steps.find((s: any) => s.name === 'Create the disk')?.state === 'DONE';
      },
      300_000,
      20,
    );
    await relay.cut();
    const failed = await waitForTask(t, admin, task.id, 120_000);
    assert.equal(failed.status, 'FAILED');
    assert.match(failed.error, /libvirt|connect|socket/i, failed.error);
    const state = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { state stateMessage } } }`, { id: vm.id }, { cookie: admin })).data.node;
    assert.ok(['ERROR', 'UNKNOWN'].includes(state.state), JSON.stringify(state));

    await relay.restore();
    await waitFor('the host back online', async () => (await t.gql('{ hosts { status } }', {}, { cookie: admin })).data.hosts[0].status === 'ONLINE', 60_000, 200);
    const deleted = await t.gql(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } ... on Error { message } } }`, { id: vm.id }, { cookie: admin });
    assert.equal(deleted.data.deleteVm.__typename, 'VmTaskPayload', JSON.stringify(deleted));
    assert.equal((await waitForTask(t, admin, deleted.data.deleteVm.task.id, 120_000)).status, 'SUCCEEDED');
    assert.equal(await domState(id), null);
    assert.ok(!(await virsh('vol-list', '--pool', 'hangar-disks')).includes(id), 'no volume of the VM is left');
  });
});
