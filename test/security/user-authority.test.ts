// No one outranks their source: every mutation aimed at a user needs the actor to hold every
// privilege the target holds, or to be the target. A matrix of those mutations × who acts on whom,
// against a real API on Postgres; a refusal is a PermissionError and changes nothing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ADMIN, login, roleId, setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';

const PASSWORD = 'a long enough password';
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];
const result = '{ __typename ... on Error { message } }';

interface Target {
  id: string;
  /** A live API token of the target's. */
  tokenId: string;
}

/** The mutations that target a user, each given the target and returning [query, variables]. */
const MUTATIONS: Record<string, (target: Target, f: { consoleRoleId: string }) => [string, Record<string, unknown>]> = {
  'updateUser name': (u) => [`mutation($id: ID!) { updateUser(id: $id, input: { name: "Renamed" }) ${result} }`, { id: u.id }],
  'updateUser email': (u) => [`mutation($id: ID!, $email: String!) { updateUser(id: $id, input: { email: $email }) ${result} }`, { id: u.id, email: `taken-${randomBytes(4).toString('hex')}@example.com` }],
  'updateUser password': (u) => [`mutation($id: ID!) { updateUser(id: $id, input: { password: "the attacker's password" }) ${result} }`, { id: u.id }],
  disableUser: (u) => [`mutation($id: ID!) { disableUser(id: $id) ${result} }`, { id: u.id }],
  enableUser: (u) => [`mutation($id: ID!) { enableUser(id: $id) ${result} }`, { id: u.id }],
  // Adds a role the actor may grant: without the rule on the target, nothing would stop it.
  setUserRoles: (u, f) => [`mutation($id: ID!) { setUserRoles(id: $id, roleIds: []) ${result} }`, { id: u.id, extraRole: f.consoleRoleId }],
  setQuota: (u) => [`mutation($id: ID!) { setQuota(userId: $id, input: { maxVms: 0 }) ${result} }`, { id: u.id }],
  revokeApiToken: (u) => [`mutation($id: ID!) { revokeApiToken(id: $id) ${result} }`, { id: u.tokenId }],
};

