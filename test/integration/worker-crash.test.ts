// A worker killed with SIGKILL in the middle of a VM creation: once a worker runs again, the
// task ends (failed, with a reason) instead of staying RUNNING forever, what the dead worker had
// made on the host (domain and disk volume) is removed, and the VM's queue moves on. Likewise
// for an image import cut off mid-download: the image shows ERROR and the partial file goes.
// Real libvirtd (qemu:///system, TCG), Postgres and Redis; the workers are real `hangar worker`
// processes. Everything created is removed in `after`.
import assert from 'node:assert/strict';
import { access, chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freshPostgresDatabase, setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { alive, killWorkers, startWorker as startWorkerProcess, stopWorkers, type WorkerProcess } from '../support/faults.ts';
import { domState, rawId, TASK_FIELDS, virsh, volumeExists, waitFor, waitForTask } from '../support/libvirt.ts';

const POOL = 'hangar-disks';

const tempDirs: string[] = [];
let db: { url: string; drop: () => Promise<void> } | undefined;
let t: TestHangar | undefined;
let cookie = '';
let vmId: string | undefined;
let hookPidFile = '';

const startWorker = (hooksDir: string = join(tmpdir(), 'hangar-no-hooks')) => startWorkerProcess(t!, { HANGAR_HOOKS_DIR: hooksDir });

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Kills the hook left behind by the dead worker (it leads its own process group). */
async function killHook(): Promise<void> {
  const pid = Number((await readFile(hookPidFile, 'utf8').catch(() => '')).trim());
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function taskOf(taskId: string): Promise<any> {
  const { data, errors } = await t!.gql(`query($id: ID!) { node(id: $id) { ... on Task { ${TASK_FIELDS} startedAt finishedAt } } }`, { id: taskId }, { cookie });
  assert.equal(errors, undefined);
  return data.node;
}

/** The task once it has ended, while `worker` (the one expected to end it) stays up. */
async function taskEnded(what: string, taskId: string, worker: WorkerProcess, timeoutMs: number): Promise<any> {
  return waitFor(
    `${what} to end`,
    async () => {
      alive(worker);
      const found = await taskOf(taskId);
      return ['SUCCEEDED', 'FAILED'].includes(found.status) ? found : null;
    },
    timeoutMs,
    100,
  );
}

async function vmOf(globalId: string): Promise<any> {
  const { data, errors } = await t!.gql(`query($id: ID!) { node(id: $id) { ... on Vm { id name state stateMessage } } }`, { id: globalId }, { cookie });
  assert.equal(errors, undefined);
  return data.node;
}

before(async () => {
  db = await freshPostgresDatabase();
  // Imports from this machine are allowed: the stalling file server below is on 127.0.0.1.
  t = await startTestHangar('postgres', { DATABASE_URL: db.url, HANGAR_RECONCILE_SECONDS: '1', HANGAR_IMPORT_ALLOWED_NETWORKS: '127.0.0.0/8' }, { processes: ['api'], registerLocalHost: true });
  cookie = await setupAdmin(t);
});

after(async () => {
  // Best effort, each step on its own: one failure must not leave the rest behind.
  await killWorkers();
  if (hookPidFile) await killHook();
  await t?.stop().catch(() => {});
  await db?.drop().catch(() => {});
  if (vmId) {
    await virsh('destroy', vmId).catch(() => {});
    await virsh('undefine', vmId).catch(() => {});
    await virsh('vol-delete', '--pool', POOL, `${vmId}.qcow2`).catch(() => {});
  }
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

describe('a worker killed mid-operation', () => {
  test('after a restart the task fails with a reason, the host keeps nothing half-made, and the VM can be deleted', async (ctx) => {
    const scratch = await mkdtemp(join(tmpdir(), 'hangar-crash-'));
    tempDirs.push(scratch);
    const slowHooks = join(scratch, 'hooks-slow');
    const noHooks = join(scratch, 'hooks-none');
    const marker = join(scratch, 'post-create-ran');
    hookPidFile = join(scratch, 'hook.pid');
    await mkdir(slowHooks);
    await mkdir(noHooks);
    // Runs after the built-in create (volume, domain, start): it proves those are done, then hangs.
    const hook = join(slowHooks, 'post-vm.create');
    await writeFile(hook, `#!/bin/sh\necho $$ > '${hookPidFile}'\necho "$HANGAR_VM_ID" > '${marker}'\nexec sleep 60\n`);
    await chmod(hook, 0o755);

    let first: WorkerProcess | undefined;
    let second: WorkerProcess | undefined;
    try {
      first = startWorker(slowHooks);
      const started = Date.now();
      const created = await t!.gql(
        `mutation($input: CreateVmInput!) { createVm(input: $input) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`,
        { input: { name: 'crash-victim', vcpus: 1, memoryMb: 128, diskGb: 1 } },
        { cookie },
      );
      assert.equal(created.data?.createVm?.__typename, 'VmTaskPayload', JSON.stringify(created));
      const vmGlobalId: string = created.data.createVm.vm.id;
      const taskId: string = created.data.createVm.task.id;
      vmId = rawId(vmGlobalId);

      // The built-in create has run and the post hook hangs: the domain runs, the disk exists, the task runs.
      await waitFor(
        'the create to reach its post hook',
        async () => {
          alive(first!);
          return (await exists(marker)) && (await exists(hookPidFile));
        },
        60_000,
        100,
      );
      assert.equal((await readFile(marker, 'utf8')).trim(), vmId);
      assert.equal(await domState(vmId), 'running');
      assert.equal(await volumeExists(POOL, `${vmId}.qcow2`), true);
      assert.equal((await taskOf(taskId)).status, 'RUNNING');
      assert.equal((await vmOf(vmGlobalId)).state, 'CREATING');
      const reachedHook = Date.now() - started;

      first.child.kill('SIGKILL');
      assert.equal((await first.exited).signal, 'SIGKILL');
      await killHook();
      // Nobody has finished it: without a worker it would stay RUNNING.
      assert.equal((await taskOf(taskId)).status, 'RUNNING');

      second = startWorker(noHooks);
      const restarted = Date.now();
      const task = await taskEnded('the orphaned task', taskId, second, 20_000);
      const recovered = Date.now() - restarted;
      assert.equal(task.status, 'FAILED');
      assert.match(task.error, /worker .*stopped/i);
      assert.ok(task.finishedAt, 'the task has an end time');
      assert.ok(
        task.steps.every((s: any) => !['running', 'pending'].includes(String(s.state).toLowerCase())),
        `no step is left running or pending: ${JSON.stringify(task.steps)}`,
      );
      // Nothing half-made remains on the host.
      assert.equal(await domState(vmId), null, 'the domain is gone');
      assert.equal(await volumeExists(POOL, `${vmId}.qcow2`), false, 'the disk volume is gone');
      const vm = await vmOf(vmGlobalId);
      assert.equal(vm.state, 'ERROR');
      assert.match(vm.stateMessage ?? '', /worker .*stopped/i);
      assert.ok(second.logs.some((line) => line.includes('recovering a task whose worker died')), 'the new worker says it recovered the task');

      // The VM's queue is not blocked by the dead worker's job: its deletion runs.
      const deleting = Date.now();
      const deleted = await t!.gql(
        `mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } vm { state } } ... on Error { message } } }`,
        { id: vmGlobalId },
        { cookie },
      );
      assert.equal(deleted.data?.deleteVm?.__typename, 'VmTaskPayload', JSON.stringify(deleted));
      const deleteTask = await waitForTask(t!, cookie, deleted.data.deleteVm.task.id, 30_000);
      assert.equal(deleteTask.status, 'SUCCEEDED', JSON.stringify(deleteTask));
      assert.equal((await vmOf(vmGlobalId)).state, 'DELETED');
      assert.equal(await domState(vmId), null);
      assert.equal(await volumeExists(POOL, `${vmId}.qcow2`), false);
      ctx.diagnostic(`create reached its hook in ${reachedHook} ms; restarted worker ended the task in ${recovered} ms; delete took ${Date.now() - deleting} ms`);
    } catch (error) {
      for (const [name, worker] of [['first', first], ['second', second]] as const) {
        if (worker) console.error(`--- ${name} worker log ---\n${worker.logs.join('\n')}`);
      }
      throw error;
    }
  });

  test('an import cut off mid-download: after a restart the task fails, the image shows ERROR and the partial file is gone', async () => {
    // Promises 64 MB, sends 1 MB and then nothing: the download is under way when the worker dies.
    const stalled: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(64 * 1024 ** 2) });
      res.write(Buffer.alloc(1024 ** 2));
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const incoming = join(t!.env.HANGAR_IMAGE_DIR, 'incoming');
    const partial = async () => (await readdir(incoming).catch(() => [] as string[])).filter((name) => name.endsWith('.download'));
    let first: WorkerProcess | undefined;
    let second: WorkerProcess | undefined;
    await stopWorkers();
    try {
      first = startWorker();
      const url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}/disk.qcow2`;
      const started = await t!.gql(
        `mutation($input: ImageInput!, $url: String!) { importImage(input: $input, url: $url) { __typename ... on ImportImagePayload { image { id status } task { id } } ... on Error { message } } }`,
        { input: { name: 'cut off', osFamily: 'debian' }, url },
        { cookie },
      );
      assert.equal(started.data?.importImage?.__typename, 'ImportImagePayload', JSON.stringify(started));
      const { image, task: { id: taskId } } = started.data.importImage;
      await waitFor(
        'the download to be under way',
        async () => {
          alive(first!);
          return (await taskOf(taskId)).status === 'RUNNING' && (await partial()).length === 1;
        },
        30_000,
        100,
      );

      first.child.kill('SIGKILL');
      assert.equal((await first.exited).signal, 'SIGKILL');
      assert.equal((await taskOf(taskId)).status, 'RUNNING', 'nobody has finished it yet');

      second = startWorker();
      const task = await taskEnded('the cut-off import', taskId, second, 20_000);
      assert.equal(task.status, 'FAILED');
      assert.match(task.error, /worker .*stopped/i);
      assert.ok(
        task.steps.every((s: any) => !['running', 'pending'].includes(String(s.state).toLowerCase())),
        `no step is left running or pending: ${JSON.stringify(task.steps)}`,
      );
      const after = (await t!.gql(`query($id: ID!) { node(id: $id) { ... on Image { status statusMessage } } }`, { id: image.id }, { cookie })).data.node;
      assert.equal(after.status, 'ERROR');
      assert.match(after.statusMessage, /worker .*stopped/i);
      assert.deepEqual(await partial(), [], 'the partial download is removed');
      assert.ok(second.logs.some((line) => line.includes('recovering a task whose worker died') && line.includes('image.import')), 'the new worker says it recovered the import');
    } catch (error) {
      for (const [name, worker] of [['first', first], ['second', second]] as const) {
        if (worker) console.error(`--- ${name} worker log ---\n${worker.logs.join('\n')}`);
      }
      throw error;
    } finally {
      stalled.closeAllConnections();
      await new Promise((resolve) => stalled.close(resolve));
    }
  });
});
