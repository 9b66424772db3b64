// Giving a VM to another user, and its name, description and tags, through the API. No guest runs:
// the VMs are blank disks made with start: false on the local libvirt.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, VM_FIELDS, vmMutation } from '../support/libvirt.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { ${VM_FIELDS} } task { id } } ... on Error { message } } }`;
const TRANSFER = `mutation($vm: ID!, $to: ID!) { transferVm(vmId: $vm, toUserId: $to) {
  __typename ... on TransferVmPayload { vm { id owner { email } } previousOwner { email } newOwner { email } }
  ... on Error { message } ... on QuotaExceededError { resource } ... on ValidationError { fieldErrors { path message } } } }`;
const DETAILS = `mutation($id: ID!, $input: UpdateVmDetailsInput!) { updateVmDetails(id: $id, input: $input) {
  __typename ... on Vm { name description tags } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;
const VM = `query($id: ID!) { node(id: $id) { ... on Vm { name description tags owner { email } } } }`;

describe('transferring a VM, its details and tags (Postgres, local libvirt, no guest)', () => {
  let t: TestHangar;
  let admin: string;
  type User = Awaited<ReturnType<typeof userWithRole>>;
  let alice: User;
  let bob: User;

  async function makeVm(cookie: string, name: string, vcpus = 1): Promise<string> {
    const { vmId, task } = await vmMutation(t, cookie, CREATE, { i: { name, vcpus, memoryMb: 128, diskGb: 1, start: false } });
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    return vmId;
  }
  const transfer = async (cookie: string, vm: string, to: string) => t.gql(TRANSFER, { vm, to }, { cookie });
  const ownerOf = async (vm: string) => (await t.hangar.db.selectFrom('vms').innerJoin('users', 'users.id', 'vms.owner_id').select('users.email').where('vms.id', '=', rawId(vm)).executeTakeFirstOrThrow()).email;
  const listed = async (cookie: string, filter: Record<string, unknown> = {}) =>
    ((await t.gql('query($f: VmFilter) { vms(filter: $f) { edges { node { id } } } }', { f: filter }, { cookie })).data.vms.edges as any[]).map((e) => e.node.id);

  before(async () => {
    t = await startTestHangar('postgres', {}, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    alice = await userWithRole(t, admin, 'User');
    bob = await userWithRole(t, admin, 'User');
    // A dozen small VMs on a 2-CPU machine: room for their vCPUs (none of them runs).
    const local = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local');
    const updated = await t.gql('mutation($id: ID!) { updateHost(id: $id, input: { settings: { cpuOvercommit: 16 } }) { __typename } }', { id: local.id }, { cookie: admin });
    assert.equal(updated.data.updateHost.__typename, 'Host', JSON.stringify(updated));
  });
  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  });

  test('an administrator gives a VM to another user: the new owner sees and acts on it, the previous owner no longer does, its tasks stay attributed to who asked', async () => {
    const vm = await makeVm(alice.cookie, 'tr-gift');
    const { data } = await transfer(admin, vm, bob.id);
    assert.equal(data.transferVm.__typename, 'TransferVmPayload', JSON.stringify(data));
    assert.equal(data.transferVm.previousOwner.email, alice.email);
    assert.equal(data.transferVm.newOwner.email, bob.email);
    assert.equal(data.transferVm.vm.owner.email, bob.email);
    assert.equal(await ownerOf(vm), bob.email);

    assert.ok((await listed(bob.cookie)).includes(vm), 'the new owner lists it');
    assert.ok(!(await listed(alice.cookie)).includes(vm), 'the previous owner no longer lists it');
    const renamed = (await t.gql(DETAILS, { id: vm, input: { name: 'tr-gift-of-bob' } }, { cookie: bob.cookie })).data.updateVmDetails;
    assert.equal(renamed.name, 'tr-gift-of-bob', JSON.stringify(renamed));
    const refused = (await t.gql(DETAILS, { id: vm, input: { name: 'tr-taken-back' } }, { cookie: alice.cookie })).data.updateVmDetails;
    assert.equal(refused.__typename, 'NotFoundError');
    assert.equal((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: vm }, { cookie: alice.cookie })).data?.node ?? null, null);

    const tasks = await t.gql(`query($id: ID!) { tasks(filter: { vmId: $id }) { edges { node { operation user { email } } } } }`, { id: vm }, { cookie: admin });
    assert.deepEqual(tasks.data.tasks.edges.map((e: any) => [e.node.operation, e.node.user?.email]), [['vm.create', alice.email]]);
  });

  test('the audit entry of a transfer names the VM, its previous owner and its new owner', async () => {
    const vm = await makeVm(alice.cookie, 'tr-audited');
    assert.equal((await transfer(admin, vm, bob.id)).data.transferVm.__typename, 'TransferVmPayload');
    const { data } = await t.gql(`query($id: ID!) { auditLog(first: 5, filter: { action: "transferVm", targetId: $id }) { edges { node { result detail target { type name } } } } }`, { id: vm }, { cookie: admin });
    const [entry] = data.auditLog.edges.map((e: any) => e.node);
    assert.equal(entry.result, 'OK');
    assert.deepEqual(entry.target, { type: 'Vm', name: 'tr-audited' });
    const detail = JSON.parse(entry.detail);
    assert.equal(detail.name, 'tr-audited');
    assert.equal(detail.previousOwner.email, alice.email);
    assert.equal(detail.previousOwner.id, rawId(alice.id));
    assert.equal(detail.newOwner.email, bob.email);
    assert.equal(detail.newOwner.id, rawId(bob.id));
  });

  test('without VM.Transfer, or without the right to act on the VM, a transfer is refused and the owner stays', async () => {
    const vm = await makeVm(alice.cookie, 'tr-kept');
    // The owner and an Operator (VM.ManageAll) lack VM.Transfer.
    const operator = await userWithRole(t, admin, 'Operator');
    for (const cookie of [alice.cookie, operator.cookie]) {
      const refused = await transfer(cookie, vm, bob.id);
      assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(refused));
    }
    // VM.Transfer with only VM.ViewAll: seeing the VM never lets you give it away.
    const role = await t.gql('mutation { createRole(input: { name: "Transferers", privileges: [VM_Transfer, VM_ViewAll] }) { __typename ... on Role { id } } }', {}, { cookie: admin });
    assert.equal(role.data.createRole.__typename, 'Role');
    const desk = await userWithRole(t, admin, 'Transferers');
    const seen = (await transfer(desk.cookie, vm, bob.id)).data.transferVm;
    assert.equal(seen.__typename, 'PermissionError', JSON.stringify(seen));
    assert.equal(await ownerOf(vm), alice.email);
    const entries = await t.gql(`query($id: ID!) { auditLog(first: 10, filter: { action: "transferVm", targetId: $id }) { edges { node { result } } } }`, { id: vm }, { cookie: admin });
    assert.deepEqual(entries.data.auditLog.edges.map((e: any) => e.node.result).sort(), ['FAILED', 'REFUSED', 'REFUSED']);
  });

  test('a transfer to an unknown or disabled user, or to its owner, is refused and changes nothing', async () => {
    const vm = await makeVm(alice.cookie, 'tr-nobody');
    const unknown = (await transfer(admin, vm, Buffer.from('User:00000000-0000-4000-8000-000000000000').toString('base64'))).data.transferVm;
    assert.equal(unknown.__typename, 'NotFoundError', JSON.stringify(unknown));
    const gone = await userWithRole(t, admin, 'User');
    const disabled = await t.gql('mutation($id: ID!) { disableUser(id: $id) { __typename ... on Error { message } } }', { id: gone.id }, { cookie: admin });
    assert.equal(disabled.data.disableUser.__typename, 'User', JSON.stringify(disabled));
    const toDisabled = (await transfer(admin, vm, gone.id)).data.transferVm;
    assert.equal(toDisabled.__typename, 'ValidationError');
    assert.match(toDisabled.message, /is disabled/);
    assert.deepEqual(toDisabled.fieldErrors[0].path, ['toUserId']);
    const toOwner = (await transfer(admin, vm, alice.id)).data.transferVm;
    assert.equal(toOwner.__typename, 'ValidationError');
    assert.match(toOwner.message, /already owns this VM/);
    assert.equal(await ownerOf(vm), alice.email);
  });

  test('a transfer over the recipient\u2019s quota is refused with what is over, and changes nothing', async () => {
    const vm = await makeVm(alice.cookie, 'tr-big', 2);
    const carol = await userWithRole(t, admin, 'User');
    const quota = await t.gql('mutation($u: ID!) { setQuota(userId: $u, input: { maxVcpus: 1 }) { __typename ... on Error { message } } }', { u: carol.id }, { cookie: admin });
    assert.equal(quota.data.setQuota.__typename, 'Quota', JSON.stringify(quota));
    const over = (await transfer(admin, vm, carol.id)).data.transferVm;
    assert.equal(over.__typename, 'QuotaExceededError', JSON.stringify(over));
    assert.equal(over.resource, 'vcpus');
    assert.equal(over.message, `Over the quota of ${carol.email}: vCPUs need 2, 1 left`);
    assert.equal(await ownerOf(vm), alice.email);
  });

  test('two transfers at once to a user with room for one VM: exactly one succeeds', async () => {
    const [first, second] = [await makeVm(alice.cookie, 'tr-race-1'), await makeVm(alice.cookie, 'tr-race-2')];
    const dave = await userWithRole(t, admin, 'User');
    const quota = await t.gql('mutation($u: ID!) { setQuota(userId: $u, input: { maxVms: 1 }) { __typename } }', { u: dave.id }, { cookie: admin });
    assert.equal(quota.data.setQuota.__typename, 'Quota');
    const results = await Promise.all([transfer(admin, first, dave.id), transfer(admin, second, dave.id)]);
    const kinds = results.map((r) => r.data.transferVm.__typename).sort();
    assert.deepEqual(kinds, ['QuotaExceededError', 'TransferVmPayload'], JSON.stringify(results.map((r) => r.data)));
    assert.match(results.find((r) => r.data.transferVm.__typename === 'QuotaExceededError')!.data.transferVm.message, /VMs: 1 of 1 in use/);
    const owned = await t.hangar.db.selectFrom('vms').select('id').where('owner_id', '=', rawId(dave.id)).where('deleted_at', 'is', null).execute();
    assert.equal(owned.length, 1);
  });

  test('renaming, describing and tagging a VM: bad input changes nothing, tags are kept once each and filter the list', async () => {
    const vm = await makeVm(alice.cookie, 'tr-details');
    const other = await makeVm(alice.cookie, 'tr-untagged');
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'two\nlines' }, 'name'],
      [{ name: 'x'.repeat(65) }, 'name'],
      [{ description: 'd'.repeat(1001) }, 'description'],
      [{ description: 'bell\u0007' }, 'description'],
      [{ tags: ['Prod'] }, 'tags'],
      [{ tags: ['two words'] }, 'tags'],
      [{ tags: ['-edge'] }, 'tags'],
      [{ tags: ['t'.repeat(33)] }, 'tags'],
      [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
      [{ name: 'tr-fine', tags: ['UPPER'] }, 'tags'],
      [{}, 'name'],
    ];
    for (const [input, field] of bad) {
      const refused = (await t.gql(DETAILS, { id: vm, input }, { cookie: alice.cookie })).data.updateVmDetails;
      assert.equal(refused.__typename, 'ValidationError', JSON.stringify({ input, refused }));
      assert.equal(refused.fieldErrors[0].path[0], field, JSON.stringify({ input, refused }));
    }
    const unchanged = (await t.gql(VM, { id: vm }, { cookie: alice.cookie })).data.node;
    assert.deepEqual({ name: unchanged.name, description: unchanged.description, tags: unchanged.tags }, { name: 'tr-details', description: '', tags: [] });

    const changed = (await t.gql(DETAILS, { id: vm, input: { name: '  tr-renamed  ', description: 'the web tier', tags: ['web', 'prod-eu-1', 'web'] } }, { cookie: alice.cookie })).data.updateVmDetails;
    assert.deepEqual(changed, { __typename: 'Vm', name: 'tr-renamed', description: 'the web tier', tags: ['web', 'prod-eu-1'] });
    // Only what is given changes.
    const tagsOnly = (await t.gql(DETAILS, { id: vm, input: { tags: ['prod-eu-1'] } }, { cookie: alice.cookie })).data.updateVmDetails;
    assert.deepEqual(tagsOnly, { __typename: 'Vm', name: 'tr-renamed', description: 'the web tier', tags: ['prod-eu-1'] });

    assert.deepEqual(await listed(alice.cookie, { tag: 'prod-eu-1' }), [vm]);
    assert.deepEqual(await listed(alice.cookie, { tag: 'web' }), []);
    assert.ok((await listed(alice.cookie)).includes(other));
    // Another user's list shows nothing of alice's, tag or not.
    assert.deepEqual(await listed(bob.cookie, { tag: 'prod-eu-1' }), []);
  });

  test('only the owner or VM.ManageAll changes a VM\u2019s details: seeing it is not enough', async () => {
    const vm = await makeVm(alice.cookie, 'tr-mine');
    const auditor = await userWithRole(t, admin, 'Auditor');
    const seen = (await t.gql(DETAILS, { id: vm, input: { name: 'tr-not-yours' } }, { cookie: auditor.cookie })).data.updateVmDetails;
    assert.equal(seen.__typename, 'PermissionError', JSON.stringify(seen));
    const hidden = (await t.gql(DETAILS, { id: vm, input: { name: 'tr-not-yours' } }, { cookie: bob.cookie })).data.updateVmDetails;
    assert.equal(hidden.__typename, 'NotFoundError');
    const operator = await userWithRole(t, admin, 'Operator');
    const managed = (await t.gql(DETAILS, { id: vm, input: { tags: ['ops'] } }, { cookie: operator.cookie })).data.updateVmDetails;
    assert.deepEqual(managed.tags, ['ops']);
    assert.equal((await t.gql(VM, { id: vm }, { cookie: alice.cookie })).data.node.name, 'tr-mine');
  });
});
