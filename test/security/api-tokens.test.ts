// API tokens cannot mint a longer-lived credential: a token makes only children of itself (no more
// privileges, no later expiry) that end with it; disabling a user ends their sessions and tokens for
// good; a password change revokes tokens unless told not to. Against a real API on Postgres.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ConsoleRefusedError, redeemConsoleTicket } from '../../server/services/console.ts';
import { login, setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

const CREATE = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) {
  __typename ... on Error { message }
  ... on CreatedApiToken { secret token { id expiresAt privileges parent { id } } } } }`;
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];
const DAY = 86400_000;

describe('API tokens cannot outlive or outrank what made them', () => {
  let t: TestHangar;
  let admin: string;

  before(async () => {
    t = await startTestHangar('postgres');
    admin = await setupAdmin(t);
  });
  after(async () => {
    await t?.stop();
  });

  async function token(auth: { cookie?: string; token?: string }, input: Record<string, unknown>) {
    const r = await t.gql(CREATE, { input: { name: 'x', ...input } }, auth);
    return r.data.createApiToken;
  }
  const alive = async (secret: string) => (await t.gql('{ me { id } }', {}, { token: secret })).data?.me != null;

  test('a token makes only a child of itself: no privilege it lacks, no expiry later than its own', async () => {
    const parent = await token({ cookie: admin }, { privileges: ['VM_Console', 'Audit_Read'], expiresInDays: 2 });
    // The owner (an administrator) holds User_Manage, the token does not: the child may not have it.
    const wider = await token({ token: parent.secret }, { privileges: ['User_Manage'] });
    assert.equal(wider.__typename, 'PermissionError');
    const child = await token({ token: parent.secret }, { privileges: ['VM_Console'], expiresInDays: 365 });
    assert.equal(child.__typename, 'CreatedApiToken', JSON.stringify(child));
    assert.equal(child.token.parent?.id, parent.token.id);
    assert.ok(new Date(child.token.expiresAt).getTime() <= new Date(parent.token.expiresAt).getTime(), `child ${child.token.expiresAt} outlives parent ${parent.token.expiresAt}`);
    assert.ok(new Date(child.token.expiresAt).getTime() < Date.now() + 3 * DAY);
    const row = await t.hangar.db.selectFrom('api_tokens').select(['parent_id', 'expires_at']).where('id', '=', rawId(child.token.id)).executeTakeFirstOrThrow();
    assert.equal(row.parent_id, rawId(parent.token.id));
    // A token made while signed in has no parent and the life it asked for.
    const own = await token({ cookie: admin }, { privileges: ['VM_Console'], expiresInDays: 365 });
    assert.equal(own.token.parent, null);
    assert.ok(new Date(own.token.expiresAt).getTime() > Date.now() + 300 * DAY);
  });

  test('revoking a token revokes its children and grandchildren at once', async () => {
    const parent = await token({ cookie: admin }, { privileges: ['VM_Console', 'Audit_Read'] });
    const child = await token({ token: parent.secret }, { privileges: ['VM_Console', 'Audit_Read'] });
    const grandchild = await token({ token: child.secret }, { privileges: ['Audit_Read'] });
    const sibling = await token({ cookie: admin }, { privileges: ['Audit_Read'] });
    assert.ok((await alive(child.secret)) && (await alive(grandchild.secret)));
    const revoked = await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: parent.token.id }, { cookie: admin });
    assert.equal(revoked.data.revokeApiToken.__typename, 'ApiToken');
    assert.equal(await alive(parent.secret), false);
    assert.equal(await alive(child.secret), false, 'the child outlived its revoked parent');
    assert.equal(await alive(grandchild.secret), false, 'the grandchild outlived its revoked grandparent');
    assert.equal(await alive(sibling.secret), true, 'an unrelated token stays');
    const rows = await t.hangar.db.selectFrom('api_tokens').select(['id', 'revoked_at']).where('id', 'in', [child, grandchild].map((c) => rawId(c.token.id))).execute();
    assert.ok(rows.every((r) => r.revoked_at !== null), 'the descendants are revoked in the database, not only refused');
  });

  test('a child is refused when an ancestor was revoked or expired behind the cascade\u2019s back', async () => {
    // As when a child is made while its parent is being revoked: the row of an ancestor says revoked, the child's does not.
    const revokedParent = await token({ cookie: admin }, { privileges: ['Audit_Read'] });
    const orphan = await token({ token: revokedParent.secret }, { privileges: ['Audit_Read'] });
    const expiredParent = await token({ cookie: admin }, { privileges: ['Audit_Read'] });
    const late = await token({ token: expiredParent.secret }, { privileges: ['Audit_Read'] });
    const grandparent = await token({ cookie: admin }, { privileges: ['Audit_Read'] });
    const middle = await token({ token: grandparent.secret }, { privileges: ['Audit_Read'] });
    const deep = await token({ token: middle.secret }, { privileges: ['Audit_Read'] });
    const control = await token({ token: (await token({ cookie: admin }, { privileges: ['Audit_Read'] })).secret }, { privileges: ['Audit_Read'] });
    const db = t.hangar.db;
    await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', rawId(revokedParent.token.id)).execute();
    await db.updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', rawId(expiredParent.token.id)).execute();
    await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', rawId(grandparent.token.id)).execute();
    assert.equal(await alive(orphan.secret), false, 'revoked parent');
    assert.equal(await alive(late.secret), false, 'expired parent');
    assert.equal(await alive(deep.secret), false, 'revoked grandparent');
    assert.equal(await alive(control.secret), true, 'a child of a live parent works');
    // Such a child cannot make tokens either.
    const made = await t.gql(CREATE, { input: { name: 'x', privileges: ['Audit_Read'] } }, { token: orphan.secret });
    assert.equal(made.data?.createApiToken, undefined);
    assert.equal(made.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  test('a console ticket asked for by a child token is refused once an ancestor is revoked', async () => {
    const owner = await userWithRole(t, admin, 'User');
    const ownerId = rawId(owner.id);
    const host = await t.hangar.db.insertInto('hosts').values({ name: 'never-contacted', uri: 'test:///default', status: 'online', settings: {}, capabilities: {} }).returning('id').executeTakeFirstOrThrow();
    const vm = await t.hangar.db.insertInto('vms').values({ name: 'mine', owner_id: ownerId, host_id: host.id, vcpus: 1, memory_mb: 128, disk_gb: 1, state: 'running' }).returning('id').executeTakeFirstOrThrow();
    const parent = await token({ cookie: owner.cookie }, { privileges: ['VM_Console'] });
    const child = await token({ token: parent.secret }, { privileges: ['VM_Console'] });
    const ticket = await t.gql('mutation($id: ID!) { createConsoleTicket(vmId: $id) { __typename ... on ConsoleTicket { ticket } } }', { id: Buffer.from(`Vm:${vm.id}`).toString('base64') }, { token: child.secret });
    assert.equal(ticket.data.createConsoleTicket.__typename, 'ConsoleTicket');
    await t.hangar.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', rawId(parent.token.id)).execute();
    await assert.rejects(redeemConsoleTicket(t.hangar.db, ticket.data.createConsoleTicket.ticket), (err: unknown) => err instanceof ConsoleRefusedError && err.status === 401);
  });

  test('disabling a user ends their sessions and tokens; enabling them again revives neither', async () => {
    const user = await userWithRole(t, admin, 'User');
    const made = await token({ cookie: user.cookie }, { privileges: ['VM_Console'] });
    assert.ok(await alive(made.secret));
    const disabled = await t.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: user.id }, { cookie: admin });
    assert.equal(disabled.data.disableUser.__typename, 'User');
    const enabled = await t.gql('mutation($id: ID!) { enableUser(id: $id) { __typename } }', { id: user.id }, { cookie: admin });
    assert.equal(enabled.data.enableUser.__typename, 'User');
    assert.equal((await t.gql('{ me { id } }', {}, { cookie: user.cookie })).data.me, null, 'the old session came back');
    assert.equal(await alive(made.secret), false, 'the old token came back');
    const db = t.hangar.db;
    assert.equal((await db.selectFrom('sessions').select('id').where('user_id', '=', rawId(user.id)).execute()).length, 0);
    assert.ok((await db.selectFrom('api_tokens').select('revoked_at').where('id', '=', rawId(made.token.id)).executeTakeFirstOrThrow()).revoked_at);
    // They sign in anew.
    assert.ok(await login(t, user.email, 'a long enough password'));
  });

  test('changing one\u2019s password revokes one\u2019s tokens unless asked not to', async () => {
    const user = await userWithRole(t, admin, 'User');
    const CHANGE = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { __typename ... on Error { message } } }`;
    const first = await token({ cookie: user.cookie }, { privileges: ['VM_Console'] });
    const byDefault = await t.gql(CHANGE, { input: { currentPassword: 'a long enough password', newPassword: 'second long password' } }, { cookie: user.cookie });
    assert.equal(byDefault.data.changePassword.__typename, 'User');
    assert.equal(await alive(first.secret), false, 'the default revokes tokens');
    assert.ok((await t.gql('{ me { id } }', {}, { cookie: user.cookie })).data.me, 'the session that changed it stays');
    const second = await token({ cookie: user.cookie }, { privileges: ['VM_Console'] });
    const keep = await t.gql(CHANGE, { input: { currentPassword: 'second long password', newPassword: 'third long password', revokeApiTokens: false } }, { cookie: user.cookie });
    assert.equal(keep.data.changePassword.__typename, 'User');
    assert.equal(await alive(second.secret), true, 'revokeApiTokens: false keeps them');
  });

  test('a password set by a user manager revokes the user\u2019s tokens unless asked not to', async () => {
    const SET = `mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { __typename ... on Error { message } } }`;
    const user = await userWithRole(t, admin, 'User');
    const first = await token({ cookie: user.cookie }, { privileges: ['VM_Console'] });
    const second = await token({ cookie: user.cookie }, { privileges: ['VM_Create'] });
    const keep = await t.gql(SET, { id: user.id, input: { password: 'set by the admin 1', revokeApiTokens: false } }, { cookie: admin });
    assert.equal(keep.data.updateUser.__typename, 'User');
    assert.equal(await alive(first.secret), true);
    assert.equal((await t.gql('{ me { id } }', {}, { cookie: user.cookie })).data.me, null, 'sessions end either way');
    const byDefault = await t.gql(SET, { id: user.id, input: { password: 'set by the admin 2' } }, { cookie: admin });
    assert.equal(byDefault.data.updateUser.__typename, 'User');
    assert.equal(await alive(first.secret), false);
    assert.equal(await alive(second.secret), false);
  });
});
