// Postgres restarts under a running deploy and a running import (a private cluster of the test's
// own: the shared one on 5432 is never touched). The worker doing them lives through it: it
// reconnects its liveness lock, its tasks are not rolled back by a second worker that sees the
// lock free for a moment, both tasks succeed, it takes new jobs afterwards, nothing stays stuck.
// The deploy is from a RAW image (issue item 14: its overlay must declare a raw backing file), so
// this file's one Debian guest boot serves both.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { networkAndImage, prepareDeploys, removeNetwork } from '../support/deploy.ts';
import { alive, dumpWorkerLogs, hold, kill, killWorkers, leftoversOf, recoveries, release as releaseStep, startWorker, stepState, taskRow, unfinishedTasks, type WorkerProcess } from '../support/faults.ts';
import { agentAnswers } from '../support/guest.ts';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { domState, rawId, removeLeftoverVms, TASK_FIELDS, virsh, waitFor, waitForTask } from '../support/libvirt.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.ts';

const run = promisify(execFile);
const NET = { name: 'hangar-fpg', bridge: 'virbr-fpg', subnet: '10.231.11' };
// Long enough for a worker stopped across the restart to come back; short for a test.
const GRACE_SECONDS = '8';
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;
const IMPORT = `mutation($input: ImageInput!, $url: String!) { importImage(input: $input, url: $url) { __typename ... on ImportImagePayload { image { id } task { id } } ... on Error { message } } }`;

let pg: PrivatePostgres | undefined;
let t: TestHangar | undefined;
let scratch = '';
let files: Server | undefined;

