import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { LIMITS } from '../../server/http/yoga.ts';
import { adminSession, BACKENDS, startTestHangar, useTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

async function tableCounts(t: TestHangar): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['users', 'roles', 'role_privileges', 'user_roles', 'api_tokens', 'quotas'] as const) {
    const row = await t.hangar.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  const names = await t.hangar.db.selectFrom('users').select(['name', 'email', 'disabled']).orderBy('email').execute();
  counts[JSON.stringify(names)] = 1;
  return counts;
}

for (const backend of BACKENDS) {
  describe(`bad input gets a typed error and changes nothing [${backend}]`, () => {
    const hangar = useTestHangar(backend);

    test('malformed ids, oversized strings, invalid emails and impossible values', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const user = await userWithRole(t, admin, 'User');
      const roleId = (await t.gql('{ roles { edges { node { id } } } }', {}, { cookie: admin })).data.roles.edges[0].node.id;
      const before = await tableCounts(t);
      const cases: Array<[string, string, Record<string, unknown>]> = [
        ['garbage id', 'mutation($id: ID!) { disableUser(id: $id) { __typename ... on ValidationError { fieldErrors { path } } } }', { id: 'not-a-global-id!!' }],
        ['id of another type', 'mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: roleId }],
        ['base64 of junk', 'mutation($id: ID!) { updateUser(id: $id, input: { name: "x" }) { __typename } }', { id: Buffer.from('User:1; drop table users').toString('base64') }],
        ['oversized name', 'mutation($id: ID!, $name: String!) { updateUser(id: $id, input: { name: $name }) { __typename } }', { id: user.id, name: 'x'.repeat(10_000) }],
        ['invalid email', 'mutation { createUser(input: { email: "no-at-sign", name: "A", password: "a long enough password" }) { __typename } }', {}],
        ['oversized email', `mutation { createUser(input: { email: "${'a'.repeat(300)}@example.com", name: "A", password: "a long enough password" }) { __typename } }`, {}],
        ['short password', 'mutation { createUser(input: { email: "ok@example.com", name: "A", password: "short" }) { __typename } }', {}],
        ['negative quota', 'mutation($id: ID!) { setQuota(userId: $id, input: { maxVms: -1 }) { __typename } }', { id: user.id }],
        ['role name with markup', 'mutation { createRole(input: { name: "<script>alert(1)</script>", privileges: [] }) { __typename } }', {}],
        ['unknown role in list', 'mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename } }', { id: user.id, roles: [Buffer.from('Role:00000000-0000-0000-0000-000000000000').toString('base64')] }],
        ['nothing to change', 'mutation($id: ID!) { updateUser(id: $id, input: {}) { __typename } }', { id: user.id }],
        ['token lifetime out of range', 'mutation { createApiToken(input: { name: "t", privileges: [VM_Console], expiresInDays: 100000 }) { __typename } }', {}],
      ];
      for (const [name, query, variables] of cases) {
        const result = await t.gql(query, variables, { cookie: admin });
        const payload = result.data && Object.values(result.data)[0] as { __typename?: string };
        assert.equal(result.errors, undefined, `${name}: ${JSON.stringify(result.errors)}`);
        assert.equal(payload?.__typename, 'ValidationError', `${name}: got ${JSON.stringify(payload)}`);
      }
      const disabledSelf = await t.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: (await t.gql('{ me { id } }', {}, { cookie: admin })).data.me.id }, { cookie: admin });
      assert.equal(disabledSelf.data.disableUser.__typename, 'ConflictError');
      assert.deepEqual(await tableCounts(t), before);
    });

    test('the last administrator cannot be demoted and built-in roles cannot be changed', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const me = (await t.gql('{ me { id roles { id name } } }', {}, { cookie: admin })).data.me;
      const before = await tableCounts(t);
      const demote = await t.gql('mutation($id: ID!) { setUserRoles(id: $id, roleIds: []) { __typename ... on Error { message } } }', { id: me.id }, { cookie: admin });
      assert.equal(demote.data.setUserRoles.__typename, 'ConflictError');
      const builtIn = await t.gql('mutation($id: ID!) { updateRole(id: $id, input: { privileges: [] }) { __typename } }', { id: me.roles[0].id }, { cookie: admin });
      assert.equal(builtIn.data.updateRole.__typename, 'ConflictError');
      const del = await t.gql('mutation($id: ID!) { deleteRole(id: $id) { __typename } }', { id: me.roles[0].id }, { cookie: admin });
      assert.equal(del.data.deleteRole.__typename, 'ConflictError');
      assert.deepEqual(await tableCounts(t), before);
    });

    test('a user manager cannot grant a role with privileges they lack', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const managers = await t.gql('mutation { createRole(input: { name: "User managers", privileges: [User_Manage] }) { ... on Role { id } } }', {}, { cookie: admin });
      const manager = await userWithRole(t, admin, 'User');
      await t.gql('mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename } }', { id: manager.id, roles: [managers.data.createRole.id] }, { cookie: admin });
      const administrators = (await t.gql('{ roles { edges { node { id name } } } }', {}, { cookie: admin })).data.roles.edges.find((e: any) => e.node.name === 'Administrator').node.id;
      const before = await tableCounts(t);
      const escalate = await t.gql('mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename } }', { id: manager.id, roles: [managers.data.createRole.id, administrators] }, { cookie: manager.cookie });
      assert.equal(escalate.data.setUserRoles.__typename, 'PermissionError');
      assert.deepEqual(await tableCounts(t), before);
    });

    test(`a query nested 20 levels along a cycle, or with more than ${LIMITS.aliases} aliases, is refused before it runs`, async () => {
      const t = hangar();
      const admin = await adminSession(t);
      let deep = 'id';
      for (let i = 0; i < 10; i++) deep = `apiTokens { owner { ${deep} } }`;
      const nested = await t.gql(`{ me { ${deep} } }`, {}, { cookie: admin });
      assert.equal(nested.data, undefined);
      assert.match(nested.errors![0].message, /depth|cost/i);
      const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: setupRequired`).join(' ');
      const flooded = await t.gql(`{ ${aliases} }`);
      assert.match(flooded.errors![0].message, /aliases/i);
      const mutations = Array.from({ length: 30 }, (_, i) => `m${i}: createRole(input: { name: "R${i}", privileges: [] }) { __typename }`).join(' ');
      const before = await tableCounts(t);
      const floodedMutation = await t.gql(`mutation { ${mutations} }`, {}, { cookie: admin });
      assert.ok(floodedMutation.errors?.length);
      assert.deepEqual(await tableCounts(t), before);
    });

    test('introspection is open to anyone, field suggestions only to the signed-in', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const introspection = await t.gql('{ __schema { queryType { name } types { name } } }');
      assert.equal(introspection.data.__schema.queryType.name, 'Query');
      const anonymous = await t.gql('{ mee { id } }');
      assert.doesNotMatch(anonymous.errors![0].message, /Did you mean/);
      const signedIn = await t.gql('{ mee { id } }', {}, { cookie: admin });
      assert.match(signedIn.errors![0].message, /Did you mean "me"/);
    });

    test('a cookie-authenticated request in a shape a foreign form could send is refused', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      const forged = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', cookie: admin },
        body: JSON.stringify({ query: 'mutation { createRole(input: { name: "Forged", privileges: [] }) { __typename } }' }),
      });
      assert.equal(forged.status, 403);
      assert.equal(await t.hangar.db.selectFrom('roles').select('id').where('name', '=', 'Forged').executeTakeFirst(), undefined);
      const viaGet = await fetch(`${t.url}/graphql?query=${encodeURIComponent('mutation { logout }')}`, { headers: { cookie: admin } });
      assert.equal(viaGet.status, 405);
    });

    test('a request body over the limit is refused with 413', async () => {
      const t = hangar();
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ setupRequired }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
      });
      assert.equal(response.status, 413);
    });

    test('health and readiness', async () => {
      const t = hangar();
      assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
      const ready = await fetch(`${t.url}/readyz`);
      assert.equal(ready.status, 200);
      const body = await ready.json();
      assert.equal(body.checks.database, 'ok');
      if (backend === 'postgres') assert.equal(body.checks.redis, 'ok');
    });

    test('an internal error is masked: the caller sees no SQL, only a code and the request id', async () => {
      const t = hangar();
      const admin = await adminSession(t);
      await sql`alter table quotas rename to quotas_gone`.execute(t.hangar.db);
      try {
        const result = await t.gql('{ me { quota { maxVms } } }', {}, { cookie: admin, headers: { 'x-request-id': 'req-internal-0001' } });
        assert.equal(result.errors![0].message, 'Unexpected error.');
        assert.equal(result.errors![0].extensions?.code, 'INTERNAL_SERVER_ERROR');
        assert.equal(result.errors![0].extensions?.requestId, 'req-internal-0001');
        assert.doesNotMatch(JSON.stringify(result), /quotas|relation|sql/i);
      } finally {
        await sql`alter table quotas_gone rename to quotas`.execute(t.hangar.db);
      }
    });
  });
}

test('readiness fails while Redis is unreachable', async () => {
  const t = await startTestHangar('pglite', { REDIS_URL: 'redis://127.0.0.1:1' });
  try {
    const ready = await fetch(`${t.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.notEqual((await ready.json()).checks.redis, 'ok');
    assert.equal((await fetch(`${t.url}/healthz`)).status, 200);
  } finally {
    await t.stop();
  }
});
