// A live migration broken at its worst moment, on two real libvirtd (this machine's and the second
// host of scripts/test-host): its worker killed, the target's libvirtd killed, the link between the
// hosts cut, each while the copy runs. Each time exactly one copy of the guest runs afterwards (here,
// where it was), the VM's row says so, and nothing of it stays on the target: at once when the target
// answers, or as soon as it answers again. The file holds the second host alone (it breaks it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { killWorkers, startWorker, type WorkerProcess } from '../support/faults.ts';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { LOCAL_URI, rawId, virsh, waitFor, waitForTask } from '../support/libvirt.ts';
import { holdSecondHost, SECOND_HOST, startSecondHost, virsh2 } from '../support/second-host.ts';

const run = promisify(execFile);
const TEST_HOST = fileURLToPath(new URL('../../scripts/test-host', import.meta.url));
const testHost = (command: string) => run('bash', [TEST_HOST, command], { timeout: 60_000 });
const STALL_SECONDS = 15;
// Each test waits for a migration to fail and be cleared, longer than npm test's per-test default.
const TEST_TIMEOUT_MS = 8 * 60_000;
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;
const MIGRATE = `mutation($id: ID!, $input: MigrateVmInput) { migrateVm(id: $id, input: $input) { __typename ... on MigrateVmPayload { task { id } } ... on Error { message } } }`;
const UPDATE_HOST = `mutation($id: ID!, $input: UpdateHostInput!) { updateHost(id: $id, input: $input) { __typename ... on Error { message } } }`;

