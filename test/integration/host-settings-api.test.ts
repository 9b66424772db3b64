// updateHost changes only the settings it names: one left out keeps its value (a partial update
// once reset every absent setting to its default: the VMs' network, the migration address…), and
// an explicit null network still means "no NIC".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adminSession, startTestHangar, type TestHangar } from '../support/hangar.ts';

const UPDATE = `mutation($id: ID!, $input: UpdateHostInput!) { updateHost(id: $id, input: $input) { __typename ... on Error { message } } }`;
const SETTINGS = `query($id: ID!) { node(id: $id) { ... on Host { settings { network { kind name } cpuOvercommit memoryOvercommit migrationAddress diskPool diskPoolShared vncListen } } } }`;

describe('updateHost with some settings', () => {
  let t: TestHangar;
  let admin: string;
  let local: string;

  before(async () => {
    t = await startTestHangar('postgres', {}, { processes: ['api'], registerLocalHost: true });
    admin = await adminSession(t);
    local = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
  });
  after(async () => {
    await t?.stop();
  });

  const settings = async () => (await t.gql(SETTINGS, { id: local }, { cookie: admin })).data.node.settings;
  const update = async (input: Record<string, unknown>) => {
    const result = await t.gql(UPDATE, { id: local, input }, { cookie: admin });
    assert.equal(result.data.updateHost.__typename, 'Host', JSON.stringify(result));
  };

  test('a setting left out keeps its value; an explicit null network means no NIC', async () => {
    const before = await settings();
    assert.ok(before.network, 'the local host starts with Hangar’s network');
    await update({ settings: { migrationAddress: '10.251.0.1', cpuOvercommit: 3, diskPoolShared: true } });
    await update({ settings: { memoryOvercommit: 1.5 } });
    const after = await settings();
    assert.deepEqual(after, { ...before, migrationAddress: '10.251.0.1', cpuOvercommit: 3, diskPoolShared: true, memoryOvercommit: 1.5 });
    await update({ maintenance: true });
    assert.deepEqual(await settings(), after, 'maintenance alone changes no setting');
    await update({ settings: { network: null } });
    assert.deepEqual(await settings(), { ...after, network: null });
  });
});
