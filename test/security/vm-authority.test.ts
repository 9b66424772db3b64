// Seeing is not acting: VM.ViewAll shows every VM but acts on none; acting on a VM one does not own
// needs VM.ManageAll. Every VM action × (owner, ViewAll only, ManageAll, a stranger), against a real
// API on Postgres. No worker runs: an allowed action leaves its task queued, nothing reaches libvirt.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureHostQueue } from '../../server/queue/queue.ts';
import { ConsoleRefusedError, redeemConsoleTicket } from '../../server/services/console.ts';
import { roleId, setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

interface Action {
  /** The VM's state, when the action needs another than running (the API refuses what a state does not allow). */
  state?: string;
  /** The mutation, given the VM's global id as $id. */
  query: string;
  /** The union member an allowed caller gets. */
  ok: string;
  /** What the action leaves behind when allowed: a task, or a console ticket. */
  leaves: 'task' | 'ticket';
}

const payload = '{ __typename ... on Error { message } }';
const ACTIONS: Record<string, Action> = {
  startVm: { state: 'stopped', query: `mutation($id: ID!) { startVm(id: $id) ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  shutdownVm: { query: `mutation($id: ID!) { shutdownVm(id: $id) ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  stopVm: { query: `mutation($id: ID!) { stopVm(id: $id) ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  rebootVm: { query: `mutation($id: ID!) { rebootVm(id: $id) ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  resetVm: { query: `mutation($id: ID!) { resetVm(id: $id) ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  suspendVm: { query: `mutation($id: ID!) { suspendVm(id: $id) ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  resumeVm: { state: 'paused', query: `mutation($id: ID!) { resumeVm(id: $id) ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  deleteVm: { query: `mutation($id: ID!) { deleteVm(id: $id) ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  resizeVm: { query: `mutation($id: ID!) { resizeVm(id: $id, input: { vcpus: 2, memoryMb: 256, diskGb: 3 }) ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  reinstallVm: {
    query: `mutation($id: ID!) { reinstallVm(id: $id, guest: { sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAttackerKeyAttackerKeyAttackerKeyAttack attacker"] }) ${payload} }`,
    ok: 'VmTaskPayload',
    leaves: 'task',
  },
  resetVmPassword: { query: `mutation($id: ID!) { resetVmPassword(id: $id, password: "taken over now") ${payload} }`, ok: 'VmTaskPayload', leaves: 'task' },
  captureImage: { query: `mutation($id: ID!) { captureImage(vmId: $id, name: "stolen disk") ${payload} }`, ok: 'CaptureImagePayload', leaves: 'task' },
  createConsoleTicket: { query: `mutation($id: ID!) { createConsoleTicket(vmId: $id) { __typename ... on Error { message } } }`, ok: 'ConsoleTicket', leaves: 'ticket' },
};

type Actor = 'owner' | 'viewAll' | 'manageAll' | 'stranger';
const EXPECTED: Record<Actor, 'allowed' | 'PermissionError' | 'NotFoundError'> = {
  owner: 'allowed',
  manageAll: 'allowed',
  viewAll: 'PermissionError',
  stranger: 'NotFoundError',
};

describe('VM actions: seeing is not acting', () => {
  let t: TestHangar;
  let admin: string;
  const cookies = {} as Record<Actor, string>;
  let ownerId: string;
  let hostId: string;
  let imageId: string;

  before(async () => {
    t = await startTestHangar('postgres');
    admin = await setupAdmin(t);
    const owner = await userWithRole(t, admin, 'User');
    ownerId = Buffer.from(owner.id, 'base64').toString().split(':')[1];
    cookies.owner = owner.cookie;
    // The reproduction: a User who is also an Auditor (VM.ViewAll, and every VM.* privilege of User).
    const viewer = await userWithRole(t, admin, 'User');
    const roles = [await roleId(t, admin, 'User'), await roleId(t, admin, 'Auditor')];
    const set = await t.gql('mutation($id: ID!, $r: [ID!]!) { setUserRoles(id: $id, roleIds: $r) { __typename } }', { id: viewer.id, r: roles }, { cookie: admin });
    assert.equal(set.data.setUserRoles.__typename, 'User');
    cookies.viewAll = viewer.cookie;
    cookies.manageAll = (await userWithRole(t, admin, 'Operator')).cookie;
    cookies.stranger = (await userWithRole(t, admin, 'User')).cookie;
    const host = await t.hangar.db
      .insertInto('hosts')
      .values({ name: 'never-contacted', uri: 'test:///default', status: 'online', settings: {}, capabilities: { cpus: 64, memoryMb: 65536 } })
      .returning('id')
      .executeTakeFirstOrThrow();
    hostId = host.id;
    await ensureHostQueue(t.hangar.boss!, hostId);
    const image = await t.hangar.db
      .insertInto('images')
      .values({ name: 'public image', format: 'qcow2', virtual_size_bytes: 1024 ** 3, file_size_bytes: 1, sha256: 'a'.repeat(64), status: 'ready', visibility: 'public', cloud_init: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    imageId = image.id;
  });
  after(async () => {
    await t?.stop();
  });

  /** A running VM of the owner, deployed from the image (so every action applies to it). */
  async function ownersVm(state = 'running'): Promise<string> {
    const guest = { hostname: 'victim', user: 'debian', passwordHash: null, sshKeys: [], timezone: 'UTC', firstBootScript: null, fullCopy: false };
    const vm = await t.hangar.db
      .insertInto('vms')
      .values({ name: 'victim', owner_id: ownerId, host_id: hostId, vcpus: 1, memory_mb: 128, disk_gb: 2, state, image_id: imageId, guest_config: JSON.stringify(guest) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return vm.id;
  }

  /** Everything an action could change or leave behind for the VM. */
  async function traces(vmId: string) {
    const db = t.hangar.db;
    const vm = await db.selectFrom('vms').selectAll().where('id', '=', vmId).executeTakeFirstOrThrow();
    const tasks = await db.selectFrom('tasks').select('operation').where('vm_id', '=', vmId).execute();
    const tickets = await db.selectFrom('console_tickets').select('vm_id').where('vm_id', '=', vmId).execute();
    const images = await db.selectFrom('images').select('id').where('source', '=', `vm:${vmId}`).execute();
    const jobs = await db
      .selectFrom('pgboss.job' as never)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('name' as never, '=', `host.${hostId}` as never)
      .where('singleton_key' as never, '=', vmId as never)
      .executeTakeFirstOrThrow();
    return { vm: JSON.stringify(vm), tasks: tasks.length, tickets: tickets.length, images: images.length, jobs: Number((jobs as { n: string }).n) };
  }

  test('every VM action × (owner, VM.ViewAll only, VM.ManageAll, stranger)', async () => {
    const mismatches: string[] = [];
    for (const [name, action] of Object.entries(ACTIONS)) {
      for (const actor of Object.keys(EXPECTED) as Actor[]) {
        const vmId = await ownersVm(action.state);
        const before = await traces(vmId);
        const result = await t.gql(action.query, { id: gid('Vm', vmId) }, { cookie: cookies[actor] });
        const got = result.data?.[name]?.__typename ?? JSON.stringify(result.errors);
        const after = await traces(vmId);
        const expected = EXPECTED[actor];
        if (expected === 'allowed') {
          if (got !== action.ok) mismatches.push(`${actor} ${name}: expected ${action.ok}, got ${got} ${result.data?.[name]?.message ?? ''}`);
          else if (action.leaves === 'task' && (after.tasks !== 1 || after.jobs !== 1)) mismatches.push(`${actor} ${name}: allowed but ${after.tasks} tasks, ${after.jobs} jobs`);
          else if (action.leaves === 'ticket' && after.tickets !== 1) mismatches.push(`${actor} ${name}: allowed but no ticket`);
        } else {
          if (got !== expected) mismatches.push(`${actor} ${name}: expected ${expected}, got ${got}`);
          if (expected === 'PermissionError' && !/not act/.test(result.data?.[name]?.message ?? '')) mismatches.push(`${actor} ${name}: message ${result.data?.[name]?.message}`);
          const changed = (Object.keys(before) as Array<keyof typeof before>).filter((k) => before[k] !== after[k]);
          if (changed.length) mismatches.push(`${actor} ${name}: refused but changed ${changed.join(', ')}`);
        }
      }
    }
    assert.deepEqual(mismatches, []);
  });

  test('VM.ViewAll still sees the VM it may not act on', async () => {
    const vmId = await ownersVm();
    const seen = await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { name } } }', { id: gid('Vm', vmId) }, { cookie: cookies.viewAll });
    assert.equal(seen.data.node?.name, 'victim');
    const hidden = await t.gql('query($id: ID!) { node(id: $id) { ... on Vm { name } } }', { id: gid('Vm', vmId) }, { cookie: cookies.stranger });
    assert.equal(hidden.data.node, null);
  });

  test('a token of an Operator without VM_ManageAll acts only on its owner\u2019s VMs', async () => {
    const created = await t.gql('mutation { createApiToken(input: { name: "narrow", privileges: [VM_PowerMgmt, VM_ViewAll] }) { ... on CreatedApiToken { secret } } }', {}, { cookie: cookies.manageAll });
    const secret = created.data.createApiToken.secret;
    const vmId = await ownersVm();
    const result = await t.gql(ACTIONS.stopVm.query, { id: gid('Vm', vmId) }, { token: secret });
    assert.equal(result.data.stopVm.__typename, 'PermissionError');
    assert.equal((await traces(vmId)).tasks, 0);
  });

  test('an open console grant is re-checked: losing VM.ManageAll ends it, though VM.ViewAll remains', async () => {
    // A user who may act on every VM, asks for a ticket, then is left with seeing only.
    const operator = await userWithRole(t, admin, 'Operator');
    const vmId = await ownersVm();
    const ticket = await t.gql('mutation($id: ID!) { createConsoleTicket(vmId: $id) { __typename ... on ConsoleTicket { ticket } } }', { id: gid('Vm', vmId) }, { cookie: operator.cookie });
    assert.equal(ticket.data.createConsoleTicket.__typename, 'ConsoleTicket');
    const roles = [await roleId(t, admin, 'User'), await roleId(t, admin, 'Auditor')];
    const set = await t.gql('mutation($id: ID!, $r: [ID!]!) { setUserRoles(id: $id, roleIds: $r) { __typename } }', { id: operator.id, r: roles }, { cookie: admin });
    assert.equal(set.data.setUserRoles.__typename, 'User');
    await assert.rejects(redeemConsoleTicket(t.hangar.db, ticket.data.createConsoleTicket.ticket), (err: unknown) => {
      assert.ok(err instanceof ConsoleRefusedError, String(err));
      assert.equal(err.status, 403);
      assert.match(err.message, /act/);
      return true;
    });
  });
});
