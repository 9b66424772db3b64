// Members of the "no one outranks their source" class beyond the per-user mutations: a role's
// privileges changed under the users who hold it (setUserRoles in bulk), and an API token revoking
// its owner's other tokens (a token acting on its own user needs privileges covering the owner's).
// Against a real API on Postgres.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { login, setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';

const PASSWORD = 'a long enough password';
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];
const result = '{ __typename ... on Error { message } }';

describe('no one outranks their source, beyond the user mutations', () => {
  let t: TestHangar;
  let admin: string;
  let counter = 0;

  before(async () => {
    t = await startTestHangar('postgres');
    admin = await setupAdmin(t);
  });
  after(async () => {
    await t?.stop();
  });

  async function role(name: string, privileges: string[]): Promise<string> {
    const r = await t.gql(`mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on Role { id } ... on Error { message } } }`, { input: { name, privileges } }, { cookie: admin });
    assert.ok(r.data.createRole.id, JSON.stringify(r));
    return r.data.createRole.id;
  }

  async function user(roleIds: string[]): Promise<{ id: string; cookie: string }> {
    const email = `g${++counter}-${randomBytes(3).toString('hex')}@example.com`;
    const created = await t.gql('mutation($input: CreateUserInput!) { createUser(input: $input) { ... on User { id } ... on Error { message } } }', { input: { email, name: 'Someone', password: PASSWORD, roleIds } }, { cookie: admin });
    assert.ok(created.data.createUser.id, JSON.stringify(created));
    return { id: created.data.createUser.id, cookie: await login(t, email, PASSWORD) };
  }

  const privilegesOf = async (userId: string) =>
    (await t.hangar.db.selectFrom('user_roles as ur').innerJoin('role_privileges as rp', 'rp.role_id', 'ur.role_id').select('rp.privilege').distinct().where('ur.user_id', '=', rawId(userId)).orderBy('rp.privilege').execute()).map((r) => r.privilege);

  test('changing a role\u2019s privileges needs the actor to outrank every user who holds it', async () => {
    // The actor manages roles and holds VM.Console; the target's role holds VM.Console and Host.Manage.
    const actor = await user([await role('Role keepers', ['Role_Manage', 'VM_Console'])]);
    const targetRole = await role('Host keepers', ['VM_Console', 'Host_Manage']);
    const target = await user([targetRole]);
    const before = await privilegesOf(target.id);
    // Taking away (or adding) only what the actor holds itself still changes a user who outranks it.
    for (const privileges of [['Host_Manage'], ['VM_Console', 'Host_Manage', 'Role_Manage']]) {
      const r = await t.gql(`mutation($id: ID!, $p: [Privilege!]!) { updateRole(id: $id, input: { privileges: $p }) ${result} }`, { id: targetRole, p: privileges }, { cookie: actor.cookie });
      assert.equal(r.data.updateRole.__typename, 'PermissionError', `${privileges}: ${JSON.stringify(r)}`);
    }
    assert.deepEqual(await privilegesOf(target.id), before, 'the holder\u2019s privileges did not change');
    // A role whose holders the actor outranks (or nobody holds) it may change.
    const lesserRole = await role('Console users', ['VM_Console']);
    const lesser = await user([lesserRole]);
    const ok = await t.gql(`mutation($id: ID!) { updateRole(id: $id, input: { privileges: [] }) ${result} }`, { id: lesserRole }, { cookie: actor.cookie });
    assert.equal(ok.data.updateRole.__typename, 'Role', JSON.stringify(ok));
    assert.deepEqual(await privilegesOf(lesser.id), []);
    // Renaming changes nobody's rights: no rule of holders for it.
    const renamed = await t.gql(`mutation($id: ID!) { updateRole(id: $id, input: { name: "Host keepers renamed" }) ${result} }`, { id: targetRole }, { cookie: actor.cookie });
    assert.equal(renamed.data.updateRole.__typename, 'Role', JSON.stringify(renamed));
  });

  test('a token revokes itself and the tokens it made, but its owner\u2019s others only when it covers the owner\u2019s privileges', async () => {
    const owner = await user([await role('Console and audit', ['VM_Console', 'Audit_Read'])]);
    const create = async (auth: { cookie?: string; token?: string }, privileges: string[]) => {
      const r = await t.gql('mutation($p: [Privilege!]!) { createApiToken(input: { name: "t", privileges: $p }) { ... on CreatedApiToken { secret token { id } } ... on Error { message } } }', { p: privileges }, auth);
      assert.ok(r.data.createApiToken.secret, JSON.stringify(r));
      return { secret: r.data.createApiToken.secret as string, id: r.data.createApiToken.token.id as string };
    };
    const revoke = async (id: string, token: string) => (await t.gql(`mutation($id: ID!) { revokeApiToken(id: $id) ${result} }`, { id }, { token })).data.revokeApiToken;
    const revoked = async (id: string) => (await t.hangar.db.selectFrom('api_tokens').select('revoked_at').where('id', '=', rawId(id)).executeTakeFirstOrThrow()).revoked_at !== null;

    const ci = await create({ cookie: owner.cookie }, ['VM_Console', 'Audit_Read']);
    const narrow = await create({ cookie: owner.cookie }, ['Audit_Read']);
    // A narrow (leaked, read-only) token ends the owner's other credentials: refused, nothing revoked.
    const refused = await revoke(ci.id, narrow.secret);
    assert.equal(refused.__typename, 'PermissionError', JSON.stringify(refused));
    assert.equal(await revoked(ci.id), false);
    // Its own child and itself it may revoke.
    const child = await create({ token: narrow.secret }, ['Audit_Read']);
    assert.equal((await revoke(child.id, narrow.secret)).__typename, 'ApiToken');
    assert.equal(await revoked(child.id), true);
    // A token covering every privilege of its owner acts as the owner would.
    const other = await create({ cookie: owner.cookie }, ['Audit_Read']);
    assert.equal((await revoke(other.id, ci.secret)).__typename, 'ApiToken');
    assert.equal(await revoked(other.id), true);
    assert.equal((await revoke(narrow.id, narrow.secret)).__typename, 'ApiToken');
    assert.equal(await revoked(narrow.id), true);
  });
});