describe('acting on another user needs every privilege they hold', () => {
  let t: TestHangar;
  let admin: string;
  let adminRoleId: string;
  let consoleRoleId: string;
  let managerRoleId: string;
  let counter = 0;

  before(async () => {
    t = await startTestHangar('postgres');
    admin = await setupAdmin(t);
    adminRoleId = await roleId(t, admin, 'Administrator');
    const role = async (name: string, privileges: string[]) => {
      const r = await t.gql('mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on Role { id } } }', { input: { name, privileges } }, { cookie: admin });
      return r.data.createRole.id as string;
    };
    consoleRoleId = await role('Console only', ['VM_Console']);
    // The attacker: user management and little else (VM_Console so that a lesser target exists).
    managerRoleId = await role('User managers', ['User_Manage', 'User_View', 'VM_Console']);
  });
  after(async () => {
    await t?.stop();
  });

  /** A user with the given roles, signed in, holding one API token of their own. */
  async function user(roleIds: string[], tokenPrivileges: string[]): Promise<Target & { cookie: string }> {
    const email = `u${++counter}-${randomBytes(3).toString('hex')}@example.com`;
    const created = await t.gql('mutation($input: CreateUserInput!) { createUser(input: $input) { ... on User { id } ... on Error { message } } }', { input: { email, name: 'Someone', password: PASSWORD, roleIds } }, { cookie: admin });
    assert.ok(created.data.createUser.id, JSON.stringify(created));
    const cookie = await login(t, email, PASSWORD);
    const token = await t.gql('mutation($p: [Privilege!]!) { createApiToken(input: { name: "theirs", privileges: $p }) { ... on CreatedApiToken { token { id } } } }', { p: tokenPrivileges }, { cookie });
    return { id: created.data.createUser.id, cookie, tokenId: token.data.createApiToken.token.id };
  }

  /** Everything about the target a mutation of the matrix could change. */
  async function snapshot(target: Target) {
    const db = t.hangar.db;
    const id = rawId(target.id);
    return JSON.stringify({
      user: await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
      roles: await db.selectFrom('user_roles').select('role_id').where('user_id', '=', id).orderBy('role_id').execute(),
      quota: await db.selectFrom('quotas').selectAll().where('user_id', '=', id).executeTakeFirst(),
      sessions: await db.selectFrom('sessions').select('id').where('user_id', '=', id).orderBy('id').execute(),
      tokens: await db.selectFrom('api_tokens').select(['id', 'revoked_at']).where('user_id', '=', id).orderBy('id').execute(),
    });
  }

  /** enableUser only means something for a disabled user: the target is disabled first (as by an administrator). */
  async function prepare(name: string, target: Target): Promise<void> {
    if (name === 'enableUser') await t.hangar.db.updateTable('users').set({ disabled: true }).where('id', '=', rawId(target.id)).execute();
  }

  /** Runs one mutation of the matrix; for setUserRoles the roles become the target's own plus one more. */
  async function run(name: string, target: Target, auth: { cookie?: string; token?: string }) {
    let [query, variables] = MUTATIONS[name](target, { consoleRoleId });
    if (name === 'setUserRoles') {
      const own = await t.hangar.db.selectFrom('user_roles').select('role_id').where('user_id', '=', rawId(target.id)).execute();
      const roleIds = [...own.map((r) => Buffer.from(`Role:${r.role_id}`).toString('base64')), variables.extraRole as string];
      query = `mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) ${result} }`;
      variables = { id: target.id, roles: [...new Set(roleIds)] };
    }
    const r = await t.gql(query, variables, auth);
    const field = Object.keys(r.data ?? {})[0];
    return { typename: r.data?.[field]?.__typename ?? JSON.stringify(r.errors), message: r.data?.[field]?.message as string | undefined };
  }

  const OK: Record<string, string> = { setQuota: 'Quota', revokeApiToken: 'ApiToken' };

  test('a User.Manage holder is refused on an Administrator, and nothing changes', async () => {
    const manager = await user([managerRoleId], ['VM_Console']);
    const mismatches: string[] = [];
    for (const name of Object.keys(MUTATIONS)) {
      const victim = await user([adminRoleId], ['Audit_Read']);
      await prepare(name, victim);
      const before = await snapshot(victim);
      const r = await run(name, victim, { cookie: manager.cookie });
      const after = await snapshot(victim);
      if (r.typename !== 'PermissionError') mismatches.push(`${name}: ${r.typename} ${r.message ?? ''}`);
      else if (!/privileges/.test(r.message ?? '')) mismatches.push(`${name}: message ${r.message}`);
      if (after !== before) mismatches.push(`${name}: the target changed`);
    }
    assert.deepEqual(mismatches, []);
    // And the attack of the issue end to end: the victim's password did not become the attacker's.
    const victim = await user([adminRoleId], ['Audit_Read']);
    await run('updateUser password', victim, { cookie: manager.cookie });
    const email = (await t.hangar.db.selectFrom('users').select('email').where('id', '=', rawId(victim.id)).executeTakeFirstOrThrow()).email;
    await assert.rejects(login(t, email, "the attacker's password"));
  });

  test('the privileges count, not the rank: a User.Manage holder is refused on a plain User too (VM privileges it lacks)', async () => {
    const manager = await user([managerRoleId], ['VM_Console']);
    const plain = await user([await roleId(t, admin, 'User')], ['VM_Create']);
    const before = await snapshot(plain);
    const r = await run('updateUser password', plain, { cookie: manager.cookie });
    assert.equal(r.typename, 'PermissionError');
    assert.match(r.message!, /VM\.Create/);
    assert.equal(await snapshot(plain), before);
  });

  test('without User.Manage no one resets anyone\u2019s password, not even a plain user\u2019s, by session or token', async () => {
    const viewerRoleId = await t.gql('mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on Role { id } } }', { input: { name: 'User viewers', privileges: ['User_View', 'VM_Console'] } }, { cookie: admin });
    const onlooker = await user([viewerRoleId.data.createRole.id], ['User_View']);
    const plainRole = await roleId(t, admin, 'User');
    const onlookerToken = await t.gql('mutation { createApiToken(input: { name: "viewer", privileges: [User_View, VM_Console] }) { ... on CreatedApiToken { secret } } }', {}, { cookie: onlooker.cookie });
    for (const victim of [await user([adminRoleId], ['Audit_Read']), await user([consoleRoleId], ['VM_Console']), await user([plainRole], ['VM_Create'])]) {
      const before = await snapshot(victim);
      for (const auth of [{ cookie: onlooker.cookie }, { token: onlookerToken.data.createApiToken.secret as string }]) {
        const r = await t.gql(`mutation($id: ID!) { updateUser(id: $id, input: { password: "the onlooker's password" }) ${result} }`, { id: victim.id }, auth);
        const refused = r.data?.updateUser?.__typename ?? r.errors?.[0]?.extensions?.code;
        assert.ok(['PermissionError', 'FORBIDDEN'].includes(refused), JSON.stringify(r));
      }
      // Sessions and tokens live on, and the password is the old one.
      assert.equal(await snapshot(victim), before);
    }
  });

  test('a password reset by a manager ends the target\u2019s sessions and tokens and is audited without the password', async () => {
    const manager = await user([managerRoleId], ['VM_Console']);
    const lesser = await user([consoleRoleId], ['VM_Console']);
    const r = await run('updateUser password', lesser, { cookie: manager.cookie });
    assert.equal(r.typename, 'User');
    const id = rawId(lesser.id);
    assert.equal((await t.hangar.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute()).length, 0);
    const tokens = await t.hangar.db.selectFrom('api_tokens').select('revoked_at').where('user_id', '=', id).execute();
    assert.ok(tokens.length > 0 && tokens.every((tk) => tk.revoked_at !== null));
    const entry = await t.hangar.db.selectFrom('audit_log').selectAll().where('action', '=', 'updateUser').where('target_id', '=', id).executeTakeFirst();
    assert.ok(entry, 'the reset is in the audit log');
    assert.doesNotMatch(JSON.stringify(entry), /attacker's password/);
  });

  test('an administrator acts on another administrator', async () => {
    const mismatches: string[] = [];
    for (const name of Object.keys(MUTATIONS)) {
      const victim = await user([adminRoleId], ['Audit_Read']);
      await prepare(name, victim);
      const r = await run(name, victim, { cookie: admin });
      if (r.typename !== (OK[name] ?? 'User')) mismatches.push(`${name}: ${r.typename} ${r.message ?? ''}`);
    }
    assert.deepEqual(mismatches, []);
  });

  test('a User.Manage holder acts on a user whose privileges it holds', async () => {
    const manager = await user([managerRoleId], ['VM_Console']);
    const mismatches: string[] = [];
    for (const name of Object.keys(MUTATIONS)) {
      const lesser = await user([consoleRoleId], ['VM_Console']);
      await prepare(name, lesser);
      const r = await run(name, lesser, { cookie: manager.cookie });
      if (r.typename !== (OK[name] ?? 'User')) mismatches.push(`${name}: ${r.typename} ${r.message ?? ''}`);
    }
    assert.deepEqual(mismatches, []);
  });

  test('a user acts on themselves (disabling oneself stays refused by its own rule)', async () => {
    const mismatches: string[] = [];
    for (const name of Object.keys(MUTATIONS)) {
      const manager = await user([managerRoleId], ['VM_Console']);
      const r = await run(name, manager, { cookie: manager.cookie });
      // Your own password only with the current one (changePassword): a stolen session cannot lock you out.
      const expected = name === 'disableUser' ? 'ConflictError' : name === 'updateUser password' ? 'ValidationError' : (OK[name] ?? 'User');
      if (r.typename !== expected) mismatches.push(`${name}: ${r.typename} ${r.message ?? ''}`);
    }
    assert.deepEqual(mismatches, []);
  });

  test('an API token acts only where its own privileges cover the target\u2019s', async () => {
    const session = await login(t, ADMIN.email, ADMIN.password);
    const narrow = await t.gql('mutation { createApiToken(input: { name: "user admin", privileges: [User_Manage, User_View, VM_Console] }) { ... on CreatedApiToken { secret } } }', {}, { cookie: session });
    const token = narrow.data.createApiToken.secret as string;
    const victim = await user([adminRoleId], ['Audit_Read']);
    const before = await snapshot(victim);
    const refused = await run('updateUser password', victim, { token });
    assert.equal(refused.typename, 'PermissionError');
    assert.equal(await snapshot(victim), before);
    // Its own user is no exception: a narrow token must not set its owner's password, nor act on them.
    const me = await t.gql('{ me { id } }', {}, { cookie: session });
    const own = await t.gql(`mutation($id: ID!) { updateUser(id: $id, input: { password: "a token's own password" }) ${result} }`, { id: me.data.me.id }, { token });
    assert.equal(own.data.updateUser.__typename, 'PermissionError');
    const quota = await t.gql(`mutation($id: ID!) { setQuota(userId: $id, input: { maxVms: 0 }) ${result} }`, { id: me.data.me.id }, { token });
    assert.equal(quota.data.setQuota.__typename, 'PermissionError');
    // Where its privileges do cover the target, it acts.
    const lesser = await user([consoleRoleId], ['VM_Console']);
    const allowed = await t.gql(`mutation($id: ID!) { updateUser(id: $id, input: { name: "Renamed by token" }) ${result} }`, { id: lesser.id }, { token });
    assert.equal(allowed.data.updateUser.__typename, 'User');
  });
});
