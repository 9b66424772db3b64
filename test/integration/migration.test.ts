// Moving VMs between two real libvirtd: this machine's and the second host of scripts/test-host
// (its own namespaces, reached by qemu+tcp over a veth pair). A Debian guest migrates live with its
// disk copied, its guest agent answering before and after and its uptime still counting; a
// firmware guest migrates live on storage both hosts see, and cold when stopped; the refusals touch
// nothing, and an ordinary user may not migrate.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { agentAnswers, guestSh } from '../support/guest.ts';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { uploadImage } from '../support/images.ts';
import { LOCAL_URI, rawId, removeLeftoverVms, virsh, waitFor, waitForTask } from '../support/libvirt.ts';
import { holdSecondHost, SECOND_HOST, startSecondHost, virsh2 } from '../support/second-host.ts';
import { testImagePath } from '../support/test-image.ts';

const DEPLOY_TIMEOUT_MS = 10 * 60_000;
const SHARED = { pool: 'hangar-shared-disks' };
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) {
  __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;
const MIGRATE = `mutation($id: ID!, $input: MigrateVmInput) { migrateVm(id: $id, input: $input) {
  __typename ... on MigrateVmPayload { reason task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;
const UPDATE_HOST = `mutation($id: ID!, $input: UpdateHostInput!) { updateHost(id: $id, input: $input) { __typename ... on Error { message } } }`;

describe('migration between two real hosts', { timeout: 30 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let local: string;
  let hv2: string;
  /** The Debian guest of the first test, back on this machine. */
  let debianVm = '';

  let release: (() => void) | undefined;
  /** Hooks are looked up at each run: the hook test puts one here for a while. */
  let hooks = '';
  before(async () => {
    // One after the other: a Hangar started beside a second host that failed would outlive the file.
    release = await holdSecondHost('shared');
    await startSecondHost();
    // Host local gives VMs no NIC: hv2 has no network of that name.
    hooks = await mkdtemp(join(tmpdir(), 'hangar-migrate-hooks-'));
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2', HANGAR_LOCAL_NETWORK: 'none', HANGAR_HOOKS_DIR: hooks }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    local = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
    // This machine takes migrations on its end of the veth pair.
    const set = await t.gql(UPDATE_HOST, { id: local, input: { settings: { migrationAddress: SECOND_HOST.localAddress } } }, { cookie: admin });
    assert.equal(set.data.updateHost.__typename, 'Host', JSON.stringify(set));
    const added = await t.gql(`mutation($input: AddHostInput!) { addHost(input: $input) { __typename ... on Host { id } ... on Error { message } } }`, { input: { name: 'hv2', uri: SECOND_HOST.uri, settings: { vncListen: SECOND_HOST.address } } }, { cookie: admin });
    assert.equal(added.data.addHost.__typename, 'Host', JSON.stringify(added));
    hv2 = added.data.addHost.id;
  });

  after(async () => {
    if (t) {
      const vms = await t.hangar.db.selectFrom('vms').select('id').where('deleted_at', 'is', null).execute();
      const onHv2 = await volumes(SECOND_HOST.uri, 'hangar-disks').catch(() => [] as string[]);
      for (const { id } of vms) {
        await virsh2('destroy', id).catch(() => {});
        await virsh2('undefine', id, '--nvram').catch(() => {});
        for (const name of onHv2.filter((n) => n.startsWith(id))) await virsh2('vol-delete', '--pool', 'hangar-disks', name).catch(() => {});
      }
      await removeLeftoverVms(t);
    }
    await t?.stop();
    if (hooks) await rm(hooks, { recursive: true, force: true });
    release?.();
  });

  const vmOf = async (id: string) => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { state host { name } } } }`, { id }, { cookie: admin })).data.node;
  const volumes = async (uri: string, pool: string) => {
    const out = uri === LOCAL_URI ? await virsh('vol-list', '--pool', pool) : await virsh2('vol-list', '--pool', pool);
    return out.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((n) => n && n !== 'Name' && !n.startsWith('-'));
  };
  const onHost = async (uri: string, id: string) => (uri === LOCAL_URI ? virsh('domstate', id) : virsh2('domstate', id)).then((s) => s.trim(), () => null);

  /**
   * The guest agent answers (guest-ping: nothing to start in the guest) on that host within five
   * minutes. A TCG guest that just arrived runs slowly at first (its code translated anew), and
   * slower still on a loaded two-core machine: a command that forks in the guest can take minutes.
   */
  async function agentAnswering(id: string, uri: string): Promise<void> {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      if (await agentAnswers(id, uri, 30)) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.fail(`the guest agent did not answer guest-ping on ${uri} within 300 s (domain ${await onHost(uri, id)})`);
  }

  async function createVm(name: string, input: Record<string, unknown> = {}): Promise<string> {
    const created = await t.gql(CREATE, { i: { name, vcpus: 1, memoryMb: 256, diskGb: 1, hostId: local, ...input } }, { cookie: admin });
    assert.equal(created.data.createVm.__typename, 'VmTaskPayload', JSON.stringify(created));
    const task = await waitForTask(t, admin, created.data.createVm.task.id, DEPLOY_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return created.data.createVm.vm.id;
  }

  async function migrate(vmId: string, input: Record<string, unknown> = {}): Promise<{ reason: string; task: any }> {
    const queued = await t.gql(MIGRATE, { id: vmId, input }, { cookie: admin });
    assert.equal(queued.data.migrateVm.__typename, 'MigrateVmPayload', JSON.stringify(queued));
    return { reason: queued.data.migrateVm.reason, task: await waitForTask(t, admin, queued.data.migrateVm.task.id, 5 * 60_000) };
  }

  test('a running Debian guest moves live with its disk copied: the agent answers there, its uptime kept counting, nothing is left here', { timeout: DEPLOY_TIMEOUT_MS + 15 * 60_000 }, async () => {
    const image = await uploadImage(t, admin, await testImagePath(), { name: 'Debian 12 (test)', osFamily: 'debian', osVersion: '12', cloudInit: true, defaultUser: 'debian' });
    const vmId = await createVm('mover', { imageId: image.id, memoryMb: 768, diskGb: 4, guest: { password: 'correct-Horse-7' } });
    const id = rawId(vmId);
    const uptime = async (uri: string) => Number((await guestSh(id, 'cut -d" " -f1 /proc/uptime', 180_000, uri)).trim());
    const before = await uptime(LOCAL_URI);

    // No target named: the only other host, and why.
    const { reason, task } = await migrate(vmId, { maxDowntimeMs: 300 });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.match(reason, /most free memory: .* free after overcommit/);
    assert.deepEqual(task.steps.map((s: any) => s.state), ['DONE', 'DONE', 'DONE', 'DONE', 'DONE', 'DONE']);
    assert.match(task.steps[0].message, /Live migration to hv2; disks copied/);
    assert.match(task.log.map((l: any) => l.line).join('\n'), /downtime \d+ ms/);

    assert.equal(await onHost(SECOND_HOST.uri, id), 'running');
    assert.equal(await onHost(LOCAL_URI, id), null, 'undefined here');
    assert.ok(!(await volumes(LOCAL_URI, 'hangar-disks')).some((n) => n.startsWith(id)), 'no volume of it left here');
    assert.ok((await volumes(SECOND_HOST.uri, 'hangar-disks')).includes(`${id}.qcow2`));
    await agentAnswering(id, SECOND_HOST.uri);
    const after = await uptime(SECOND_HOST.uri);
    assert.ok(after > before, `the guest kept running (uptime ${before} s, then ${after} s)`);
    assert.deepEqual(await vmOf(vmId), { state: 'RUNNING', host: { name: 'hv2' } });

    // And back, to the host named.
    const back = await migrate(vmId, { targetHostId: local });
    assert.equal(back.task.status, 'SUCCEEDED', JSON.stringify(back.task));
    assert.match(back.reason, /chosen by you/);
    assert.equal(await onHost(LOCAL_URI, id), 'running');
    assert.equal(await onHost(SECOND_HOST.uri, id), null);
    assert.ok(!(await volumes(SECOND_HOST.uri, 'hangar-disks')).some((n) => n.startsWith(id)), 'nothing left on hv2');
    await agentAnswering(id, LOCAL_URI);
    assert.ok((await uptime(LOCAL_URI)) > after, 'still the same boot');
    debianVm = vmId;
  });

  test('a running migration cancelled: libvirt’s job is aborted, the guest runs on here, nothing is left on the target', async (t2) => {
    if (!debianVm) return t2.skip('needs the Debian guest of the test before');
    const id = rawId(debianVm);
    // Slow enough to be caught running: 1 MiB/s (libvirt holds the disk mirror to it too).
    const queued = await t.gql(MIGRATE, { id: debianVm, input: { targetHostId: hv2, bandwidthMiBs: 1 } }, { cookie: admin });
    const taskId = queued.data.migrateVm.task.id;
    await waitFor(
      'the copy under way',
      async () => {
        const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Task { steps { name state progress } } } }`, { id: taskId }, { cookie: admin });
        return data.node.steps.some((s: any) => s.name.startsWith('Copy the') && s.state === 'RUNNING' && s.progress > 0);
      },
      120_000,
      250,
    );
    assert.equal((await vmOf(debianVm)).state, 'MIGRATING');
    const cancelled = await t.gql(`mutation($id: ID!) { cancelTask(id: $id) { __typename ... on Error { message } } }`, { id: taskId }, { cookie: admin });
    assert.equal(cancelled.data.cancelTask.__typename, 'CancelTaskPayload', JSON.stringify(cancelled));
    const task = await waitForTask(t, admin, taskId, 120_000);
    assert.notEqual(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.equal(await onHost(LOCAL_URI, id), 'running');
    assert.equal(await onHost(SECOND_HOST.uri, id), null, 'no domain on hv2');
    assert.ok(!(await volumes(SECOND_HOST.uri, 'hangar-disks')).some((n) => n.startsWith(id)), 'no volume on hv2');
    assert.ok(await agentAnswers(id), 'the guest still answers here');
    await waitFor('the VM running on local again', async () => JSON.stringify(await vmOf(debianVm)) === JSON.stringify({ state: 'RUNNING', host: { name: 'local' } }), 20_000, 200);
  });

  test('refusals say why and queue nothing: the same host, a host in maintenance, a host without room, a user without VM.Migrate', async () => {
    const vmId = await createVm('refused');
    const refused = async (input: Record<string, unknown>, cookie = admin) => (await t.gql(MIGRATE, { id: vmId, input }, { cookie })).data?.migrateVm ?? (await t.gql(MIGRATE, { id: vmId, input }, { cookie })).errors;
    const same = await refused({ targetHostId: local });
    assert.equal(same.__typename, 'ValidationError', JSON.stringify(same));
    assert.match(same.fieldErrors[0].message, /on local already/);

    await t.gql(UPDATE_HOST, { id: hv2, input: { maintenance: true } }, { cookie: admin });
    const maintenance = await refused({ targetHostId: hv2 });
    assert.match(maintenance.message, /hv2 is in maintenance/);
    const nowhere = await refused({});
    assert.match(nowhere.message, /no other online host/i);
    await t.gql(UPDATE_HOST, { id: hv2, input: { maintenance: false, settings: { memoryOvercommit: 0.1, cpuOvercommit: 0.1 } } }, { cookie: admin });
    const full = await refused({ targetHostId: hv2 });
    assert.equal(full.__typename, 'NoCapacityError', JSON.stringify(full));
    assert.match(full.message, /hv2 cannot take the VM: it has no room for 1 vCPU and 256 MiB/);
    await t.gql(UPDATE_HOST, { id: hv2, input: { settings: { memoryOvercommit: 1, cpuOvercommit: 4 } } }, { cookie: admin });

    const user = await userWithRole(t, admin, 'User');
    const denied = await t.gql(MIGRATE, { id: vmId, input: {} }, { cookie: user.cookie });
    assert.ok(denied.errors?.some((e: any) => e.extensions?.code === 'FORBIDDEN') || denied.data?.migrateVm?.__typename === 'NotFoundError', JSON.stringify(denied));
    const tasks = await t.hangar.db.selectFrom('tasks').select('id').where('operation', '=', 'vm.migrate').where('vm_id', '=', rawId(vmId)).execute();
    assert.deepEqual(tasks, [], 'nothing was queued');
    assert.equal(await onHost(LOCAL_URI, rawId(vmId)), 'running');
  });

  test('a stopped VM moves cold: its disk copied, its domain defined there, nothing left here', async () => {
    const vmId = await createVm('cold', { start: false });
    const id = rawId(vmId);
    const { task } = await migrate(vmId, { targetHostId: hv2 });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.equal(task.steps.find((s: any) => s.name === 'Copy the memory').state, 'SKIPPED');
    assert.equal(await onHost(SECOND_HOST.uri, id), 'shut off');
    assert.equal(await onHost(LOCAL_URI, id), null);
    assert.ok((await volumes(SECOND_HOST.uri, 'hangar-disks')).includes(`${id}.qcow2`));
    assert.ok(!(await volumes(LOCAL_URI, 'hangar-disks')).some((n) => n.startsWith(id)));
    // It starts there.
    const started = await t.gql(`mutation($id: ID!) { startVm(id: $id) { ... on VmTaskPayload { task { id } } } }`, { id: vmId }, { cookie: admin });
    assert.equal((await waitForTask(t, admin, started.data.startVm.task.id)).status, 'SUCCEEDED');
    assert.equal(await onHost(SECOND_HOST.uri, id), 'running');
    await waitFor('the VM running on hv2', async () => JSON.stringify(await vmOf(vmId)) === JSON.stringify({ state: 'RUNNING', host: { name: 'hv2' } }), 20_000, 200);
  });

  test('on storage both hosts see, only the memory moves and the disk stays where it is', async () => {
    // A directory both hosts see at the same path (hv2's /var/lib/libvirt is its own; /srv is shared).
    const path = `/srv/hangar-shared/${SHARED.pool}`;
    for (const run of [virsh, virsh2]) {
      await run('pool-destroy', SHARED.pool).catch(() => {});
      await run('pool-undefine', SHARED.pool).catch(() => {});
      await run('pool-define-as', SHARED.pool, 'dir', '--target', path);
      await run('pool-build', SHARED.pool);
      await run('pool-start', SHARED.pool);
    }
    for (const host of [local, hv2]) {
      const set = await t.gql(UPDATE_HOST, { id: host, input: { settings: { diskPool: SHARED.pool, diskPoolShared: true } } }, { cookie: admin });
      assert.equal(set.data.updateHost.__typename, 'Host', JSON.stringify(set));
    }
    try {
      const vmId = await createVm('shared');
      const id = rawId(vmId);
      const disk = (await virsh('vol-path', '--pool', SHARED.pool, `${id}.qcow2`)).trim();
      const { task } = await migrate(vmId, { targetHostId: hv2 });
      assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
      assert.equal(task.steps.find((s: any) => s.name === 'Copy the disks').state, 'SKIPPED');
      assert.match(task.steps[0].message, /shared storage: only memory moves/);
      assert.equal(await onHost(SECOND_HOST.uri, id), 'running');
      assert.match(await virsh2('dumpxml', id), new RegExp(`<source file='${disk}'`), 'the same disk file');
      assert.equal((await virsh('vol-path', '--pool', SHARED.pool, `${id}.qcow2`)).trim(), disk, 'the disk was not deleted');
      const deleted = await t.gql(`mutation($id: ID!) { deleteVm(id: $id) { ... on VmTaskPayload { task { id } } } }`, { id: vmId }, { cookie: admin });
      assert.equal((await waitForTask(t, admin, deleted.data.deleteVm.task.id)).status, 'SUCCEEDED');
    } finally {
      for (const host of [local, hv2]) await t.gql(UPDATE_HOST, { id: host, input: { settings: { diskPool: 'hangar-disks', diskPoolShared: false } } }, { cookie: admin });
      for (const run of [virsh, virsh2]) {
        await run('pool-destroy', SHARED.pool).catch(() => {});
        await run('pool-undefine', SHARED.pool).catch(() => {});
      }
    }
  });
  test('a drain moves every VM of hv2 here (running ones live, a stopped one cold as asked), one task per VM under a parent that follows them', { timeout: 10 * 60_000 }, async () => {
    // hv2 holds the cold VM of the test before (running now); two more are made there.
    const running = await createVm('drain-run', { hostId: hv2 });
    const stopped = await createVm('drain-stopped', { hostId: hv2, start: false });
    const onHv2 = async () => (await t.gql(`{ vms { edges { node { id name host { name } } } } }`, {}, { cookie: admin })).data.vms.edges.map((e: any) => e.node).filter((v: any) => v.host?.name === 'hv2');
    const three = (await onHv2()).map((v: any) => v.name).sort();
    assert.deepEqual(three, ['cold', 'drain-run', 'drain-stopped']);
    const DRAIN = `mutation($id: ID!, $input: SetHostMaintenanceInput!) { setHostMaintenance(id: $id, input: $input) {
      __typename ... on SetHostMaintenancePayload { host { status } task { id status error steps { name state } log { line warning } } } ... on Error { message } } }`;

    // Asked without maintenance, or when no other host has room: refused, or failed saying which VMs stay; nothing queued.
    const without = (await t.gql(DRAIN, { id: hv2, input: { maintenance: false, drain: true } }, { cookie: admin })).data.setHostMaintenance;
    assert.equal(without.__typename, 'ConflictError', JSON.stringify(without));
    await t.gql(UPDATE_HOST, { id: local, input: { settings: { memoryOvercommit: 0.1, cpuOvercommit: 0.1 } } }, { cookie: admin });
    const full = (await t.gql(DRAIN, { id: hv2, input: { maintenance: true, drain: true, stoppedVms: 'MOVE' } }, { cookie: admin })).data.setHostMaintenance;
    await t.gql(UPDATE_HOST, { id: local, input: { settings: { memoryOvercommit: 1, cpuOvercommit: 4 } } }, { cookie: admin });
    assert.equal(full.task.status, 'FAILED', JSON.stringify(full));
    assert.match(full.task.error, /^No VM could move: cold stays: No other host can take the VM: local: it has no room for 1 vCPU and 256 MiB/, JSON.stringify(full));
    assert.equal(full.task.log.filter((l: any) => l.warning).length, 2, 'the two running VMs are named as staying');
    assert.equal((await t.hangar.db.selectFrom('tasks').select('id').where('parent_task_id', '=', rawId(full.task.id)).execute()).length, 0);
    assert.equal((await onHv2()).length, 3);

    // A drain cancelled while its migrations run (slowed to 1 MiB/s): each is aborted, every VM stays on hv2.
    const slow = (await t.gql(DRAIN, { id: hv2, input: { maintenance: true, drain: true, bandwidthMiBs: 1 } }, { cookie: admin })).data.setHostMaintenance;
    assert.equal(slow.task.steps.length, 2, 'the stopped VM is left (LEAVE)');
    assert.match(slow.task.log.map((l: any) => l.line).join('\n'), /drain-stopped stays \(stopped/);
    await waitFor('both migrations copying', async () => {
      const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Task { steps { state } } } }`, { id: slow.task.id }, { cookie: admin });
      return data.node.steps.every((s: any) => s.state === 'RUNNING');
    }, 120_000, 250);
    const cancelled = await t.gql(`mutation($id: ID!) { cancelTask(id: $id) { __typename ... on Error { message } } }`, { id: slow.task.id }, { cookie: admin });
    assert.equal(cancelled.data.cancelTask.__typename, 'CancelTaskPayload', JSON.stringify(cancelled));
    const stopped1 = await waitForTask(t, admin, slow.task.id, 6 * 60_000);
    assert.equal(stopped1.status, 'CANCELLED', JSON.stringify(stopped1));
    assert.equal((await onHv2()).length, 3, 'every VM stays on hv2');
    assert.equal(await onHost(SECOND_HOST.uri, rawId(running)), 'running');
    assert.equal(await onHost(LOCAL_URI, rawId(running)), null, 'nothing left here');

    const drained = (await t.gql(DRAIN, { id: hv2, input: { maintenance: true, drain: true, stoppedVms: 'MOVE', maxDowntimeMs: 300 } }, { cookie: admin })).data.setHostMaintenance;
    assert.equal(drained.__typename, 'SetHostMaintenancePayload', JSON.stringify(drained));
    assert.equal(drained.host.status, 'MAINTENANCE');
    assert.deepEqual(drained.task.steps.map((s: any) => s.name).sort(), ['Move cold to local', 'Move drain-run to local', 'Move drain-stopped to local']);
    // The host page's view of it, live until the last child ends.
    const task = await waitForTask(t, admin, drained.task.id, 5 * 60_000);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.deepEqual(task.steps.map((s: any) => s.state), ['DONE', 'DONE', 'DONE']);
    const page = (await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { status lastDrain { id status children { operation status vm { id name state } } } } } }`, { id: hv2 }, { cookie: admin })).data.node;
    assert.equal(page.lastDrain.id, drained.task.id);
    assert.deepEqual(page.lastDrain.children.map((c: any) => [c.operation, c.status, c.vm.name, c.vm.state]).sort(), [
      ['vm.migrate', 'SUCCEEDED', 'cold', 'RUNNING'],
      ['vm.migrate', 'SUCCEEDED', 'drain-run', 'RUNNING'],
      ['vm.migrate', 'SUCCEEDED', 'drain-stopped', 'STOPPED'],
    ]);
    assert.deepEqual(await onHv2(), [], 'no VM left on hv2');
    assert.equal(await onHost(LOCAL_URI, rawId(running)), 'running');
    assert.equal(await onHost(LOCAL_URI, rawId(stopped)), 'shut off');
    // (Other files may use hv2 meanwhile: only these three VMs are looked for.)
    const ids = page.lastDrain.children.map((c: any) => rawId(c.vm.id));
    for (const id of ids) assert.equal(await onHost(SECOND_HOST.uri, id), null, 'no domain left on hv2');
    assert.ok(!(await volumes(SECOND_HOST.uri, 'hangar-disks')).some((n) => ids.some((id: string) => n.startsWith(id))), 'no volume left on hv2');
    // A second drain while the host is empty ends at once; maintenance ends when asked.
    const again = (await t.gql(DRAIN, { id: hv2, input: { maintenance: true, drain: true } }, { cookie: admin })).data.setHostMaintenance;
    assert.equal(again.task.status, 'SUCCEEDED', JSON.stringify(again));
    const back = (await t.gql(DRAIN, { id: hv2, input: { maintenance: false } }, { cookie: admin })).data.setHostMaintenance;
    assert.equal(back.host.status, 'ONLINE');
    assert.equal(back.task, null);
  });
  test('an administrator’s vm.migrate hook replaces the built-in: it is told the target’s URI, and Hangar records the move only when the domain really went', async () => {
    const hook = join(hooks, 'vm.migrate');
    await t.gql(UPDATE_HOST, { id: hv2, input: { maintenance: false } }, { cookie: admin });
    // Moves the definition only (as with storage the hook's owner knows both hosts share).
    await writeFile(hook, '#!/bin/sh\necho "moving $HANGAR_VM_NAME to $HANGAR_TARGET_HOST"\nexec virsh -q -c "$HANGAR_URI" migrate --offline --persistent --undefinesource "$HANGAR_VM_ID" "$HANGAR_TARGET_URI"\n');
    await chmod(hook, 0o755);
    try {
      const vmId = await createVm('hooked', { start: false });
      const id = rawId(vmId);
      const { task } = await migrate(vmId, { targetHostId: hv2 });
      assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
      assert.ok(task.steps.every((s: any) => s.message === 'Done by the vm.migrate hook'), JSON.stringify(task.steps));
      assert.match(task.log.map((l: any) => l.line).join('\n'), /moving hooked to hv2/);
      assert.equal(await onHost(SECOND_HOST.uri, id), 'shut off');
      assert.equal(await onHost(LOCAL_URI, id), null);
      assert.deepEqual(await vmOf(vmId), { state: 'STOPPED', host: { name: 'hv2' } });
      // Its disk stayed here (the hook moved no disk): removed by hand.
      await virsh2('undefine', id).catch(() => {});
      await virsh('vol-delete', '--pool', 'hangar-disks', `${id}.qcow2`).catch(() => {});

      // A hook that does nothing is caught: the VM is still here, and its row says so.
      await writeFile(hook, '#!/bin/sh\necho "doing nothing"\n');
      const idle = await createVm('hook-idle', { start: false });
      const failed = await migrate(idle, { targetHostId: hv2 });
      assert.equal(failed.task.status, 'FAILED', JSON.stringify(failed.task));
      assert.match(failed.task.error, /The vm.migrate hook ended, but the VM is still on local/);
      assert.deepEqual(await vmOf(idle), { state: 'STOPPED', host: { name: 'local' } });
    } finally {
      await rm(hook, { force: true });
    }
  });
});
