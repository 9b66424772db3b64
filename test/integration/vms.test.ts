// The VM power lifecycle through the API, on a real libvirtd running real (TCG) guests.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setupAdmin, startTestHangar, subscribe, userWithRole, wsClient, type TestHangar } from '../support/hangar.ts';
import { domState, rawId, removeLeftoverVms, virsh, VM_FIELDS, vmMutation, volumeExists, waitFor, waitForTask } from '../support/libvirt.ts';
import { makePowerOffIso } from '../support/poweroff-iso.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) {
  __typename ... on VmTaskPayload { vm { ${VM_FIELDS} } task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } ... on QuotaExceededError { resource } } }`;
const action = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;
const SMALL = { vcpus: 1, memoryMb: 128, diskGb: 1 };

async function createVm(t: TestHangar, cookie: string, input: Record<string, unknown>) {
  return vmMutation(t, cookie, CREATE, { i: { ...SMALL, ...input } });
}

async function vmState(t: TestHangar, cookie: string, id: string): Promise<string | undefined> {
  return (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { state } } }`, { id }, { cookie })).data?.node?.state;
}

async function vmCount(t: TestHangar, cookie: string): Promise<number> {
  return (await t.gql('{ vms { edges { node { id } } } }', {}, { cookie })).data.vms.edges.length;
}

