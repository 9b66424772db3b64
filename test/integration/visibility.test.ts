import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BACKENDS, setupAdmin, subscribe, useTestHangar, userWithRole, wsClient } from '../support/hangar.ts';

for (const backend of BACKENDS) {
  describe(`an ordinary user sees only their own objects [${backend}]`, () => {
    const hangar = useTestHangar(backend);

    test('through node(id), nodes, lists and subscriptions', async () => {
      const t = hangar();
      const admin = await setupAdmin(t);
      const alice = await userWithRole(t, admin, 'User');
      const bob = await userWithRole(t, admin, 'User');
      const bobToken = await t.gql(
        'mutation { createApiToken(input: { name: "bob", privileges: [VM_Console] }) { ... on CreatedApiToken { token { id } } } }',
        {},
        { cookie: bob.cookie },
      );
      const bobTokenId = bobToken.data.createApiToken.token.id;

      const own = await t.gql('query($id: ID!) { node(id: $id) { ... on User { email } } }', { id: alice.id }, { cookie: alice.cookie });
      assert.equal(own.data.node.email, alice.email);

      for (const id of [bob.id, bobTokenId]) {
        const other = await t.gql('query($id: ID!) { node(id: $id) { id ... on User { email } } }', { id }, { cookie: alice.cookie });
        assert.equal(other.data.node, null);
        assert.equal(other.errors?.[0].extensions?.code, 'NOT_FOUND');
      }
      const many = await t.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [alice.id, bob.id] }, { cookie: alice.cookie });
      assert.equal(many.data.nodes[0].id, alice.id);
      assert.equal(many.data.nodes[1], null);

      const list = await t.gql('{ users { edges { node { email } } } }', {}, { cookie: alice.cookie });
      assert.equal(list.errors?.[0].extensions?.code, 'FORBIDDEN');

      const audit = await t.gql('{ auditLog { edges { node { id } } } }', {}, { cookie: alice.cookie });
      assert.equal(audit.errors?.[0].extensions?.code, 'FORBIDDEN');

      const revoke = await t.gql('mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', { id: bobTokenId }, { cookie: alice.cookie });
      assert.equal(revoke.data.revokeApiToken.__typename, 'NotFoundError');
      const stillValid = await t.hangar.db.selectFrom('api_tokens').select('revoked_at').executeTakeFirstOrThrow();
      assert.equal(stillValid.revoked_at, null);

      // The token list of a user is visible to that user and to user managers only.
      const tokens = await t.gql('query($id: ID!) { node(id: $id) { ... on User { apiTokens { id } } } }', { id: bob.id }, { cookie: admin });
      assert.equal(tokens.data.node.apiTokens.length, 1);

      const client = wsClient(t.url, { cookie: alice.cookie });
      const spy = subscribe(client, 'subscription($id: ID!) { userUpdated(id: $id) { email } }', { id: bob.id });
      await spy.closed;
      assert.equal(spy.events[0]?.errors?.[0]?.extensions?.code, 'NOT_FOUND');
      assert.equal(spy.events.some((e) => e.data?.userUpdated), false);
      const mine = subscribe(client, 'subscription($id: ID!) { userUpdated(id: $id) { name } }', { id: alice.id });
      await new Promise((r) => setTimeout(r, 200));
      await t.gql('mutation($id: ID!) { updateUser(id: $id, input: { name: "Alice Liddell" }) { __typename } }', { id: alice.id }, { cookie: admin });
      const event = await mine.next();
      assert.equal(event.data.userUpdated.name, 'Alice Liddell');
      await client.dispose();
    });
  });
}