after(async () => {
  await killWorkers();
  files?.closeAllConnections();
  files?.close();
  if (t) await removeLeftoverVms(t).catch(() => {});
  await t?.stop().catch(() => {});
  await pg?.remove().catch(() => {});
  await removeNetwork(NET);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('Postgres restarts under a running deploy (RAW image) and a running import', { timeout: 10 * 60_000 }, () => {
  let admin = '';
  let imageId = '';
  let raw = '';
  let small = '';

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'hangar-fault-pg-'));
    const [path, cluster] = await Promise.all([networkAndImage(NET), startPrivatePostgres()]);
    pg = cluster;
    raw = join(scratch, 'debian.raw');
    small = join(scratch, 'small.qcow2');
    await Promise.all([run('qemu-img', ['convert', '-O', 'raw', path, raw]), run('qemu-img', ['create', '-q', '-f', 'qcow2', small, '64M'])]);
    t = await startTestHangar(
      'postgres',
      { DATABASE_URL: pg.url, HANGAR_RECONCILE_SECONDS: '1', HANGAR_IMPORT_ALLOWED_NETWORKS: '127.0.0.0/8', HANGAR_WORKER_DEATH_GRACE_SECONDS: GRACE_SECONDS },
      { processes: ['api'], registerLocalHost: true },
    );
    admin = await setupAdmin(t);
    const prepared = await prepareDeploys(t, admin, NET, raw);
    imageId = prepared.imageId;
    const image = await t.hangar.db.selectFrom('images').select(['format']).where('id', '=', rawId(imageId)).executeTakeFirstOrThrow();
    assert.equal(image.format, 'raw', 'the uploaded image is kept as raw');
  });

  test('the live worker keeps its tasks: nothing is rolled back, both succeed, it takes new jobs; the RAW deploy boots', { timeout: 8 * 60_000 }, async (ctx) => {
    // Sends 64 KiB of the image, then waits for `release` before the rest.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const { readFile } = await import('node:fs/promises');
    const body = await readFile(small);
    files = createServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
      res.write(body.subarray(0, 65536));
      await released;
      res.end(body.subarray(65536));
    });
    await new Promise<void>((resolve) => files!.listen(0, '127.0.0.1', resolve));

    let first: WorkerProcess | undefined;
    let second: WorkerProcess | undefined;
    try {
      // The deploy waits at the start of each step before the guest boots (see SIGSTOP below).
      const holds = join(scratch, 'holds');
      await mkdir(holds, { recursive: true });
      for (let step = 1; step <= 6; step++) await hold(holds, 'vm.deploy', step);
      const env = { HANGAR_WORKER_DEATH_GRACE_SECONDS: GRACE_SECONDS, HANGAR_TEST_STEP_HOLD_DIR: holds };
      first = startWorker(t!, env);
      const created = await t!.gql(CREATE, { i: { name: 'raw-deploy', vcpus: 1, memoryMb: 768, diskGb: 4, imageId, guest: { hostname: 'raw-deploy', username: 'tester', password: 'correct-Horse-7' } } }, { cookie: admin });
      assert.equal(created.data?.createVm?.__typename, 'VmTaskPayload', JSON.stringify(created));
      const vmGlobalId: string = created.data.createVm.vm.id;
      const vmId = rawId(vmGlobalId);
      const deployTask: string = created.data.createVm.task.id;
      const taskOf = async (id: string) => (await t!.gql(`query($id: ID!) { node(id: $id) { ... on Task { ${TASK_FIELDS} } } }`, { id }, { cookie: admin })).data.node;
      // A second worker, up before anything else happens: it would recover the first one's tasks
      // if it took the first one for dead.
      await waitFor('the deploy to start', async () => (alive(first!), (await stepState(t!, deployTask, 1)) === 'running'), 120_000, 100);
      second = startWorker(t!, env);
      await waitFor('the second worker to be ready', async () => (alive(second!), second!.logs.some((l) => l.includes('worker ready'))), 60_000, 100);
      const firstId = (await taskRow(t!, deployTask)).worker_id;
      assert.ok(firstId && first.logs.some((l) => l.includes(firstId)), 'the first worker runs the deploy');

      // SIGSTOP at each step before the guest boots: a stopped worker still holds its lock (its
      // connection stays open), so nothing recovers its task; after SIGCONT it goes on.
      for (let step = 1; step <= 6; step++) {
        await waitFor(`deploy step ${step}`, async () => (alive(first!), (await stepState(t!, deployTask, step)) === 'running'), 240_000, 100);
        first.child.kill('SIGSTOP');
        await new Promise((resolve) => setTimeout(resolve, 3000));
        assert.equal((await taskRow(t!, deployTask)).status, 'running', `stopped at step ${step}, the deploy is left to its worker`);
        assert.deepEqual(recoveries(second), [], `stopped at step ${step}: the second worker recovered nothing`);
        first.child.kill('SIGCONT');
        await releaseStep(holds, 'vm.deploy', step);
      }

      const url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/small.qcow2`;
      const imported = await t!.gql(IMPORT, { input: { name: 'imported across a restart', osFamily: 'debian' }, url }, { cookie: admin });
      assert.equal(imported.data?.importImage?.__typename, 'ImportImagePayload', JSON.stringify(imported));
      const importTask: string = imported.data.importImage.task.id;

      // The guest boots (the longest step) and the download is under way.
      await waitFor(
        'the deploy to wait for its guest and the import to download',
        async () => {
          alive(first!);
          const [d, i] = await Promise.all([taskOf(deployTask), taskOf(importTask)]);
          return String(d.steps.find((s: any) => s.name === 'Wait for the guest agent').state).toUpperCase() === 'RUNNING' && i.status === 'RUNNING';
        },
        240_000,
        200,
      );
      // The overlay backs onto the raw cached copy, said so (not probed).
      const disk = await virsh('vol-dumpxml', '--pool', 'hangar-disks', `${vmId}.qcow2`);
      assert.match(disk, /<backingStore>[\s\S]*<format type='raw'\/>[\s\S]*<\/backingStore>/, disk);

      // The second worker sees the first one's lock free while the first is cut off, and must not
      // take that for death.

      // The first worker is held still across the restart, so its lock stays free for a while
      // after Postgres is back (a slow machine, a long GC): the window a recovery must not use.
      const restartedAt = Date.now();
      first.child.kill('SIGSTOP');
      await pg!.restart();
      await waitFor('the second worker to be back on the database', async () => second!.logs.some((l) => l.includes('holds its liveness lock again')), 30_000, 100);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      first.child.kill('SIGCONT');
      await waitFor('the first worker to hold its lock again', async () => (alive(first!), first!.logs.some((l) => l.includes('holds its liveness lock again'))), 30_000, 100);
      release();

      const [deployed, importedTask] = await Promise.all([waitForTask(t!, admin, deployTask, 300_000), waitForTask(t!, admin, importTask, 60_000)]);
      assert.equal(importedTask.status, 'SUCCEEDED', JSON.stringify(importedTask));
      assert.equal(deployed.status, 'SUCCEEDED', JSON.stringify(deployed));
      assert.deepEqual(recoveries(second), [], 'the second worker recovered nothing');
      assert.deepEqual(recoveries(first), []);
      assert.equal(await domState(vmId), 'running');
      assert.ok(await agentAnswers(vmId), 'the guest agent of the RAW deploy answers');
      assert.ok(first.logs.every((l) => !l.includes('task failed')), 'the first worker failed no task');

      // The first worker keeps working after the restart, alone: it deletes the VM.
      await kill(second);
      const deleted = await t!.gql(`mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } ... on Error { message } } }`, { id: vmGlobalId }, { cookie: admin });
      assert.equal(deleted.data?.deleteVm?.__typename, 'VmTaskPayload', JSON.stringify(deleted));
      assert.equal((await waitForTask(t!, admin, deleted.data.deleteVm.task.id, 120_000)).status, 'SUCCEEDED');
      alive(first);
      assert.deepEqual(await leftoversOf(vmId), { domain: false, volumes: [] });
      assert.deepEqual(await unfinishedTasks(t!), [], 'no task stays queued or running');
      const timeOf = (line: string) => {
        try {
          return Date.parse(JSON.parse(line).time);
        } catch {
          return 0;
        }
      };
      const lateTickFailures = first.logs.filter((l) => l.includes('worker tick failed') && timeOf(l) > Date.now() - 5000);
      assert.deepEqual(lateTickFailures, [], 'the worker ticks cleanly again');
      ctx.diagnostic(`restart to both tasks done: ${Math.round((Date.now() - restartedAt) / 1000)} s`);
    } catch (error) {
      dumpWorkerLogs();
      throw error;
    }
  });
});
