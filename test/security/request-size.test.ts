// Variable-size abuse: the document limits (depth, aliases, tokens, cost) never see the variables,
// where a list of any length fits into the body limit. Lists in variables are capped and counted
// before anything runs, and every list argument has its own cap in the schema.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { NODES_MAX_IDS } from '../../server/graphql/builder.ts';
import { LIMITS } from '../../server/http/yoga.ts';
import { adminSession, subscribe, useTestHangar, wsClient } from '../support/hangar.ts';

const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }';
const userIds = (n: number) => Array.from({ length: n }, () => Buffer.from(`User:${randomUUID()}`).toString('base64'));

describe('lists and values in variables', () => {
  const hangar = useTestHangar('postgres');

  test('nodes(ids:) with 14,000 ids in a variable is refused before it runs', async () => {
    const t = hangar();
    const admin = await adminSession(t);
    const started = performance.now();
    const result = await t.gql(NODES, { ids: userIds(14_000) }, { cookie: admin });
    const ms = performance.now() - started;
    assert.equal(result.data, undefined, 'the operation ran');
    assert.equal(result.errors?.length, 1);
    assert.equal(result.errors![0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(result.errors![0].message, new RegExp(`\\$ids holds 14000 items; a list holds at most ${LIMITS.listItems}`));
    assert.ok(ms < 5000, `took ${ms} ms`);
  });

  test(`nodes(ids:) takes at most ${NODES_MAX_IDS} ids (its schema cap); ${NODES_MAX_IDS} are answered`, async () => {
    const t = hangar();
    const admin = await adminSession(t);
    const over = await t.gql(NODES, { ids: userIds(NODES_MAX_IDS + 1) }, { cookie: admin });
    assert.equal(over.data?.nodes ?? null, null);
    assert.equal(over.errors?.[0].extensions?.code, 'BAD_USER_INPUT', JSON.stringify(over.errors));
    const me = (await t.gql('{ me { id } }', {}, { cookie: admin })).data.me.id;
    const fine = await t.gql(NODES, { ids: [me, ...userIds(NODES_MAX_IDS - 1)] }, { cookie: admin });
    // Answered: the made-up ids are simply not found.
    assert.equal(fine.data.nodes.length, NODES_MAX_IDS);
    assert.ok((fine.errors ?? []).every((e) => /not found/.test(e.message)), JSON.stringify(fine.errors?.[0]));
    assert.equal(fine.data.nodes[0].id, me);
  });

  test('the values of all variables are counted, declared or not, nested or not', async () => {
    const t = hangar();
    const admin = await adminSession(t);
    const chunk = () => Array.from({ length: 900 }, (_, i) => ({ n: i }));
    const spread = await t.gql('{ me { id } }', { a: chunk(), b: chunk(), c: { d: chunk(), e: [chunk(), chunk()] }, f: chunk() }, { cookie: admin });
    assert.equal(spread.data, undefined);
    assert.match(spread.errors![0].message, new RegExp(`more than ${LIMITS.variableValues} values`));
    const nested = await t.gql('{ me { id } }', { deep: { list: Array.from({ length: LIMITS.listItems + 1 }, () => 1) } }, { cookie: admin });
    assert.match(nested.errors![0].message, /\$deep\.list holds 1001 items/);
  });

  test('a subscription over WebSocket gets the same check', async () => {
    const t = hangar();
    const admin = await adminSession(t);
    const client = wsClient(t.url, { cookie: admin });
    try {
      const sub = subscribe(client, 'subscription { auditEntryAdded { id } }', { ids: userIds(14_000) });
      const outcome = await Promise.race([sub.closed, sub.next(10_000)]);
      const errors = (outcome as { errors?: Array<{ message: string }> })?.errors ?? (Array.isArray(outcome) ? outcome : []);
      assert.match(JSON.stringify(errors), /holds 14000 items/, JSON.stringify(outcome));
    } finally {
      await client.dispose();
    }
  });
});