describe('a live migration broken while it copies', { timeout: 20 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let local: string;
  let hv2: string;
  let release: (() => void) | undefined;
  let worker: WorkerProcess;
  const made: string[] = [];
  const env = { HANGAR_MIGRATION_STALL_SECONDS: String(STALL_SECONDS), HANGAR_LOCAL_NETWORK: 'none' };

  before(async () => {
    release = await holdSecondHost('exclusive');
    await startSecondHost();
    t = await startTestHangar('postgres', { ...env, HANGAR_RECONCILE_SECONDS: '1' }, { processes: ['api'], registerLocalHost: true });
    worker = startWorker(t, env);
    admin = await setupAdmin(t);
    local = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
    await t.gql(UPDATE_HOST, { id: local, input: { settings: { migrationAddress: SECOND_HOST.localAddress } } }, { cookie: admin });
    const added = await t.gql(`mutation($input: AddHostInput!) { addHost(input: $input) { __typename ... on Host { id } ... on Error { message } } }`, { input: { name: 'hv2', uri: SECOND_HOST.uri, settings: { vncListen: SECOND_HOST.address } } }, { cookie: admin });
    assert.equal(added.data.addHost.__typename, 'Host', JSON.stringify(added));
    hv2 = added.data.addHost.id;
  });

  after(async () => {
    // Whatever a failure left: the link and the daemon back, then this file's domains and volumes on both hosts.
    await testHost('link-up').catch(() => {});
    await testHost('daemon-start').catch(() => {});
    await killWorkers();
    for (const id of made) {
      for (const v of [virsh, virsh2]) {
        await v('destroy', id).catch(() => {});
        await v('undefine', id, '--nvram').catch(() => {});
        await v('vol-delete', '--pool', 'hangar-disks', `${id}.qcow2`).catch(() => {});
      }
    }
    await t?.stop();
    release?.();
  });

  const state = async (uri: string, id: string) => (uri === LOCAL_URI ? virsh('domstate', id) : virsh2('domstate', id)).then((s) => s.trim(), () => null);
  const volumesOn = async (id: string) => (await virsh2('vol-list', '--pool', 'hangar-disks')).split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((n) => n.startsWith(id));
  const vmOf = async (vmId: string) => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { state host { name } } } }`, { id: vmId }, { cookie: admin })).data.node;

  /** A running firmware guest here (nothing to boot: quick, and its memory still moves). */
  async function runningVm(name: string): Promise<{ vmId: string; id: string }> {
    const created = await t.gql(CREATE, { i: { name, vcpus: 1, memoryMb: 256, diskGb: 1, hostId: local } }, { cookie: admin });
    assert.equal(created.data.createVm.__typename, 'VmTaskPayload', JSON.stringify(created));
    assert.equal((await waitForTask(t, admin, created.data.createVm.task.id, 120_000)).status, 'SUCCEEDED');
    const id = rawId(created.data.createVm.vm.id);
    made.push(id);
    return { vmId: created.data.createVm.vm.id, id };
  }

  /** Starts a migration to hv2 slowed enough to be caught, and waits until its copy moves. */
  async function copying(vmId: string, bandwidthMiBs: number): Promise<string> {
    const queued = await t.gql(MIGRATE, { id: vmId, input: { targetHostId: hv2, bandwidthMiBs } }, { cookie: admin });
    assert.equal(queued.data.migrateVm.__typename, 'MigrateVmPayload', JSON.stringify(queued));
    const taskId = queued.data.migrateVm.task.id;
    await waitFor(
      'the copy under way',
      async () => {
        const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Task { status steps { name state progress } } } }`, { id: taskId }, { cookie: admin });
        assert.ok(['QUEUED', 'RUNNING'].includes(data.node.status), JSON.stringify(data.node));
        return data.node.steps.some((s: any) => s.name.startsWith('Copy the') && s.state === 'RUNNING' && s.progress > 0);
      },
      120_000,
      250,
    );
    return taskId;
  }

  /** One running copy, here; the row says so; nothing of it on hv2. */
  async function onlyHere(vmId: string, id: string): Promise<void> {
    assert.equal(await state(LOCAL_URI, id), 'running');
    assert.equal(await state(SECOND_HOST.uri, id), null, 'no domain on hv2');
    assert.deepEqual(await volumesOn(id), [], 'no volume on hv2');
    await waitFor('the VM running here again', async () => JSON.stringify(await vmOf(vmId)) === JSON.stringify({ state: 'RUNNING', host: { name: 'local' } }), 20_000, 200);
  }

  test('its worker killed: the next worker finds the task, aborts libvirt’s job and clears the target', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { vmId, id } = await runningVm('fault-worker');
    const taskId = await copying(vmId, 1);
    worker.child.kill('SIGKILL');
    await worker.exited;
    // The virsh that drove it lives on (an orphan); the next worker ends what it started.
    worker = startWorker(t, env);
    const task = await waitForTask(t, admin, taskId, 3 * 60_000);
    assert.equal(task.status, 'FAILED', JSON.stringify(task));
    assert.match(task.error, /worker .*stopped/i);
    await onlyHere(vmId, id);
  });

  test('the target’s libvirtd killed: the guest runs on here; its copy there goes when the daemon is back', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { vmId, id } = await runningVm('fault-daemon');
    const taskId = await copying(vmId, 8);
    await testHost('daemon-kill');
    const task = await waitForTask(t, admin, taskId, 5 * 60_000);
    assert.equal(task.status, 'FAILED', JSON.stringify(task));
    assert.match(task.log.map((l: any) => l.line).join('\n'), /hv2 does not answer: what the migration made there is removed when it answers again/);
    assert.equal(await state(LOCAL_URI, id), 'running');
    await waitFor('the VM running here again', async () => JSON.stringify(await vmOf(vmId)) === JSON.stringify({ state: 'RUNNING', host: { name: 'local' } }), 20_000, 200);
    const left = await t.hangar.db.selectFrom('host_leftovers').select('vm_id').execute();
    assert.deepEqual(left, [{ vm_id: id }], 'what is left on hv2 is written down');

    await testHost('daemon-start');
    await waitFor('hv2 cleared', async () => (await t.hangar.db.selectFrom('host_leftovers').select('vm_id').execute()).length === 0, 60_000, 500);
    await onlyHere(vmId, id);
  });

  test('the link between the hosts cut: the stalled copy is aborted, the guest runs on here, nothing is left on hv2', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { vmId, id } = await runningVm('fault-link');
    const taskId = await copying(vmId, 8);
    // The far end of the link goes down: the copy's packets are dropped (nothing leaves by another way).
    await testHost('link-down');
    try {
      await waitFor(
        'the stall noticed',
        async () => {
          const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Task { log { line } } } }`, { id: taskId }, { cookie: admin });
          return data.node.log.some((l: any) => l.line.includes(`no progress for ${STALL_SECONDS} s: aborting`));
        },
        (STALL_SECONDS + 60) * 1000,
        500,
      );
    } finally {
      // Back after the abort: libvirt finishes cancelling the copies, the rollback clears hv2.
      await testHost('link-up');
    }
    const task = await waitForTask(t, admin, taskId, 5 * 60_000);
    assert.equal(task.status, 'FAILED', JSON.stringify(task));
    assert.match(task.error ?? '', new RegExp(`no progress for ${STALL_SECONDS} s`), JSON.stringify(task));
    await waitFor('hv2 cleared', async () => (await t.hangar.db.selectFrom('host_leftovers').select('vm_id').execute()).length === 0 && (await state(SECOND_HOST.uri, id)) === null, 90_000, 500);
    await onlyHere(vmId, id);
  });
});
