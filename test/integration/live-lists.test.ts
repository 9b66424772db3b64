// The list subscriptions the web client follows (imagesUpdated, tasksUpdated, usersUpdated): every
// change reaches those who may see it, and nobody else. Postgres and Redis, as in production.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureHostQueue } from '../../server/queue/queue.ts';
import { publishTask, TaskRecorder } from '../../server/services/tasks.ts';
import { setupAdmin, subscribe, useTestHangar, userWithRole, wsClient } from '../support/hangar.ts';
import { uploadImage } from '../support/images.ts';

const IMAGES = 'subscription { imagesUpdated { id image { id name status visibility } } }';
const TASKS = 'subscription { tasksUpdated { id operation status steps { name state } user { id } } }';
const USERS = 'subscription { usersUpdated { id email disabled quota { maxVms } roles { name } } }';
const IMPORT = 'mutation($input: ImageInput!, $url: String!) { importImage(input: $input, url: $url) { __typename ... on ImportImagePayload { image { id } task { id } } ... on Error { message } } }';

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
/** Long enough for a new subscription to be listening on Redis. */
const settle = () => new Promise((r) => setTimeout(r, 300));

type Subscription = ReturnType<typeof subscribe>;

/** The next event for which `accept` holds, skipping others (a task streams several). */
async function nextWhere(sub: Subscription, accept: (data: any) => boolean, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const event = await sub.next(Math.max(1, deadline - Date.now()));
    assert.equal(event.errors, undefined, JSON.stringify(event.errors));
    if (accept(event.data)) return event.data;
  }
}