describe('VM lifecycle on real libvirt (Postgres, Redis)', () => {
  let t: TestHangar;
  let admin: string;
  before(async () => {
    // The flaky host reaches libvirt through a socket of its own (?socket= needs the installation's leave).
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '1', HANGAR_HOST_URI_ALLOWED_PARAMS: 'socket' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
  });
  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  });

  test('the local libvirt registered itself as an online host with its capabilities', async () => {
    const { data } = await t.gql('{ hosts { name status domainType domainTypeReason capabilities { cpus memoryMb libvirtVersion } settings { diskPool } } }', {}, { cookie: admin });
    const local = data.hosts.find((h: any) => h.name === 'local');
    assert.equal(local.status, 'ONLINE');
    assert.ok(local.capabilities.cpus > 0 && local.capabilities.memoryMb > 0, JSON.stringify(local));
    assert.ok(['KVM', 'QEMU'].includes(local.domainType) && local.domainTypeReason);
  });

  test('every power action changes the real domain, step by step', async () => {
    const created = await createVm(t, admin, { name: 'lifecycle' });
    assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
    assert.deepEqual(created.task.steps.map((s: any) => s.state), ['DONE', 'DONE', 'DONE']);
    const id = rawId(created.vmId);
    assert.equal(await domState(id), 'running');
    assert.ok(await volumeExists('hangar-disks', `${id}.qcow2`));
    assert.equal(await vmState(t, admin, created.vmId), 'RUNNING');

    const expectations: Array<[string, string, string]> = [
      ['suspendVm', 'paused', 'PAUSED'],
      ['resumeVm', 'running', 'RUNNING'],
      ['resetVm', 'running', 'RUNNING'],
      ['rebootVm', 'running', 'RUNNING'],
      ['stopVm', 'shut off', 'STOPPED'],
      ['startVm', 'running', 'RUNNING'],
    ];
    for (const [mutation, domain, state] of expectations) {
      const { task } = await vmMutation(t, admin, action(mutation), { id: created.vmId });
      assert.equal(task.status, 'SUCCEEDED', `${mutation}: ${JSON.stringify(task)}`);
      assert.equal(await domState(id), domain, mutation);
      assert.equal(await vmState(t, admin, created.vmId), state, mutation);
    }

    // A firmware-only guest ignores ACPI: shutdown waits its timeout, then powers off and says so.
    const shutdown = await vmMutation(t, admin, `mutation($id: ID!) { shutdownVm(id: $id, timeoutSeconds: 2) { ... on VmTaskPayload { vm { id } task { id } } } }`, { id: created.vmId });
    assert.equal(shutdown.task.status, 'SUCCEEDED');
    assert.match(shutdown.task.log.map((l: any) => l.line).join('\n'), /did not shut down within 2 s/);
    assert.equal(await domState(id), 'shut off');

    const deleted = await vmMutation(t, admin, action('deleteVm'), { id: created.vmId });
    assert.equal(deleted.task.status, 'SUCCEEDED', JSON.stringify(deleted.task));
    assert.equal(await domState(id), null);
    assert.equal(await volumeExists('hangar-disks', `${id}.qcow2`), false);
    assert.equal(await vmState(t, admin, created.vmId), 'DELETED');
  });

  test('operations on one VM run one at a time, in the order asked; one its state does not allow is refused and changes nothing', async () => {
    const created = await createVm(t, admin, { name: 'fifo', start: true });
    await waitFor('the VM to run', async () => ((await vmState(t, admin, created.vmId)) === 'RUNNING' ? true : null), 30_000, 100);
    // Refused: the VM is running. Nothing is queued.
    for (const m of ['startVm', 'resumeVm']) {
      const refused = (await t.gql(action(m), { id: created.vmId }, { cookie: admin })).data[m];
      assert.equal(refused.__typename, 'ConflictError', m);
      assert.match(refused.message, /not possible while the VM is running/);
    }
    // Bad input is refused first, whatever the state, and queues nothing.
    const badTimeout = (await t.gql(`mutation($id: ID!) { shutdownVm(id: $id, timeoutSeconds: 0) { __typename ... on Error { message } } }`, { id: created.vmId }, { cookie: admin })).data.shutdownVm;
    assert.equal(badTimeout.__typename, 'ValidationError');
    // Asked at once (a power-off is allowed while the VM shows REBOOTING too): they run in the order
    // asked, one at a time. What a transitional state refuses: task-outcomes.test.ts.
    const ids: string[] = [];
    for (const m of ['resetVm', 'stopVm']) ids.push((await t.gql(action(m), { id: created.vmId }, { cookie: admin })).data[m].task.id);
    const tasks = [];
    for (const id of ids) tasks.push(await waitForTask(t, admin, id));
    assert.deepEqual(tasks.map((x) => x.status), ['SUCCEEDED', 'SUCCEEDED']);
    const { data } = await t.gql(`query($id: ID!) { tasks(filter: { vmId: $id }) { edges { node { operation startedAt finishedAt } } } }`, { id: created.vmId }, { cookie: admin });
    const ordered = data.tasks.edges.map((e: any) => e.node).reverse();
    assert.deepEqual(ordered.map((n: any) => n.operation), ['vm.create', 'vm.reset', 'vm.stop']);
    for (let i = 1; i < ordered.length; i++) assert.ok(ordered[i].startedAt >= ordered[i - 1].finishedAt, 'no overlap');
    assert.equal(await domState(rawId(created.vmId)), 'shut off');
    // Vm.actions says the same as the API does.
    await waitFor('the VM to show stopped', async () => ((await vmState(t, admin, created.vmId)) === 'STOPPED' ? true : null), 10_000, 100);
    const shown = await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { actions { action allowed reason } } } }`, { id: created.vmId }, { cookie: admin });
    const actions = Object.fromEntries(shown.data.node.actions.map((a: any) => [a.action, a]));
    assert.equal(actions.START.allowed, true);
    assert.equal(actions.RESUME.allowed, false);
    assert.equal(actions.RESUME.reason, 'Resume is not possible while the VM is stopped');
    assert.equal(actions.PASSWORD.allowed, false);
    await vmMutation(t, admin, action('deleteVm'), { id: created.vmId });
  });

  test('a guest that powers itself off shows as stopped to a subscriber within 2 seconds', async () => {
    const iso = await makePowerOffIso('/var/lib/libvirt/images/hangar-test', 6);
    const created = await createVm(t, admin, { name: 'self-off', isoPath: iso });
    const id = rawId(created.vmId);
    assert.equal(await domState(id), 'running');
    const client = wsClient(t.url, { cookie: admin });
    const sub = subscribe(client, `subscription($id: ID!) { vmUpdated(id: $id) { state } }`, { id: created.vmId });
    let seenStopped = 0;
    void (async () => {
      for (;;) {
        const event = await sub.next(30_000).catch(() => null);
        if (!event) return;
        if (event.data?.vmUpdated?.state === 'STOPPED') return void (seenStopped = Date.now());
      }
    })();
    const offAt = await waitFor('the guest to power off', async () => ((await domState(id)) === 'shut off' ? Date.now() : null), 40_000, 50);
    await waitFor('the subscriber to hear of it', async () => seenStopped || null, 5000, 20).catch(async (error) => {
      throw new Error(`${error.message}; events: ${JSON.stringify(sub.events)}; state now: ${await vmState(t, admin, created.vmId)}`);
    });
    assert.ok(seenStopped - offAt <= 2000, `seen ${seenStopped - offAt} ms after the domain stopped`);
    await client.dispose();
    await vmMutation(t, admin, action('deleteVm'), { id: created.vmId });
  });

  test('names and descriptions cannot change the domain XML', async () => {
    const title = `x' <b> & "q" ]]> </title><on_crash>restart</on_crash>`;
    const description = `line one\n]]></description><on_poweroff>restart</on_poweroff>\n<![CDATA[ ' " &amp;`;
    const created = await createVm(t, admin, { name: title, description, start: false });
    assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
    const id = rawId(created.vmId);
    const xml = await virsh('dumpxml', id);
    assert.equal(await virsh('desc', '--title', id), title);
    assert.equal(await virsh('desc', id), description);
    assert.match(xml, /<on_crash>destroy<\/on_crash>/);
    assert.match(xml, /<on_poweroff>destroy<\/on_poweroff>/);
    assert.equal((xml.match(/<on_crash>/g) ?? []).length, 1);
    // A name is one line: a newline is refused with a typed error, and nothing is made.
    const before = await vmCount(t, admin);
    const refused = await t.gql(CREATE, { i: { ...SMALL, name: 'two\nlines' } }, { cookie: admin });
    assert.equal(refused.data.createVm.__typename, 'ValidationError');
    assert.equal(await vmCount(t, admin), before);
    await vmMutation(t, admin, action('deleteVm'), { id: created.vmId });
  });

  test('two concurrent creates cannot both take the last slot of a quota', async () => {
    const user = await userWithRole(t, admin, 'User');
    const quota = await t.gql('mutation($id: ID!) { setQuota(userId: $id, input: { maxVms: 1, maxVcpus: 8 }) { __typename } }', { id: user.id }, { cookie: admin });
    assert.notEqual(quota.data?.setQuota?.__typename, undefined, JSON.stringify(quota));
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => t.gql(CREATE, { i: { ...SMALL, name: `race-${i}`, start: false } }, { cookie: user.cookie })));
    const kinds = results.map((r) => r.data.createVm.__typename).sort();
    assert.deepEqual(kinds, ['QuotaExceededError', 'QuotaExceededError', 'QuotaExceededError', 'QuotaExceededError', 'VmTaskPayload']);
    assert.equal(await vmCount(t, user.cookie), 1);
    const won = results.find((r) => r.data.createVm.__typename === 'VmTaskPayload')!.data.createVm;
    await waitForTask(t, user.cookie, won.task.id);
    // An ordinary user may not see another's VM, nor pick a host or boot a host file.
    const other = await userWithRole(t, admin, 'User');
    assert.equal((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: won.vm.id }, { cookie: other.cookie })).data.node, null);
    assert.equal((await t.gql(action('stopVm'), { id: won.vm.id }, { cookie: other.cookie })).data.stopVm.__typename, 'NotFoundError');
    const picky = await t.gql(CREATE, { i: { ...SMALL, name: 'picky', isoPath: '/etc/shadow.iso' } }, { cookie: other.cookie });
    assert.equal(picky.data.createVm.__typename, 'PermissionError');
    await vmMutation(t, user.cookie, action('deleteVm'), { id: won.vm.id });
  });

  test('an unreachable or wrong libvirt URI is refused with the cause, and nothing is saved', async () => {
    const add = `mutation($i: AddHostInput!) { addHost(input: $i) { __typename ... on Error { message } } }`;
    const unreachable = await t.gql(add, { i: { name: 'nowhere', uri: 'qemu+tcp://127.0.0.1:1/system' } }, { cookie: admin });
    assert.equal(unreachable.data.addHost.__typename, 'HostConnectionError');
    assert.match(unreachable.data.addHost.message, /Connection refused|connect/i);
    const malformed = await t.gql(add, { i: { name: 'bad', uri: 'not a uri' } }, { cookie: admin });
    assert.equal(malformed.data.addHost.__typename, 'ValidationError');
    const { data } = await t.gql('{ hosts { name } }', {}, { cookie: admin });
    assert.deepEqual(data.hosts.map((h: any) => h.name), ['local']);
  });

  test('a host that stops answering goes offline and its VMs show an unknown state, then recover', async () => {
    // A second host whose URI reaches the same libvirtd through a socket path we can take away.
    const dir = await mkdtemp(join(tmpdir(), 'hangar-flaky-'));
    const socket = join(dir, 'libvirt-sock');
    await symlink('/var/run/libvirt/libvirt-sock', socket);
    try {
      const added = await t.gql(`mutation($i: AddHostInput!) { addHost(input: $i) { __typename ... on Host { id status } ... on Error { message } } }`, { i: { name: 'flaky', uri: `qemu+unix:///system?socket=${socket}` } }, { cookie: admin });
      assert.equal(added.data.addHost.__typename, 'Host', JSON.stringify(added));
      const hostId = added.data.addHost.id;
      const created = await createVm(t, admin, { name: 'on-flaky', hostId });
      assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
      const hostStatus = async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { status statusMessage } } }`, { id: hostId }, { cookie: admin })).data.node;
      await unlink(socket);
      await waitFor('the host to go offline', async () => (await hostStatus()).status === 'OFFLINE', 15_000, 200);
      assert.equal(await vmState(t, admin, created.vmId), 'UNKNOWN');
      assert.match((await hostStatus()).statusMessage, /connect|No such file/i);
      await symlink('/var/run/libvirt/libvirt-sock', socket);
      await waitFor('the host to come back', async () => (await hostStatus()).status === 'ONLINE', 15_000, 200);
      await waitFor('the VM to show its real state again', async () => (await vmState(t, admin, created.vmId)) === 'RUNNING', 15_000, 200);
      const deleted = await vmMutation(t, admin, action('deleteVm'), { id: created.vmId });
      assert.equal(deleted.task.status, 'SUCCEEDED');
      const removed = await t.gql('mutation($id: ID!) { removeHost(id: $id) { __typename } }', { id: hostId }, { cookie: admin });
      assert.equal(removed.data.removeHost.__typename, 'Host');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a host with VMs cannot be removed', async () => {
    const created = await createVm(t, admin, { name: 'anchor', start: false });
    const { data } = await t.gql('{ hosts { id name } }', {}, { cookie: admin });
    const local = data.hosts.find((h: any) => h.name === 'local');
    const removed = await t.gql('mutation($id: ID!) { removeHost(id: $id) { __typename ... on Error { message } } }', { id: local.id }, { cookie: admin });
    assert.equal(removed.data.removeHost.__typename, 'ConflictError');
    await vmMutation(t, admin, action('deleteVm'), { id: created.vmId });
  });
});

describe('hooks replace or wrap host actions (embedded PGlite)', () => {
  let t: TestHangar;
  let admin: string;
  let hooks: string;
  before(async () => {
    hooks = await mkdtemp(join(tmpdir(), 'hangar-hooks-'));
    const script = async (name: string, body: string) => {
      await writeFile(join(hooks, name), `#!/bin/sh\n${body}\n`);
      await chmod(join(hooks, name), 0o755);
    };
    // vm.reboot replaced: the built-in never runs; the hook sees its parameters and speaks to the task log.
    await script('vm.reboot', `cat > "${hooks}/reboot.json"\necho "custom reboot of $HANGAR_VM_ID on $HANGAR_HOST"\necho "$HANGAR_ACTION" > "${hooks}/reboot.action"`);
    await script('pre-vm.suspend', `echo pre >> "${hooks}/order"`);
    await script('post-vm.suspend', `echo post >> "${hooks}/order"`);
    await script('vm.reset', `echo "no reset today" >&2\nexit 3`);
    t = await startTestHangar('pglite', { HANGAR_HOOKS_DIR: hooks, HANGAR_RECONCILE_SECONDS: '1' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
  });
  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await rm(hooks, { recursive: true, force: true });
  });

  test('a replacing hook runs instead of the built-in; pre/post wrap it; a failing hook fails the task with its stderr', async () => {
    const created = await createVm(t, admin, { name: 'hooked' });
    const id = rawId(created.vmId);
    assert.equal(await domState(id), 'running');

    const reboot = await vmMutation(t, admin, action('rebootVm'), { id: created.vmId });
    assert.equal(reboot.task.status, 'SUCCEEDED');
    assert.deepEqual(reboot.task.log.map((l: any) => l.line), [`custom reboot of ${id} on local`]);
    const params = JSON.parse(await readFile(join(hooks, 'reboot.json'), 'utf8'));
    assert.equal(params.vmId, id);
    assert.equal(params.vmName, 'hooked');
    assert.equal((await readFile(join(hooks, 'reboot.action'), 'utf8')).trim(), 'vm.reboot');

    const suspend = await vmMutation(t, admin, action('suspendVm'), { id: created.vmId });
    assert.equal(suspend.task.status, 'SUCCEEDED');
    assert.equal(await domState(id), 'paused', 'the built-in suspend ran between the hooks');
    assert.equal(await readFile(join(hooks, 'order'), 'utf8'), 'pre\npost\n');

    const reset = await vmMutation(t, admin, action('resetVm'), { id: created.vmId });
    assert.equal(reset.task.status, 'FAILED');
    assert.match(reset.task.error, /no reset today/);

    const deleted = await vmMutation(t, admin, action('deleteVm'), { id: created.vmId });
    assert.equal(deleted.task.status, 'SUCCEEDED');
    assert.equal(await domState(id), null);
  });
});
