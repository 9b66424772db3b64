// Honest task outcomes and states (issue 18), on a real libvirtd with firmware-only guests (a blank
// disk: they boot at once and ignore ACPI). Steps are held with HANGAR_TEST_STEP_HOLD_DIR
// (jobs/step-hold.ts) to look at a task while it is queued or running.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { ADMIN, setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { uploadImage } from '../support/images.ts';
import { domState, rawId, removeLeftoverVms, VM_FIELDS, vmMutation, volumeExists, waitFor, waitForTask } from '../support/libvirt.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { ${VM_FIELDS} } task { id } } ... on Error { message } } }`;
const action = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { __typename ... on VmTaskPayload { vm { id state } task { id status } } ... on Error { message } } }`;
const CANCEL = `mutation($id: ID!) { cancelTask(id: $id) { __typename ... on CancelTaskPayload { task { id status cancelRequested canCancel } } ... on Error { message } } }`;
const TASK = `query($id: ID!) { node(id: $id) { ... on Task { id status error warnings cancelRequested canCancel log { line warning } steps { name state message } } } }`;
const SMALL = { vcpus: 1, memoryMb: 128, diskGb: 1 };

describe('task outcomes and VM states on real libvirt (Postgres, Redis)', () => {
  let t: TestHangar;
  let admin: string;
  let holdDir: string;
  const hold = (operation: string, step: number) => writeFile(join(holdDir, `${operation}.${step}`), '');
  const release = (operation: string, step: number) => unlink(join(holdDir, `${operation}.${step}`)).catch(() => {});
  /** Runs fn while the step is held (fn releases it once it has looked); released in any case. */
  const whileHeld = async (operation: string, step: number, fn: () => Promise<void>) => {
    await hold(operation, step);
    try {
      await fn();
    } finally {
      await release(operation, step);
    }
  };

  before(async () => {
    holdDir = await mkdtemp(join(tmpdir(), 'wtb-step-hold-'));
    // A start of a VM named wtb-fail… fails before it begins (a pre-hook that refuses it).
    const hooks = join(holdDir, 'hooks');
    await mkdir(hooks);
    await writeFile(join(hooks, 'pre-vm.start'), '#!/bin/sh\ncase "$HANGAR_VM_NAME" in wtb-fail*) echo "refused by the test" >&2; exit 1;; esac\n');
    await chmod(join(hooks, 'pre-vm.start'), 0o755);
    // Imports from this machine are allowed: a file server of the test's own serves them.
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '1', HANGAR_TEST_STEP_HOLD_DIR: holdDir, HANGAR_IMPORT_ALLOWED_NETWORKS: '127.0.0.0/8', HANGAR_HOOKS_DIR: join(holdDir, 'hooks') }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
  });
  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await rm(holdDir, { recursive: true, force: true });
  });

  const gql = (query: string, variables: Record<string, unknown>, cookie = admin) => t.gql(query, variables, { cookie });
  const vmState = async (id: string) => (await gql(`query($id: ID!) { node(id: $id) { ... on Vm { state stateMessage } } }`, { id })).data.node;
  const listedState = async (id: string) => (await gql('{ vms { edges { node { id state } } } }', {})).data.vms.edges.map((e: any) => e.node).find((n: any) => n.id === id)?.state;
  const task = async (id: string, cookie = admin) => (await gql(TASK, { id }, cookie)).data.node;
  const waitForStep = (taskId: string, step: string) => waitFor(`step ${step} running`, async () => ((await task(taskId)).steps.find((s: any) => s.name === step)?.state === 'RUNNING' ? true : null), 30_000, 100);
  const created = async (name: string, start = true) => {
    const made = await vmMutation(t, admin, CREATE, { i: { ...SMALL, name, start } });
    assert.equal(made.task.status, 'SUCCEEDED', JSON.stringify(made.task));
    return made.vmId;
  };

  test('a shutdown the guest ignores succeeds with a warning, its log line marked; the VM shows STOPPING at once', async () => {
    const vmId = await created('wtb-ignores-acpi');
    const asked = (await gql(`mutation($id: ID!) { shutdownVm(id: $id, timeoutSeconds: 2) { ... on VmTaskPayload { vm { state } task { id } } } }`, { id: vmId })).data.shutdownVm;
    assert.equal(asked.vm.state, 'STOPPING', 'from the moment it is queued');
    const done = await waitForTask(t, admin, asked.task.id);
    assert.equal(done.status, 'SUCCEEDED');
    const shown = await task(asked.task.id);
    assert.deepEqual(shown.warnings, ['The guest did not shut down within 2 s: it was powered off (like pulling the plug)']);
    assert.deepEqual(shown.log.filter((l: any) => l.warning).map((l: any) => l.line), shown.warnings);
    assert.equal(await domState(rawId(vmId)), 'shut off');
    assert.equal((await vmState(vmId)).state, 'STOPPED');

    // A stop (pulling the plug as asked) is a plain success.
    const started = await vmMutation(t, admin, action('startVm'), { id: vmId });
    const stopped = await vmMutation(t, admin, action('stopVm'), { id: vmId });
    assert.equal(started.task.status, 'SUCCEEDED');
    assert.deepEqual((await task(stopped.task.id)).warnings, []);
    await vmMutation(t, admin, action('deleteVm'), { id: vmId });
  });

  test('a queued start shows STARTING at once and in lists, the host monitor leaves it, and the worker sets RUNNING', async () => {
    const vmId = await created('wtb-starting', false);
    await whileHeld('vm.start', 1, async () => {
      const asked = (await gql(action('startVm'), { id: vmId })).data.startVm;
      assert.equal(asked.vm.state, 'STARTING');
      assert.equal(await listedState(vmId), 'STARTING');
      await waitForStep(asked.task.id, 'Start the VM');
      // Three reconcile passes (every second) while the domain is still off: the state stays.
      await sleep(3000);
      assert.equal(await domState(rawId(vmId)), 'shut off');
      assert.equal((await vmState(vmId)).state, 'STARTING');
      // What the transitional state does not allow is refused, and changes nothing.
      const refused = (await gql(action('rebootVm'), { id: vmId })).data.rebootVm;
      assert.equal(refused.__typename, 'ConflictError');
      assert.match(refused.message, /not possible while the VM is starting/);
      await release('vm.start', 1);
      assert.equal((await waitForTask(t, admin, asked.task.id)).status, 'SUCCEEDED');
      assert.equal((await vmState(vmId)).state, 'RUNNING');
      assert.equal(await listedState(vmId), 'RUNNING');
    });
    await vmMutation(t, admin, action('deleteVm'), { id: vmId });
  });

  test('a start that fails gives the VM its real state back (STOPPED, with why), not STARTING', async () => {
    const vmId = await created('wtb-fail-start', false);
    const asked = (await gql(action('startVm'), { id: vmId })).data.startVm;
    assert.equal(asked.vm.state, 'STARTING');
    const done = await waitForTask(t, admin, asked.task.id);
    assert.equal(done.status, 'FAILED');
    assert.match(done.error, /refused by the test/);
    const vm = await vmState(vmId);
    assert.equal(vm.state, 'STOPPED');
    assert.match(vm.stateMessage, /refused by the test/);
    assert.equal(await listedState(vmId), 'STOPPED');
    await vmMutation(t, admin, action('deleteVm'), { id: vmId });
  });

  test('a queued action cancelled gives the VM its state back; a power action that has started finishes', async () => {
    const vmId = await created('wtb-cancel-queued');
    await whileHeld('vm.reboot', 1, async () => {
      const reboot = (await gql(action('rebootVm'), { id: vmId })).data.rebootVm;
      assert.equal(reboot.vm.state, 'REBOOTING');
      await waitForStep(reboot.task.id, 'Reboot');
      // A power-off may follow a reboot: it waits in the queue behind it.
      const stop = (await gql(action('stopVm'), { id: vmId })).data.stopVm;
      assert.equal(stop.vm.state, 'STOPPING');
      assert.equal((await task(stop.task.id)).canCancel, true);
      const cancelled = (await gql(CANCEL, { id: stop.task.id })).data.cancelTask;
      assert.equal(cancelled.__typename, 'CancelTaskPayload', JSON.stringify(cancelled));
      assert.equal(cancelled.task.status, 'CANCELLED');
      assert.equal((await vmState(vmId)).state, 'REBOOTING', 'the state it had when the power-off was queued');
      assert.equal((await gql(CANCEL, { id: stop.task.id })).data.cancelTask.__typename, 'ConflictError', 'already finished');
      // The running reboot is not cancellable: it finishes.
      assert.equal((await task(reboot.task.id)).canCancel, false);
      const refused = (await gql(CANCEL, { id: reboot.task.id })).data.cancelTask;
      assert.equal(refused.__typename, 'ConflictError');
      assert.match(refused.message, /that has started finishes/);
      await release('vm.reboot', 1);
      assert.equal((await waitForTask(t, admin, reboot.task.id)).status, 'SUCCEEDED');
      assert.equal((await vmState(vmId)).state, 'RUNNING');
      assert.equal(await domState(rawId(vmId)), 'running', 'the cancelled power-off never ran');
      const steps = (await task(stop.task.id)).steps;
      assert.deepEqual(steps.map((s: any) => s.state), ['SKIPPED']);
    });
    await vmMutation(t, admin, action('deleteVm'), { id: vmId });
  });

  test('cancelling needs the rights to act on the VM (an auditor sees the task but may not; a stranger does not see it); a reboot ending before a queued power-off leaves STOPPING', async () => {
    const vmId = await created('wtb-cancel-rights');
    await whileHeld('vm.reboot', 1, async () => {
      const reboot = (await gql(action('rebootVm'), { id: vmId })).data.rebootVm;
      const stop = (await gql(action('stopVm'), { id: vmId })).data.stopVm;
      const auditor = await userWithRole(t, admin, 'Auditor');
      assert.equal((await task(stop.task.id, auditor.cookie)).canCancel, false);
      const refused = (await gql(CANCEL, { id: stop.task.id }, auditor.cookie)).data.cancelTask;
      assert.equal(refused.__typename, 'PermissionError', JSON.stringify(refused));
      const stranger = await userWithRole(t, admin, 'User');
      assert.equal((await gql(CANCEL, { id: stop.task.id }, stranger.cookie)).data.cancelTask.__typename, 'NotFoundError');
      assert.equal((await task(stop.task.id)).status, 'QUEUED', 'nothing changed');
      // The reboot ends while the power-off waits behind it: the VM goes on showing STOPPING.
      await whileHeld('vm.stop', 1, async () => {
        await release('vm.reboot', 1);
        assert.equal((await waitForTask(t, admin, reboot.task.id)).status, 'SUCCEEDED');
        assert.equal((await vmState(vmId)).state, 'STOPPING');
        await waitForStep(stop.task.id, 'Power off');
        assert.equal((await vmState(vmId)).state, 'STOPPING');
      });
      assert.equal((await waitForTask(t, admin, stop.task.id)).status, 'SUCCEEDED');
      assert.equal((await vmState(vmId)).state, 'STOPPED');
    });
    await vmMutation(t, admin, action('deleteVm'), { id: vmId });
  });

  test('a running create cancelled stops before its next step and rolls back: no domain, no disk, the VM in ERROR', async () => {
    let vmId = '';
    await whileHeld('vm.create', 2, async () => {
      const asked = (await gql(CREATE, { i: { ...SMALL, name: 'wtb-cancel-running' } })).data.createVm;
      vmId = asked.vm.id;
      await waitForStep(asked.task.id, 'Define the domain');
      const cancelled = (await gql(CANCEL, { id: asked.task.id })).data.cancelTask;
      assert.equal(cancelled.__typename, 'CancelTaskPayload', JSON.stringify(cancelled));
      assert.equal(cancelled.task.status, 'RUNNING');
      assert.equal(cancelled.task.cancelRequested, true);
      assert.equal(cancelled.task.canCancel, false, 'asked once');
      await release('vm.create', 2);
      const done = await waitForTask(t, admin, asked.task.id);
      assert.equal(done.status, 'CANCELLED', JSON.stringify(done));
      assert.match(done.error, /^Cancelled by /);
      assert.deepEqual(done.steps.map((s: any) => s.state), ['DONE', 'DONE', 'SKIPPED'], 'the step under way finished; the next never started');
      const id = rawId(vmId);
      assert.equal(await domState(id), null, 'the domain was removed');
      assert.equal(await volumeExists('hangar-disks', `${id}.qcow2`), false, 'the disk was removed');
      const vm = await vmState(vmId);
      assert.equal(vm.state, 'ERROR');
      assert.match(vm.stateMessage, /Cancelled by /);
    });
    await vmMutation(t, admin, action('deleteVm'), { id: vmId });
  });

  test('deleting a VM whose creation runs cancels it instead of waiting behind it; the VM stays DELETING, then is gone', async () => {
    await whileHeld('vm.create', 2, async () => {
      const asked = (await gql(CREATE, { i: { ...SMALL, name: 'wtb-delete-while-made' } })).data.createVm;
      const vmId = asked.vm.id;
      await waitForStep(asked.task.id, 'Define the domain');
      const deleted = (await gql(action('deleteVm'), { id: vmId })).data.deleteVm;
      assert.equal(deleted.vm.state, 'DELETING');
      assert.equal((await task(asked.task.id)).cancelRequested, true);
      await release('vm.create', 2);
      const create = await waitForTask(t, admin, asked.task.id);
      assert.equal(create.status, 'CANCELLED');
      assert.match(create.error, /the VM is being deleted/);
      assert.equal((await waitForTask(t, admin, deleted.task.id)).status, 'SUCCEEDED');
      assert.equal((await vmState(vmId)).state, 'DELETED');
      const id = rawId(vmId);
      assert.equal(await domState(id), null);
      assert.equal(await volumeExists('hangar-disks', `${id}.qcow2`), false);
    });
  });

  test('deleting a VM whose deploy waits for its guest agent cancels the deploy at once: it rolls back, then the VM is deleted', async () => {
    // A blank disk as the image: the guest boots firmware only and its agent never answers (the wait is 600 s).
    const blank = join(holdDir, 'wtb-blank.qcow2');
    await promisify(execFile)('qemu-img', ['create', '-q', '-f', 'qcow2', blank, '64M']);
    const image = await uploadImage(t, admin, blank, { name: 'wtb-blank' });
    assert.equal(image.status, 'READY');
    const asked = (await gql(CREATE, { i: { ...SMALL, name: 'wtb-deploy-deleted', imageId: image.id } })).data.createVm;
    assert.equal(asked.__typename, 'VmTaskPayload', JSON.stringify(asked));
    await waitForStep(asked.task.id, 'Wait for the guest agent');
    const booting = (await task(asked.task.id)).steps.find((s: any) => s.name === 'Wait for the guest agent');
    assert.equal(booting.message, 'Waiting for the guest to boot');
    const id = rawId(asked.vm.id);
    assert.equal(await domState(id), 'running');

    const asking = Date.now();
    const deleted = (await gql(action('deleteVm'), { id: asked.vm.id })).data.deleteVm;
    assert.equal(deleted.vm.state, 'DELETING');
    assert.equal((await waitForTask(t, admin, deleted.task.id, 60_000)).status, 'SUCCEEDED');
    assert.ok(Date.now() - asking < 30_000, `the delete did not wait for the guest agent (${Date.now() - asking} ms)`);
    const deploy = await task(asked.task.id);
    assert.equal(deploy.status, 'CANCELLED');
    assert.match(deploy.error, /the VM is being deleted/);
    assert.equal(deploy.steps.find((s: any) => s.name === 'Wait for the guest agent').state, 'FAILED');
    assert.equal((await vmState(asked.vm.id)).state, 'DELETED');
    assert.equal(await domState(id), null);
    assert.equal(await volumeExists('hangar-disks', `${id}.qcow2`), false);
  });

  test('an import: a queued one cancelled leaves the queue and its image ERROR; a running one stops after its step and rolls back', async () => {
    const blank = join(holdDir, 'wtb-import.qcow2');
    await promisify(execFile)('qemu-img', ['create', '-q', '-f', 'qcow2', blank, '64M']);
    const files: Server = createServer((_req, res) => createReadStream(blank).pipe(res));
    await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/wtb-import.qcow2`;
    const IMPORT = `mutation($input: ImageInput!, $url: String!) { importImage(input: $input, url: $url) { __typename ... on ImportImagePayload { image { id } task { id } } ... on Error { message } } }`;
    const image = async (id: string) => (await gql(`query($id: ID!) { node(id: $id) { ... on Image { status statusMessage } } }`, { id })).data.node;
    try {
      await whileHeld('image.import', 1, async () => {
        // The images queue runs two at a time: the third waits.
        const started = [];
        for (const n of [1, 2, 3]) started.push((await gql(IMPORT, { input: { name: `wtb-import-${n}` }, url })).data.importImage);
        for (const s of started.slice(0, 2)) await waitForStep(s.task.id, 'Download');
        const [running, other, queued] = started;
        assert.equal((await task(queued.task.id)).status, 'QUEUED');
        const cancelled = (await gql(CANCEL, { id: queued.task.id })).data.cancelTask;
        assert.equal(cancelled.task.status, 'CANCELLED', JSON.stringify(cancelled));
        assert.deepEqual(await image(queued.image.id), { status: 'ERROR', statusMessage: `The import was cancelled (Cancelled by ${ADMIN.name})` });

        assert.equal((await gql(CANCEL, { id: running.task.id })).data.cancelTask.task.cancelRequested, true);
        await release('image.import', 1);
        const stopped = await waitForTask(t, admin, running.task.id);
        assert.equal(stopped.status, 'CANCELLED');
        assert.deepEqual(stopped.steps.map((s: any) => s.state), ['DONE', 'SKIPPED'], 'the download finished; the inspection never started');
        assert.equal((await image(running.image.id)).status, 'ERROR');
        assert.equal((await waitForTask(t, admin, other.task.id)).status, 'SUCCEEDED', 'the import not cancelled is made');
        assert.equal((await image(other.image.id)).status, 'READY');
        const incoming = await readdir(join(t.env.HANGAR_IMAGE_DIR!, 'incoming')).catch(() => []);
        assert.deepEqual(incoming, [], 'no download left behind');
      });
    } finally {
      files.close();
    }
  });
});