let dir: string;
let qcow2: string;
let files: { url: string; server: Server };
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hangar-live-lists-'));
  qcow2 = join(dir, 'small.qcow2');
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', qcow2, '64M']);
  const server = createServer((req, res) => {
    if (req.url === '/small.qcow2') return void createReadStream(qcow2).pipe(res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  files = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
});
after(async () => {
  files.server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('live lists with a worker [postgres]', () => {
  const hangar = useTestHangar('postgres', { HANGAR_IMPORT_ALLOWED_NETWORKS: '127.0.0.0/8' }, { processes: ['api', 'worker'] });
  let admin: string;
  let alice: { id: string; cookie: string };
  let bob: { id: string; cookie: string };
  before(async () => {
    admin = await setupAdmin(hangar());
    alice = await userWithRole(hangar(), admin, 'User');
    bob = await userWithRole(hangar(), admin, 'User');
  });

  test('an image reaches its owner and image managers; another user only once it is shared or public; deletion gives null', async () => {
    const t = hangar();
    const clients = [wsClient(t.url, { cookie: alice.cookie }), wsClient(t.url, { cookie: bob.cookie }), wsClient(t.url, { cookie: admin })];
    try {
      const [mine, theirs, manager] = clients.map((c) => subscribe(c, IMAGES));
      await settle();
      const image = await uploadImage(t, alice.cookie, qcow2, { name: 'Live one' });
      const isIt = (d: any) => d.imagesUpdated.id === image.id;

      const uploaded = await nextWhere(mine, isIt);
      assert.deepEqual(uploaded.imagesUpdated.image, { id: image.id, name: 'Live one', status: 'READY', visibility: 'PRIVATE' });
      assert.equal((await nextWhere(manager, isIt)).imagesUpdated.image.name, 'Live one');

      await t.gql('mutation($id: ID!) { updateImage(id: $id, input: { name: "Live renamed" }) { __typename } }', { id: image.id }, { cookie: alice.cookie });
      assert.equal((await nextWhere(mine, isIt)).imagesUpdated.image.name, 'Live renamed');

      const share = (visibility: string, users: string[] = [], cookie = alice.cookie) =>
        t.gql('mutation($id: ID!, $v: ImageVisibility!, $users: [ID!]) { shareImage(id: $id, visibility: $v, userIds: $users) { __typename } }', { id: image.id, v: visibility, users }, { cookie });
      await share('SHARED', [bob.id]);
      // Bob's first event is the share: the upload and the rename before it never reached him.
      const shared = await theirs.next();
      assert.deepEqual(shared.data.imagesUpdated.image, { id: image.id, name: 'Live renamed', status: 'READY', visibility: 'SHARED' });
      assert.equal((await nextWhere(mine, isIt)).imagesUpdated.image.visibility, 'SHARED');

      // No longer shared: bob is told it left his view, so his list drops it.
      await share('PRIVATE');
      assert.deepEqual((await theirs.next()).data.imagesUpdated, { id: image.id, image: null });
      assert.equal((await nextWhere(mine, isIt)).imagesUpdated.image.visibility, 'PRIVATE');

      await share('PUBLIC', [], admin);
      assert.equal((await theirs.next()).data.imagesUpdated.image.visibility, 'PUBLIC');

      const deleted = await t.gql('mutation($id: ID!) { deleteImage(id: $id) { __typename } }', { id: image.id }, { cookie: alice.cookie });
      assert.equal(deleted.data.deleteImage.__typename, 'Image', JSON.stringify(deleted));
      assert.deepEqual((await nextWhere(mine, (d) => isIt(d) && d.imagesUpdated.image === null)).imagesUpdated, { id: image.id, image: null });
      assert.deepEqual((await theirs.next()).data.imagesUpdated, { id: image.id, image: null });
      assert.deepEqual((await nextWhere(manager, (d) => isIt(d) && d.imagesUpdated.image === null)).imagesUpdated, { id: image.id, image: null });
      assert.equal(theirs.events.length, 4, 'bob heard of nothing but the share, the unshare, publishing and deletion');
    } finally {
      for (const c of clients) await c.dispose();
    }
  });

  test('an import shows in tasksUpdated from its creation to its end and in imagesUpdated as it becomes ready or fails, for its owner only', async () => {
    const t = hangar();
    const clients = [wsClient(t.url, { cookie: alice.cookie }), wsClient(t.url, { cookie: bob.cookie })];
    try {
      const [aliceTasks, bobTasks] = clients.map((c) => subscribe(c, TASKS));
      const [aliceImages, bobImages] = clients.map((c) => subscribe(c, IMAGES));
      await settle();
      const started = await t.gql(IMPORT, { input: { name: 'Imported live' }, url: `${files.url}/small.qcow2` }, { cookie: alice.cookie });
      const { image, task } = started.data.importImage;
      assert.ok(task, JSON.stringify(started));

      // The first event may already find it running: an event carries the task as it is when sent.
      const created = await nextWhere(aliceTasks, (d) => d.tasksUpdated.id === task.id);
      assert.deepEqual([created.tasksUpdated.operation, created.tasksUpdated.user.id], ['image.import', alice.id]);
      const done = await nextWhere(aliceTasks, (d) => d.tasksUpdated.id === task.id && d.tasksUpdated.status === 'SUCCEEDED');
      assert.deepEqual(done.tasksUpdated.steps.map((s: any) => [s.name, s.state]), [['Download', 'DONE'], ['Inspect', 'DONE']]);
      assert.equal((await nextWhere(aliceImages, (d) => d.imagesUpdated.id === image.id)).imagesUpdated.image.status, 'UPLOADING');
      assert.equal((await nextWhere(aliceImages, (d) => d.imagesUpdated.id === image.id)).imagesUpdated.image.status, 'READY');

      const failing = await t.gql(IMPORT, { input: { name: 'Missing' }, url: `${files.url}/missing.qcow2` }, { cookie: alice.cookie });
      const missing = failing.data.importImage.image.id;
      await nextWhere(aliceImages, (d) => d.imagesUpdated.id === missing && d.imagesUpdated.image.status === 'UPLOADING');
      const failed = await nextWhere(aliceImages, (d) => d.imagesUpdated.id === missing);
      assert.equal(failed.imagesUpdated.image.status, 'ERROR');

      // Bob's own import is the first thing he hears of: none of Alice's tasks or images came before it.
      const his = (await t.gql(IMPORT, { input: { name: 'Bob’s' }, url: `${files.url}/small.qcow2` }, { cookie: bob.cookie })).data.importImage;
      assert.equal((await bobTasks.next()).data.tasksUpdated.id, his.task.id);
      assert.equal((await bobImages.next()).data.imagesUpdated.id, his.image.id);
      await nextWhere(bobTasks, (d) => d.tasksUpdated.status === 'SUCCEEDED');
      assert.ok(bobTasks.events.every((e) => e.data.tasksUpdated.id === his.task.id));
      assert.ok(bobImages.events.every((e) => e.data.imagesUpdated.id === his.image.id));
    } finally {
      for (const c of clients) await c.dispose();
    }
  });

  test('usersUpdated brings an administrator every user created or changed, and is refused to a plain user', async () => {
    const t = hangar();
    const adminClient = wsClient(t.url, { cookie: admin });
    const userClient = wsClient(t.url, { cookie: alice.cookie });
    try {
      const refused = subscribe(userClient, USERS);
      await refused.closed;
      assert.equal(refused.events[0]?.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(refused.events));
      assert.equal(refused.events.some((e) => e.data?.usersUpdated), false);

      const users = subscribe(adminClient, USERS);
      await settle();
      const carol = await userWithRole(t, admin, 'User');
      assert.equal((await nextWhere(users, (d) => d.usersUpdated.id === carol.id)).usersUpdated.email, carol.email);
      await t.gql('mutation($id: ID!) { setQuota(userId: $id, input: { maxVms: 3 }) { __typename } }', { id: carol.id }, { cookie: admin });
      assert.deepEqual((await nextWhere(users, (d) => d.usersUpdated.id === carol.id)).usersUpdated.quota, { maxVms: 3 });
      await t.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: carol.id }, { cookie: admin });
      assert.equal((await nextWhere(users, (d) => d.usersUpdated.id === carol.id)).usersUpdated.disabled, true);
      // Renaming a role she holds changes how she shows: her row refreshes with the new name.
      const created = await t.gql('mutation { createRole(input: { name: "Night shift", privileges: [VM_Console] }) { __typename ... on Role { id } } }', {}, { cookie: admin });
      const roleId = created.data.createRole.id;
      assert.ok(roleId, JSON.stringify(created));
      await t.gql('mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename } }', { id: carol.id, roles: [roleId] }, { cookie: admin });
      await nextWhere(users, (d) => d.usersUpdated.id === carol.id && d.usersUpdated.roles.some((r: any) => r.name === 'Night shift'));
      const renamed = await t.gql('mutation($id: ID!) { updateRole(id: $id, input: { name: "Late shift" }) { __typename } }', { id: roleId }, { cookie: admin });
      assert.equal(renamed.data.updateRole.__typename, 'Role', JSON.stringify(renamed));
      assert.deepEqual((await nextWhere(users, (d) => d.usersUpdated.id === carol.id)).usersUpdated.roles, [{ name: 'Late shift' }]);
    } finally {
      await adminClient.dispose();
      await userClient.dispose();
    }
  });
});

describe('live task lists of VMs [postgres]', () => {
  // No worker: tasks stay as the test writes them.
  const hangar = useTestHangar('postgres');
  let admin: string;
  let alice: { id: string; cookie: string };
  let bob: { id: string; cookie: string };
  let vmId: string;
  before(async () => {
    const t = hangar();
    admin = await setupAdmin(t);
    alice = await userWithRole(t, admin, 'User');
    bob = await userWithRole(t, admin, 'User');
    const host = await t.hangar.db.insertInto('hosts').values({ name: 'offline', uri: 'test:///default', settings: {}, capabilities: {} }).returning('id').executeTakeFirstOrThrow();
    await ensureHostQueue(t.hangar.boss!, host.id);
    const vm = await t.hangar.db.insertInto('vms').values({ name: 'alices', owner_id: rawId(alice.id), host_id: host.id, vcpus: 1, memory_mb: 128, disk_gb: 1, state: 'stopped' }).returning('id').executeTakeFirstOrThrow();
    vmId = vm.id;
  });

  test('a task an administrator starts on a VM reaches the VM’s owner, from the mutation and from the worker, and not another user', async () => {
    const t = hangar();
    const clients = [wsClient(t.url, { cookie: alice.cookie }), wsClient(t.url, { cookie: bob.cookie })];
    try {
      const [owner, other] = clients.map((c) => subscribe(c, TASKS));
      await settle();
      const deleted = await t.gql('mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { task { id } } ... on Error { message } } }', { id: globalId('Vm', vmId) }, { cookie: admin });
      const taskId = deleted.data.deleteVm.task?.id;
      assert.ok(taskId, JSON.stringify(deleted));
      const created = await owner.next();
      assert.deepEqual([created.data.tasksUpdated.id, created.data.tasksUpdated.operation, created.data.tasksUpdated.status], [taskId, 'vm.delete', 'QUEUED']);

      // What a worker writes: the recorder reads the VM's owner once and puts it in every event.
      const row = await t.hangar.db.selectFrom('tasks').selectAll().where('id', '=', rawId(taskId)).executeTakeFirstOrThrow();
      const recorder = new TaskRecorder(t.hangar.db, t.hangar.bus.pubsub, row);
      await recorder.started('test-worker');
      assert.equal((await owner.next()).data.tasksUpdated.status, 'RUNNING');
      await recorder.finished('failed', 'stopped by the test');
      assert.equal((await owner.next()).data.tasksUpdated.status, 'FAILED');
      // An event published without the owner (an orphan recovered by a worker) still reaches them.
      publishTask(t.hangar.bus.pubsub, row);
      assert.equal((await owner.next()).data.tasksUpdated.id, taskId);

      await settle();
      assert.deepEqual(other.events, [], 'another user hears of none of it');
    } finally {
      for (const c of clients) await c.dispose();
    }
  });
});
