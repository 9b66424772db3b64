import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ADMIN, freshPostgresDatabase, login, setupAdmin, startTestHangar, subscribe, userWithRole, wsClient, type TestHangar } from '../support/hangar.ts';

/** Resolves with the close code of the socket and how long after `since` it came. */
function closeOf(sub: ReturnType<typeof subscribe>, since: () => number) {
  return sub.closed.then((reason) => ({ code: (reason as { code?: number })?.code, ms: Date.now() - since() }));
}

describe('revoking rights ends open subscriptions at once, across API processes (Redis)', async () => {
  const database = await freshPostgresDatabase();
  const instances: TestHangar[] = [];
  after(async () => {
    for (const h of instances) await h.stop();
    await database.drop();
  });
  // Two API processes on one database and one Redis: the change is made on one, the socket lives on the other.
  const a = await startTestHangar('postgres', { DATABASE_URL: database.url });
  const b = await startTestHangar('postgres', { DATABASE_URL: database.url });
  instances.push(a, b);
  const admin = await setupAdmin(a);

  test('disabling a user closes their socket within a second', async () => {
    const user = await userWithRole(a, admin, 'User');
    const client = wsClient(b.url, { cookie: user.cookie });
    const sub = subscribe(client, 'subscription($id: ID!) { userUpdated(id: $id) { disabled } }', { id: user.id });
    await new Promise((r) => setTimeout(r, 300));
    let changedAt = 0;
    const closed = closeOf(sub, () => changedAt);
    changedAt = Date.now();
    await a.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: user.id }, { cookie: admin });
    const { code, ms } = await closed;
    assert.equal(code, 4401);
    assert.ok(ms < 1000, `closed after ${ms} ms`);
    await client.dispose();
  });

  test('a session cached by another process is refused once the user is disabled', async () => {
    const user = await userWithRole(a, admin, 'User');
    assert.ok((await b.gql('{ me { id } }', {}, { cookie: user.cookie })).data.me, 'b knows the session now');
    await a.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: user.id }, { cookie: admin });
    // Rights are cached per process only until a change arrives through Redis, a matter of milliseconds.
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await b.gql('{ me { id } }', {}, { cookie: user.cookie })).data.me, null);
  });

  test('revoking an API token closes the sockets that use it', async () => {
    const created = await a.gql('mutation { createApiToken(input: { name: "dash", privileges: [Audit_Read] }) { ... on CreatedApiToken { secret token { id } } } }', {}, { cookie: admin });
    const { secret, token } = created.data.createApiToken;
    const client = wsClient(b.url, { token: secret });
    const sub = subscribe(client, 'subscription { auditEntryAdded { action } }');
    await new Promise((r) => setTimeout(r, 300));
    let changedAt = 0;
    const closed = closeOf(sub, () => changedAt);
    changedAt = Date.now();
    await a.gql('mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: token.id }, { cookie: admin });
    const { code, ms } = await closed;
    assert.equal(code, 4401);
    assert.ok(ms < 1000, `closed after ${ms} ms`);
    await client.dispose();
  });

  test('removing a privilege from a role closes the sockets of its holders, who may reconnect with their new rights', async () => {
    const role = await a.gql('mutation { createRole(input: { name: "Watchers", privileges: [Audit_Read] }) { ... on Role { id } } }', {}, { cookie: admin });
    const roleId = role.data.createRole.id;
    const watcher = await userWithRole(a, admin, 'User');
    await a.gql('mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename } }', { id: watcher.id, roles: [roleId] }, { cookie: admin });
    const client = wsClient(b.url, { cookie: watcher.cookie });
    const sub = subscribe(client, 'subscription { auditEntryAdded { action } }');
    await new Promise((r) => setTimeout(r, 300));
    await a.gql('mutation { createApiToken(input: { name: "noise", privileges: [VM_Console] }) { __typename } }', {}, { cookie: admin });
    assert.equal((await sub.next()).data.auditEntryAdded.action, 'createApiToken');
    let changedAt = 0;
    const closed = closeOf(sub, () => changedAt);
    changedAt = Date.now();
    await a.gql('mutation($id: ID!) { updateRole(id: $id, input: { privileges: [VM_Console] }) { __typename } }', { id: roleId }, { cookie: admin });
    const { code, ms } = await closed;
    assert.equal(code, 4403);
    assert.ok(ms < 1000, `closed after ${ms} ms`);
    await client.dispose();
    const again = wsClient(b.url, { cookie: watcher.cookie });
    const retry = subscribe(again, 'subscription { auditEntryAdded { action } }');
    await retry.closed;
    assert.equal(retry.events[0]?.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    await again.dispose();
  });

  test('logging out closes the sockets of that session only', async () => {
    const first = await login(a, ADMIN.email, ADMIN.password);
    const second = await login(a, ADMIN.email, ADMIN.password);
    const c1 = wsClient(b.url, { cookie: first });
    const c2 = wsClient(b.url, { cookie: second });
    const s1 = subscribe(c1, 'subscription { auditEntryAdded { action } }');
    const s2 = subscribe(c2, 'subscription { auditEntryAdded { action } }');
    await new Promise((r) => setTimeout(r, 300));
    await a.gql('mutation { logout }', {}, { cookie: first });
    assert.equal(((await s1.closed) as { code: number }).code, 4401);
    assert.equal((await s2.next()).data.auditEntryAdded.action, 'logout');
    await c1.dispose();
    await c2.dispose();
  });
});
