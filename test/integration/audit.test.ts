import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adminSession, BACKENDS, useTestHangar, userWithRole } from '../support/hangar.ts';

const AUDIT = `query($filter: AuditFilter) { auditLog(filter: $filter, first: 50) { edges { node { action result requestId actorName targetType targetId address detail } } } }`;

for (const backend of BACKENDS) {
  describe(`the audit log [${backend}]`, () => {
    const hangar = useTestHangar(backend);

    test('a mutation that succeeds is recorded with its request id, actor, target and address', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const requestId = 'req-create-user-0001';
      const created = await t.gql(
        'mutation { createUser(input: { email: "carol@example.com", name: "Carol", password: "a long enough password" }) { ... on User { id } } }',
        {},
        { cookie: admin, headers: { 'x-request-id': requestId } },
      );
      assert.equal(created.headers.get('x-request-id'), requestId);
      const log = await t.gql(AUDIT, { filter: { requestId } }, { cookie: admin });
      const [entry] = log.data.auditLog.edges.map((e: any) => e.node);
      assert.equal(entry.action, 'createUser');
      assert.equal(entry.result, 'OK');
      assert.equal(entry.actorName, 'admin@example.com');
      assert.equal(entry.targetType, 'User');
      assert.equal(entry.targetId, created.data.createUser.id);
      assert.match(entry.address, /127\.0\.0\.1/);
      assert.equal(JSON.parse(entry.detail).arguments.input.password, '[redacted]');
      const byTarget = await t.gql(AUDIT, { filter: { targetId: created.data.createUser.id } }, { cookie: admin });
      assert.equal(byTarget.data.auditLog.edges.length, 1);
    });

    test('refused and failed mutations are recorded too', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const user = await userWithRole(t, admin, 'User');
      await t.gql('mutation { createRole(input: { name: "Nope", privileges: [] }) { __typename } }', {}, { cookie: user.cookie, headers: { 'x-request-id': 'req-refused-0001' } });
      await t.gql('mutation { createUser(input: { email: "not-an-email", name: "X", password: "a long enough password" }) { __typename } }', {}, { cookie: admin, headers: { 'x-request-id': 'req-invalid-0001' } });
      await t.gql('mutation { login(input: { email: "ghost@example.com", password: "boo boo boo" }) { __typename } }', {}, { headers: { 'x-request-id': 'req-login-0001' } });
      const refused = (await t.gql(AUDIT, { filter: { requestId: 'req-refused-0001' } }, { cookie: admin })).data.auditLog.edges[0].node;
      assert.equal(refused.result, 'REFUSED');
      assert.equal(refused.action, 'createRole');
      assert.equal(refused.actorName, user.email);
      const invalid = (await t.gql(AUDIT, { filter: { requestId: 'req-invalid-0001' } }, { cookie: admin })).data.auditLog.edges[0].node;
      assert.equal(invalid.result, 'FAILED');
      assert.equal(JSON.parse(invalid.detail).error, 'ValidationError');
      const loginEntry = (await t.gql(AUDIT, { filter: { requestId: 'req-login-0001' } }, { cookie: admin })).data.auditLog.edges[0].node;
      assert.equal(loginEntry.result, 'FAILED');
      assert.equal(JSON.parse(loginEntry.detail).arguments.input.password, '[redacted]');
      const failures = await t.gql(AUDIT, { filter: { result: 'FAILED', action: 'createUser' } }, { cookie: admin });
      assert.ok(failures.data.auditLog.edges.length >= 1);
    });

    test('entries name their targets, deleted ones too, and the filter offers every action', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const user = await t.gql('mutation { createUser(input: { email: "erin@example.com", name: "Erin", password: "a long enough password" }) { ... on User { id } } }', {}, { cookie: admin });
      const role = await t.gql('mutation { createRole(input: { name: "Watchers", privileges: [] }) { ... on Role { id } } }', {}, { cookie: admin });
      const roleId = role.data.createRole.id;
      await t.gql('mutation($id: ID!) { deleteRole(id: $id) { __typename } }', { id: roleId }, { cookie: admin });
      const TARGETS = `query($filter: AuditFilter) { auditLog(filter: $filter, first: 50) { edges { node { action target { type id name exists } } } } }`;
      const forUser = (await t.gql(TARGETS, { filter: { targetId: user.data.createUser.id } }, { cookie: admin })).data.auditLog.edges.map((e: any) => e.node);
      assert.deepEqual(forUser, [{ action: 'createUser', target: { type: 'User', id: user.data.createUser.id, name: 'Erin', exists: true } }]);
      // The role is gone: its entries still read "Watchers", marked as no longer there.
      const forRole = (await t.gql(TARGETS, { filter: { targetId: roleId } }, { cookie: admin })).data.auditLog.edges.map((e: any) => e.node);
      assert.deepEqual(forRole.map((e: any) => e.action), ['deleteRole', 'createRole']);
      for (const e of forRole) assert.deepEqual(e.target, { type: 'Role', id: roleId, name: 'Watchers', exists: false });
      // An entry without a target has none; a page of many entries resolves them together.
      const page = (await t.gql(TARGETS, {}, { cookie: admin })).data.auditLog.edges.map((e: any) => e.node);
      assert.ok(page.some((e: any) => e.target === null));

      const actions = (await t.gql('{ auditActions }', {}, { cookie: admin })).data.auditActions as string[];
      for (const a of ['createVm', 'deleteVm', 'createUser', 'login', 'openConsole']) assert.ok(actions.includes(a), a);
      assert.deepEqual(actions, [...actions].sort());
      const other = await userWithRole(t, admin, 'User');
      const refused = await t.gql('{ auditActions }', {}, { cookie: other.cookie });
      assert.ok(refused.errors?.length);
    });

    test('a request id that could inject into logs or headers is replaced by a generated one', async () => {
      const t = hangar();
      const result = await t.gql('{ setupRequired }', {}, { headers: { 'x-request-id': 'bad id with spaces' } });
      const id = result.headers.get('x-request-id')!;
      assert.notEqual(id, 'bad id with spaces');
      assert.match(id, /^[0-9a-f-]{36}$/);
    });

    test('errors carry the request id in their extensions', async () => {
      const t = hangar();
      const result = await t.gql('{ users { edges { node { id } } } }', {}, { headers: { 'x-request-id': 'req-error-0001' } });
      assert.equal(result.errors?.[0].extensions?.requestId, 'req-error-0001');
    });

    test('entries can be filtered by actor, action and time', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const me = (await t.gql('{ me { id } }', {}, { cookie: admin })).data.me.id;
      const from = new Date(Date.now() - 60_000).toISOString();
      await t.gql('mutation { createUser(input: { email: "dave@example.com", name: "Dave", password: "a long enough password" }) { __typename } }', {}, { cookie: admin });
      const mine = await t.gql(AUDIT, { filter: { actorId: me, action: 'createUser', from } }, { cookie: admin });
      assert.ok(mine.data.auditLog.edges.length >= 1);
      assert.ok(mine.data.auditLog.edges.every((e: any) => e.node.action === 'createUser' && e.node.actorName === 'admin@example.com'));
      const future = await t.gql(AUDIT, { filter: { from: new Date(Date.now() + 60_000).toISOString() } }, { cookie: admin });
      assert.equal(future.data.auditLog.edges.length, 0);
    });
  });
}
