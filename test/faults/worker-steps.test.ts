// Workers killed (SIGKILL) and stopped (SIGSTOP) at each step of an image import, a capture, a
// resize and (killed only: a finished deploy needs a guest boot, see postgres-restart.test.ts) a
// deploy. Step holds (HANGAR_TEST_STEP_HOLD_DIR) stop a worker right after it records that a step
// started, so the test acts at exact step boundaries.
// - SIGKILL: the next worker recovers each task (FAILED with the reason), nothing stays queued or
//   running, and nothing the task made is left: no domain or volume, no partial file.
// - SIGSTOP: a stopped worker still holds its lock (its connection is open): another worker must
//   not recover its tasks, and after SIGCONT they all succeed.
// One worker serves all operations of a round at once, so rounds = the most steps (7).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { networkAndImage, prepareDeploys, removeNetwork } from '../support/deploy.ts';
import {
  alive,
  dumpWorkerLogs,
  hold,
  kill,
  killWorkers,
  leftoversOf,
  recoveries,
  release,
  startWorker,
  stepState,
  taskRow,
  unfinishedTasks,
  workerIdOf,
  type WorkerProcess,
} from '../support/faults.ts';
import { freshPostgresDatabase, setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { domState, rawId, removeLeftoverVms, virsh, waitFor } from '../support/libvirt.ts';

const run = promisify(execFile);
const NET = { name: 'hangar-fkill', bridge: 'virbr-fkill', subnet: '10.231.12' };
const POOL = 'hangar-disks';
const INTERRUPTED_RE = /worker .*stopped/i;

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;
const IMPORT = `mutation($input: ImageInput!, $url: String!) { importImage(input: $input, url: $url) { __typename ... on ImportImagePayload { image { id } task { id } } ... on Error { message } } }`;
const CAPTURE = `mutation($vmId: ID!, $name: String!) { captureImage(vmId: $vmId, name: $name) { __typename ... on CaptureImagePayload { image { id } task { id } } ... on Error { message } } }`;
const RESIZE = `mutation($id: ID!, $input: ResizeVmInput!) { resizeVm(id: $id, input: $input) { __typename ... on VmTaskPayload { task { id } } ... on Error { message } } }`;

/** The steps each operation runs here (from 1); capture skips its power steps (its VM is off). */
const STEPS_RUN = {
  'vm.deploy': [1, 2, 3, 4, 5, 6, 7],
  'image.import': [1, 2],
  'vm.capture': [2, 4, 5, 6],
  'vm.resize': [1, 2, 3, 4],
} as const;
type Op = keyof typeof STEPS_RUN;

let db: { url: string; drop: () => Promise<void> } | undefined;
let t: TestHangar | undefined;
let scratch = '';
let holds = '';
let files: Server | undefined;
let admin = '';
let imageId = '';
let testImage = '';
let workerEnv: Record<string, string> = {};

before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hangar-fault-steps-'));
  holds = join(scratch, 'holds');
  await mkdir(holds);
  db = await freshPostgresDatabase();
  testImage = await networkAndImage(NET);
  t = await startTestHangar('postgres', { DATABASE_URL: db.url, HANGAR_RECONCILE_SECONDS: '1', HANGAR_IMPORT_ALLOWED_NETWORKS: '127.0.0.0/8' }, { processes: ['api'], registerLocalHost: true });
  admin = await setupAdmin(t);
  ({ imageId } = await prepareDeploys(t, admin, NET, testImage));
  const small = join(scratch, 'small.qcow2');
  await run('qemu-img', ['create', '-q', '-f', 'qcow2', small, '64M']);
  const body = await readFile(small);
  files = createServer((_req, res) => res.writeHead(200, { 'content-length': String(body.length) }).end(body));
  await new Promise<void>((resolve) => files!.listen(0, '127.0.0.1', resolve));
  // A guest without an OS ignores the power button: resize's clean shutdown gives up after 1 s.
  workerEnv = { HANGAR_TEST_STEP_HOLD_DIR: holds, HANGAR_VM_SHUTDOWN_TIMEOUT_SECONDS: '1' };
});

