// The production shape of docker/compose.cluster.yml as processes on this machine: two `hangar api`,
// one `hangar worker`, two `hangar collector`, on the shared Postgres (a fresh database) and Redis,
// and the real libvirtd. The test process plays the compose file's `migrate` service (migrations,
// the local host) and the users. A tiny guest that boots a halting boot sector is the VM.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startHangar, type Hangar } from '../../server/app.ts';
import { leaseHolders } from '../../server/collector/leases.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { freshPostgresDatabase, graphql, setupAdmin, subscribe, TEST_REDIS_URL, userWithRole, wsClient, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, TASK_FIELDS, virsh, waitFor, waitForTask } from '../support/libvirt.ts';
import { makeIdleIso } from '../support/poweroff-iso.ts';

const MAIN = new URL('../../server/main.ts', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;
const ISO_DIR = '/var/lib/libvirt/images/hangar-test';
const INTERVAL_MS = 1000;
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;
const TASK_EVENT = 'subscription { tasksUpdated { id operation status steps { name state } } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Role = 'api' | 'worker' | 'collector';

interface HangarProcess {
  role: Role;
  child: ChildProcess;
  logs: string[];
  exited: Promise<unknown>;
  /** The API's address (api only). */
  url: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the cluster shape: two APIs, a worker, two collectors, Postgres and Redis as processes', { timeout: 600_000 }, () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let env: Record<string, string>;
  let shell: Hangar;
  let holdDir: string;
  let imageDir: string;
  const processes: HangarProcess[] = [];
  let apiA: HangarProcess;
  let apiB: HangarProcess;
  let A: TestHangar;
  let B: TestHangar;
  let admin = '';
  let iso = '';
  let hostId = '';
  let vmId = '';

  /** The shape of TestHangar the support helpers need, for an API process of the cluster. */
  const facade = (url: string): TestHangar => ({ backend: 'postgres', url, hangar: shell, env, gql: (q, v, a) => graphql(url, q, v, a), stop: async () => {} });

  async function start(role: Role): Promise<HangarProcess> {
    const port = role === 'api' ? await freePort() : 0;
    const child = spawn(process.execPath, [MAIN, role], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: string[] = [];
    const keep = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const proc = { role, child, logs, exited, url: `http://127.0.0.1:${port}` };
    processes.push(proc);
    if (role === 'api') {
      await waitFor(`api ${child.pid} to be ready`, async () => {
        if (child.exitCode !== null) throw new Error(`api exited:\n${logs.join('\n')}`);
        return fetch(`${proc.url}/readyz`).then((r) => r.ok, () => false);
      }, 60_000, 100);
    }
    return proc;
  }

  async function kill(proc: HangarProcess): Promise<void> {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }

  function dumpLogs(): void {
    for (const p of processes) console.error(`--- ${p.role} ${p.child.pid} (exit ${p.child.exitCode ?? p.child.signalCode ?? 'running'}) ---\n${p.logs.slice(-30).join('\n')}`);
  }

  before(async () => {
    database = await freshPostgresDatabase();
    holdDir = await mkdtemp(join(tmpdir(), 'hangar-cluster-holds-'));
    imageDir = await mkdtemp(join(tmpdir(), 'hangar-cluster-images-'));
    const noHooks = join(tmpdir(), 'hangar-no-hooks');
    await mkdir(noHooks, { recursive: true });
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      HANGAR_REDIS_CHANNEL_PREFIX: new URL(database.url).pathname.slice(1),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      HANGAR_DATA_DIR: 'memory://',
      HANGAR_IMAGE_DIR: imageDir,
      HANGAR_HOOKS_DIR: noHooks,
      HANGAR_IMAGE_CACHE_PRUNE_SECONDS: '0',
      HANGAR_REPOSITORY_REFRESH_SECONDS: '0',
      HANGAR_METRICS_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
      HANGAR_RECONCILE_SECONDS: '1',
      HANGAR_WORKER_DEATH_GRACE_SECONDS: '2',
      HANGAR_TEST_STEP_HOLD_DIR: holdDir,
    };
    // compose.cluster.yml's `migrate` (plus `host add`): migrations and the local libvirt as host `local`.
    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
    shell = await startHangar(config, createLogger(config.logLevel), { migrate: true, processes: [], registerLocalHost: true });
    [apiA, apiB] = await Promise.all([start('api'), start('api')]);
    await Promise.all([start('worker'), start('collector'), start('collector')]);
    A = facade(apiA.url);
    B = facade(apiB.url);
    admin = await setupAdmin(A);
    iso = await makeIdleIso(ISO_DIR);
    hostId = (await shell.db.selectFrom('hosts').select('id').where('name', '=', 'local').executeTakeFirstOrThrow()).id;
  });

  after(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    if (shell) {
      await removeLeftoverVms(facade(''));
      await shell.stop();
    }
    await database?.drop();
    await rm(holdDir, { recursive: true, force: true });
    await rm(imageDir, { recursive: true, force: true });
  });

  test('a subscriber on API A sees a deploy requested through API B, step by step', async () => {
    const client = wsClient(A.url, { cookie: admin });
    const sub = subscribe(client, TASK_EVENT);
    await sleep(300);
    const created = await B.gql(CREATE, { i: { name: 'tiny-1', vcpus: 1, memoryMb: 64, diskGb: 1, isoPath: iso } }, { cookie: admin });
    const payload = created.data?.createVm;
    assert.equal(payload?.__typename, 'VmTaskPayload', JSON.stringify(created));
    vmId = payload.vm.id;
    const task = await waitForTask(B, admin, payload.task.id, 120_000).catch((error: Error) => {
      dumpLogs();
      throw error;
    });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    await waitFor('the last event on A', async () => sub.events.some((e) => e.data?.tasksUpdated.id === payload.task.id && e.data.tasksUpdated.status === 'SUCCEEDED'), 5000, 50);
    await client.dispose();

    const seen = sub.events.map((e) => e.data?.tasksUpdated).filter((t) => t?.id === payload.task.id);
    const names: string[] = task.steps.map((s: { name: string }) => s.name);
    assert.ok(names.length >= 3, names.join(', '));
    // Each step seen running, then done, in order: the subscriber follows the worker, not just the outcome.
    let cursor = 0;
    for (let i = 0; i < names.length; i++) {
      const running = seen.findIndex((t, k) => k >= cursor && t.steps[i].state === 'RUNNING');
      assert.ok(running >= 0, `step ${i + 1} (${names[i]}) seen running on A; states seen: ${seen.map((t) => t.steps.map((s: { state: string }) => s.state[0]).join('')).join(' ')}`);
      for (let j = 0; j < i; j++) assert.equal(seen[running].steps[j].state, 'DONE', `step ${j + 1} done before step ${i + 1} runs`);
      cursor = running;
    }
    assert.equal(seen.at(-1).status, 'SUCCEEDED');
    assert.equal((await virsh('domstate', rawId(vmId))).trim(), 'running');
  });

  test('a revocation made on A closes a socket on B within a second (session logout, token revoke)', async () => {
    const user = await userWithRole(A, admin, 'User');
    const userClient = wsClient(B.url, { cookie: user.cookie });
    const bySession = subscribe(userClient, TASK_EVENT);
    const created = await A.gql('mutation { createApiToken(input: { name: "dash", privileges: [Audit_Read] }) { ... on CreatedApiToken { secret token { id } } } }', {}, { cookie: admin });
    const { secret, token } = created.data.createApiToken;
    const tokenClient = wsClient(B.url, { token: secret });
    const byToken = subscribe(tokenClient, 'subscription { auditEntryAdded { action } }');
    await sleep(500);

    let at = Date.now();
    await A.gql('mutation { logout }', {}, { cookie: user.cookie });
    const session = (await bySession.closed) as { code?: number };
    const sessionMs = Date.now() - at;
    assert.equal(session?.code, 4401);
    assert.ok(sessionMs < 1000, `the session's socket on B closed ${sessionMs} ms after the logout on A`);

    at = Date.now();
    await A.gql('mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: token.id }, { cookie: admin });
    const revoked = (await byToken.closed) as { code?: number };
    const tokenMs = Date.now() - at;
    assert.equal(revoked?.code, 4401);
    assert.ok(tokenMs < 1000, `the token's socket on B closed ${tokenMs} ms after the revocation on A`);
    await userClient.dispose();
    await tokenClient.dispose();
  });

  test('one collector samples the host; killing it loses the VM\u2019s figures for no more than a takeover', async (ctx) => {
    assert.ok(vmId, 'the deploy test made the VM');
    const client = wsClient(A.url, { cookie: admin });
    const sub = subscribe(client, 'subscription($id: ID!) { vmMetrics(id: $id) { at cpuPercent } }', { id: vmId });
    await sub.next(10_000);
    const collectors = processes.filter((p) => p.role === 'collector');
    const holder = await waitFor('a collector to hold the host', async () => (await leaseHolders(shell.db)).get(hostId), 10_000, 100);
    const victim = collectors.find((c) => holder.includes(`-${c.child.pid}-`));
    assert.ok(victim, `the holder ${holder} is one of the two collectors`);

    // Two collectors, one host: one samples, the other idles. Two samplers would store about two rows a second.
    const from = new Date();
    await sleep(5000);
    const rows = await shell.db.selectFrom('vm_metric_samples').select('at').where('vm_id', '=', rawId(vmId)).where('at', '>=', from).execute();
    assert.ok(rows.length >= 2 && rows.length <= 6, `${rows.length} samples of the VM in 5 s at a 1 s interval`);

    const killedAt = Date.now();
    await kill(victim);
    const taken = await waitFor('the other collector to take the host', async () => {
      const now = (await leaseHolders(shell.db)).get(hostId);
      return now && now !== holder ? now : null;
    }, 10_000, 50);
    const takeoverMs = Date.now() - killedAt;
    // Leases lapse after an interval and are taken within 1⅓ (README); a loaded machine gets a second more.
    assert.ok(takeoverMs <= 2 * INTERVAL_MS + 1000, `taken over ${takeoverMs} ms after the kill`);
    assert.ok(collectors.some((c) => c !== victim && taken.includes(`-${c.child.pid}-`)), `the survivor holds the host (${taken})`);
    // The survivor starts its virsh shell for the host, then samples: the subscriber, still connected, gets figures again.
    await waitFor('a sample from the other collector', async () => sub.events.some((e) => Date.parse(e.data?.vmMetrics?.at) > killedAt), 15_000, 50);
    ctx.diagnostic(`lease taken over after ${takeoverMs} ms, figures again after ${Date.now() - killedAt} ms`);
    await client.dispose();
  });

  test('killing the API a subscriber is on loses neither the task under way nor the subscriber (it reconnects to the other)', async () => {
    // A task held at its second step, requested through B; its subscriber sits on B too.
    await writeFile(join(holdDir, 'vm.create.2'), '');
    const created = await B.gql(CREATE, { i: { name: 'tiny-2', vcpus: 1, memoryMb: 64, diskGb: 1, isoPath: iso } }, { cookie: admin });
    assert.equal(created.data?.createVm?.__typename, 'VmTaskPayload', JSON.stringify(created));
    const taskId: string = created.data.createVm.task.id;
    // graphql-ws retries as a browser behind the proxy would: the next connection lands on a live API.
    const targets = [apiB.url, apiA.url];
    let connections = 0;
    const client: Client = createClient({
      url: () => `${targets[Math.min(connections++, 1)].replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie: admin } });
        }
      },
      retryAttempts: 10,
      retryWait: async () => {
        await sleep(200);
      },
      shouldRetry: () => true,
    });
    const sub = subscribe(client, `subscription($id: ID!) { taskUpdated(id: $id) { ${TASK_FIELDS} } }`, { id: taskId });
    await waitFor('the subscriber on B to see step 2 under way', async () => sub.events.some((e) => e.data?.taskUpdated.steps[1].state === 'RUNNING'), 30_000, 50);
    // A subscriber on A watches all along, unaffected.
    const watcher = wsClient(A.url, { cookie: admin });
    const onA = subscribe(watcher, `subscription($id: ID!) { taskUpdated(id: $id) { status } }`, { id: taskId });
    let connected = 0;
    client.on('connected', () => connected++);
    await sleep(300);
    const before = connected;

    const killedAt = Date.now();
    await kill(apiB);
    // The subscriber is back (on A) after one reconnect; then the held step goes on.
    await waitFor('the subscriber to reconnect', async () => connected > before, 10_000, 20);
    const reconnectMs = Date.now() - killedAt;
    assert.ok(reconnectMs < 3000, `reconnected ${reconnectMs} ms after the kill`);
    await rm(join(holdDir, 'vm.create.2'));
    const done = await waitFor('the subscriber to see the task end', async () => sub.events.find((e) => e.data?.taskUpdated.status === 'SUCCEEDED'), 60_000, 50).catch((error: Error) => {
      dumpLogs();
      throw error;
    });
    assert.ok(connections >= 2, 'the subscriber reconnected');
    assert.deepEqual(done.data.taskUpdated.steps.map((s: { state: string }) => s.state), done.data.taskUpdated.steps.map(() => 'DONE'));
    await waitFor('the watcher on A to see the end', async () => onA.events.some((e) => e.data?.taskUpdated.status === 'SUCCEEDED'), 5000, 50);
    // The task and the VM are whole; the surviving API takes the next request.
    const task = await waitForTask(A, admin, taskId, 5000);
    assert.equal(task.status, 'SUCCEEDED');
    assert.equal((await virsh('domstate', rawId(created.data.createVm.vm.id))).trim(), 'running');
    assert.equal((await A.gql('{ me { email } }', {}, { cookie: admin })).data.me.email, 'admin@example.com');
    await client.dispose();
    await watcher.dispose();
  });
});