after(async () => {
  await killWorkers();
  files?.closeAllConnections();
  files?.close();
  if (t) await removeLeftoverVms(t).catch(() => {});
  await t?.stop().catch(() => {});
  await db?.drop().catch(() => {});
  await removeNetwork(NET);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function gqlPayload(query: string, variables: Record<string, unknown>): Promise<any> {
  const result = await t!.gql(query, variables, { cookie: admin });
  const payload = Object.values(result.data ?? {})[0] as any;
  assert.ok(payload?.task, JSON.stringify(result));
  return payload;
}

async function ended(taskId: string, worker: WorkerProcess, timeoutMs = 60_000) {
  return waitFor(
    `task ${taskId} to end`,
    async () => {
      alive(worker);
      const task = await taskRow(t!, taskId);
      return ['succeeded', 'failed'].includes(task.status) ? task : null;
    },
    timeoutMs,
    100,
  );
}

async function incomingFiles(): Promise<string[]> {
  return readdir(join(t!.env.HANGAR_IMAGE_DIR, 'incoming')).catch(() => []);
}

/** Two VMs without an OS image: R (running) is resized, C (off, its disk the Debian image) captured. */
async function makeVms(worker: WorkerProcess): Promise<{ resizeVm: string; captureVm: string }> {
  const r = await gqlPayload(CREATE, { i: { name: 'fault-resize', vcpus: 1, memoryMb: 128, diskGb: 1 } });
  const c = await gqlPayload(CREATE, { i: { name: 'fault-capture', vcpus: 1, memoryMb: 128, diskGb: 1, start: false } });
  for (const p of [r, c]) assert.equal((await ended(p.task.id, worker)).status, 'succeeded');
  // The capture needs a disk with an OS on it (virt-sysprep looks for one).
  const disk = await virsh('vol-path', '--pool', POOL, `${rawId(c.vm.id)}.qcow2`);
  await copyFile(testImage, disk);
  await virsh('pool-refresh', POOL);
  return { resizeVm: r.vm.id, captureVm: c.vm.id };
}

let round = 0;
/** The worker now serving (the one that recovers the last round's tasks). */
let worker: WorkerProcess;
/** Starts `op` (on the given VMs) and returns what to check once it has been recovered. */
async function startOp(op: Op, vms: { resizeVm: string; captureVm: string }): Promise<{ taskId: string; check: () => Promise<void> }> {
  round++;
  switch (op) {
    case 'vm.deploy': {
      const p = await gqlPayload(CREATE, { i: { name: `fault-deploy-${round}`, vcpus: 1, memoryMb: 128, diskGb: 4, imageId, guest: { hostname: `fd${round}`, username: 'tester', password: 'correct-Horse-7' } } });
      const vmId = rawId(p.vm.id);
      return {
        taskId: p.task.id,
        check: async () => {
          assert.deepEqual(await leftoversOf(vmId, POOL), { domain: false, volumes: [] }, 'the killed deploy left nothing on libvirt');
          const vm = await t!.hangar.db.selectFrom('vms').select('state').where('id', '=', vmId).executeTakeFirstOrThrow();
          assert.equal(vm.state, 'error');
          // Its queue is free again: it is deleted (and gives its room on the host back).
          const deleted = await gqlPayload(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } ... on Error { message } } }`, { id: p.vm.id });
          assert.equal((await ended(deleted.task.id, worker)).status, 'succeeded');
        },
      };
    }
    case 'image.import': {
      const url = `http://127.0.0.1:${(files!.address() as AddressInfo).port}/small.qcow2`;
      const p = await gqlPayload(IMPORT, { input: { name: `fault import ${round}` }, url });
      const id = rawId(p.image.id);
      return {
        taskId: p.task.id,
        check: async () => {
          assert.deepEqual((await incomingFiles()).filter((f) => f.startsWith(p.task.id) || f.startsWith(id)), [], 'no partial file');
          const image = await t!.hangar.db.selectFrom('images').select('status').where('id', '=', id).executeTakeFirstOrThrow();
          assert.equal(image.status, 'error');
        },
      };
    }
    case 'vm.capture': {
      const p = await gqlPayload(CAPTURE, { vmId: vms.captureVm, name: `fault capture ${round}` });
      const id = rawId(p.image.id);
      const vmId = rawId(vms.captureVm);
      return {
        taskId: p.task.id,
        check: async () => {
          assert.deepEqual((await leftoversOf(vmId, POOL)).volumes, [`${vmId}.qcow2`], 'only the VM disk is left (no flattened copy)');
          assert.deepEqual((await incomingFiles()).filter((f) => f.startsWith(id)), [], 'no partial image file');
          const image = await t!.hangar.db.selectFrom('images').select('status').where('id', '=', id).executeTakeFirstOrThrow();
          assert.equal(image.status, 'error');
        },
      };
    }
    case 'vm.resize': {
      const vmId = rawId(vms.resizeVm);
      // Every step runs only on a running VM.
      if ((await domState(vmId)) !== 'running') await virsh('start', vmId);
      const p = await gqlPayload(RESIZE, { id: vms.resizeVm, input: { diskGb: 1 + round } });
      return {
        taskId: p.task.id,
        check: async () => {
          assert.deepEqual((await leftoversOf(vmId, POOL)).volumes, [`${vmId}.qcow2`]);
        },
      };
    }
  }
}

describe('workers killed and stopped at each step', { timeout: 20 * 60_000 }, () => {
  let vms: { resizeVm: string; captureVm: string };

  test('SIGKILL at each step of deploy, import, capture and resize: each task is recovered, nothing is left', { timeout: 12 * 60_000 }, async (ctx) => {
    const started = Date.now();
    try {
      worker = startWorker(t!, workerEnv);
      vms = await makeVms(worker);
      const rounds = Math.max(...Object.values(STEPS_RUN).map((s) => s.length));
      for (let r = 0; r < rounds; r++) {
        const targets = (Object.keys(STEPS_RUN) as Op[]).filter((op) => r < STEPS_RUN[op].length).map((op) => ({ op, step: STEPS_RUN[op][r] }));
        for (const { op, step } of targets) await hold(holds, op, step);
        const running: Array<{ op: Op; step: number; taskId: string; check: () => Promise<void> }> = [];
        for (const { op, step } of targets) running.push({ op, step, ...(await startOp(op, vms)) });
        await waitFor(
          `round ${r + 1}: ${targets.map((x) => `${x.op} step ${x.step}`).join(', ')}`,
          async () => {
            alive(worker);
            for (const x of running) if ((await stepState(t!, x.taskId, x.step)) !== 'running') return false;
            return true;
          },
          // The capture's last step comes after virt-sysprep.
          300_000,
          100,
        );
        await kill(worker);
        for (const { op, step } of targets) await release(holds, op, step);
        // The next round's worker recovers this round's tasks first.
        worker = startWorker(t!, workerEnv);
        for (const x of running) {
          const task = await ended(x.taskId, worker);
          assert.equal(task.status, 'failed', `${x.op} killed at step ${x.step}: ${JSON.stringify(task)}`);
          assert.match(task.error ?? '', INTERRUPTED_RE, `${x.op} killed at step ${x.step}`);
          await x.check();
        }
        assert.equal(recoveries(worker).length, running.length, 'the new worker recovered each task once');
      }
      assert.deepEqual(await unfinishedTasks(t!), []);
      ctx.diagnostic(`${rounds} rounds in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (error) {
      dumpWorkerLogs();
      throw error;
    }
  });

  test('SIGSTOP at each step of import, capture and resize: nothing is recovered under the stopped worker; after SIGCONT all succeed', { timeout: 8 * 60_000 }, async (ctx) => {
    const started = Date.now();
    const ops: Op[] = ['image.import', 'vm.capture', 'vm.resize'];
    let watcher: WorkerProcess | undefined;
    try {
      for (const op of ops) for (const step of STEPS_RUN[op]) await hold(holds, op, step);
      const running: Array<{ op: Op; taskId: string; next: number }> = [];
      for (const op of ops) running.push({ op, taskId: (await startOp(op, vms)).taskId, next: 0 });
      const at = async (x: (typeof running)[number]) => x.next >= STEPS_RUN[x.op].length || (await stepState(t!, x.taskId, STEPS_RUN[x.op][x.next])) === 'running';
      await waitFor('the first steps', async () => (alive(worker), (await Promise.all(running.map(at))).every(Boolean)), 120_000, 100);
      const runner = workerIdOf(worker);
      for (const x of running) assert.equal((await taskRow(t!, x.taskId)).worker_id, runner, 'the stopped worker runs them');
      // Another worker, that would recover the tasks of a worker it believed dead.
      watcher = startWorker(t!);
      await waitFor('the watcher to serve the host', async () => (alive(watcher!), Boolean(workerIdOf(watcher!))), 60_000, 100);
      while (running.some((x) => x.next < STEPS_RUN[x.op].length)) {
        await waitFor('each task at its next step', async () => (alive(worker), (await Promise.all(running.map(at))).every(Boolean)), 300_000, 100);
        worker.child.kill('SIGSTOP');
        // Three of the watcher's ticks, and longer than its grace period.
        await new Promise((resolve) => setTimeout(resolve, 3500));
        for (const x of running) {
          if (x.next < STEPS_RUN[x.op].length) assert.equal((await taskRow(t!, x.taskId)).status, 'running', `${x.op} at step ${STEPS_RUN[x.op][x.next]} is left to its stopped worker`);
        }
        assert.deepEqual(recoveries(watcher), [], 'the watcher recovered nothing');
        worker.child.kill('SIGCONT');
        for (const x of running) {
          if (x.next < STEPS_RUN[x.op].length) await release(holds, x.op, STEPS_RUN[x.op][x.next++]);
        }
      }
      for (const x of running) assert.equal((await ended(x.taskId, worker, 300_000)).status, 'succeeded', x.op);
      assert.deepEqual(recoveries(watcher), []);
      assert.deepEqual(await unfinishedTasks(t!), []);
      ctx.diagnostic(`stopped at ${running.reduce((n, x) => n + STEPS_RUN[x.op].length, 0)} steps in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (error) {
      dumpWorkerLogs();
      throw error;
    } finally {
      if (watcher) await kill(watcher);
    }
  });
});
