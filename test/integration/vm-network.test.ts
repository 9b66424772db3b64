// A VM has a network out of the box: `start` makes the local NAT network (libvirt's dnsmasq for
// DHCP, masquerading rules) and puts host `local`'s VMs on it; a VM keeps the NIC it was made with;
// the API says what a VM really has. Real libvirtd; the networks here are scratch ones of this file
// (the machine's own `hangar` network is left alone). No guest traffic leaves the machine: the
// guests here are firmware that never speaks on the network.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hypervisorFor } from '../../server/hypervisor/libvirt-hypervisor.ts';
import { natNetworkXml } from '../../server/hypervisor/networks.ts';
import { HypervisorError } from '../../server/hypervisor/errors.ts';
import { removeNetwork } from '../support/deploy.ts';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { LOCAL_URI, rawId, removeLeftoverVms, virsh, VM_FIELDS, vmMutation } from '../support/libvirt.ts';

const NET = { name: 'hangar-nt', cidr: '192.168.252.0/24' };
const RACE = { name: 'hangar-nt-race', cidr: '192.168.253.0/24' };
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { ${VM_FIELDS} } task { id } } ... on Error { message } } }`;
const NIC = 'network { kind name macAddress addressing pool addresses }';
const UPDATE_HOST = `mutation($id: ID!, $input: UpdateHostInput!) { updateHost(id: $id, input: $input) {
  __typename ... on Host { settings { network { kind name } } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;

describe('VM networks on real libvirt', () => {
  let t: TestHangar;
  let admin: string;
  let hostId: string;

  before(async () => {
    await Promise.all([removeNetwork(NET), removeNetwork(RACE)]);
    t = await startTestHangar('postgres', { HANGAR_LOCAL_NETWORK: NET.name, HANGAR_LOCAL_NETWORK_CIDR: NET.cidr }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    hostId = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
  });

  after(async () => {
    if (t) await removeLeftoverVms(t);
    await t?.stop();
    await Promise.all([removeNetwork(NET), removeNetwork(RACE)]);
  });

  async function nicOf(vmId: string) {
    return (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { ${NIC} } } }`, { id: vmId }, { cookie: admin })).data.node.network;
  }

  test('start made the local NAT network with DHCP, running and autostarted, and host local uses it', async () => {
    const xml = await virsh('net-dumpxml', NET.name);
    assert.match(xml, /<forward mode='nat'/);
    assert.match(xml, /<ip address='192\.168\.252\.1' netmask='255\.255\.255\.0'>/);
    assert.match(xml, /<range start='192\.168\.252\.2' end='192\.168\.252\.254'/);
    const info = await virsh('net-info', NET.name);
    assert.match(info, /^Active:\s+yes$/m);
    assert.match(info, /^Autostart:\s+yes$/m);
    const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { settings { network { kind name } } libvirtNetworks } } }`, { id: hostId }, { cookie: admin });
    assert.deepEqual(data.node.settings.network, { kind: 'NETWORK', name: NET.name });
    assert.ok(data.node.libvirtNetworks.includes(NET.name), JSON.stringify(data.node.libvirtNetworks));
  });

  test('a VM gets a NIC on the network by DHCP; after the host is set to no network a new VM has none, and the first keeps its NIC', async () => {
    const first = await vmMutation(t, admin, CREATE, { i: { name: 'with-nic', vcpus: 1, memoryMb: 128, diskGb: 1 } });
    assert.equal(first.task.status, 'SUCCEEDED', JSON.stringify(first.task));
    const nic = await nicOf(first.vmId);
    assert.equal(nic.kind, 'NETWORK');
    assert.equal(nic.name, NET.name);
    assert.equal(nic.addressing, 'DHCP');
    assert.equal(nic.pool, null);
    // Firmware never asks for an address: none is known, and none is made up.
    assert.deepEqual(nic.addresses, []);
    const domain = await virsh('dumpxml', rawId(first.vmId));
    assert.match(domain, new RegExp(`<source network='${NET.name}'`));
    assert.ok(domain.includes(`<mac address='${nic.macAddress}'/>`), `the domain has the MAC the API shows (${nic.macAddress}): ${domain.match(/<interface[\s\S]*?<\/interface>/)?.[0]}`);

    const none = await t.gql(UPDATE_HOST, { id: hostId, input: { settings: { network: null } } }, { cookie: admin });
    assert.equal(none.data.updateHost.__typename, 'Host', JSON.stringify(none));
    assert.equal(none.data.updateHost.settings.network, null);
    const second = await vmMutation(t, admin, CREATE, { i: { name: 'without-nic', vcpus: 1, memoryMb: 128, diskGb: 1 } });
    assert.equal(second.task.status, 'SUCCEEDED', JSON.stringify(second.task));
    assert.equal(await nicOf(second.vmId), null);
    assert.doesNotMatch(await virsh('dumpxml', rawId(second.vmId)), /<interface/);
    assert.equal((await nicOf(first.vmId)).name, NET.name, 'the first VM keeps its NIC');

    // Stopped and started again (a new definition), the first VM still has its NIC on the network.
    for (const mutation of ['stopVm', 'startVm']) {
      const { task } = await vmMutation(t, admin, `mutation($id: ID!) { ${mutation}(id: $id) { ... on VmTaskPayload { vm { id } task { id } } } }`, { id: first.vmId });
      assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    }
    assert.match(await virsh('dumpxml', rawId(first.vmId)), new RegExp(`<source network='${NET.name}'`));

    const back = await t.gql(UPDATE_HOST, { id: hostId, input: { settings: { network: { kind: 'NETWORK', name: NET.name } } } }, { cookie: admin });
    assert.deepEqual(back.data.updateHost.settings.network, { kind: 'NETWORK', name: NET.name });
  });

  test('a network the host does not have is refused, naming it, and the host is unchanged', async () => {
    const refused = await t.gql(UPDATE_HOST, { id: hostId, input: { settings: { network: { kind: 'NETWORK', name: 'no-such-net' }, cpuOvercommit: 2 } } }, { cookie: admin });
    assert.equal(refused.data.updateHost.__typename, 'ValidationError', JSON.stringify(refused));
    assert.match(refused.data.updateHost.fieldErrors[0].message, /no-such-net does not exist/);
    const { data } = await t.gql(`query($id: ID!) { node(id: $id) { ... on Host { settings { network { name } cpuOvercommit } } } }`, { id: hostId }, { cookie: admin });
    assert.deepEqual(data.node.settings, { network: { name: NET.name }, cpuOvercommit: 4 });
  });

  test('every host setting is editable in one update', async () => {
    const input = { name: 'local', domainType: 'QEMU', settings: { cpuOvercommit: 3, memoryOvercommit: 1.5, concurrency: 3, vncListen: '127.0.0.1', diskPool: 'hangar-disks', imagePool: 'hangar-images', network: { kind: 'NETWORK', name: NET.name } } };
    const updated = await t.gql(
      `mutation($id: ID!, $input: UpdateHostInput!) { updateHost(id: $id, input: $input) { __typename ... on Host { domainType settings { cpuOvercommit memoryOvercommit concurrency vncListen network { name } } } ... on Error { message } } }`,
      { id: hostId, input },
      { cookie: admin },
    );
    assert.deepEqual(updated.data.updateHost, { __typename: 'Host', domainType: 'QEMU', settings: { cpuOvercommit: 3, memoryOvercommit: 1.5, concurrency: 3, vncListen: '127.0.0.1', network: { name: NET.name } } });
  });

  test('several processes making the network at once make it once, running', async () => {
    const local = hypervisorFor({ uri: LOCAL_URI });
    await Promise.all([1, 2, 3].map(() => local.ensureNatNetwork(RACE)));
    assert.equal(await local.networkActive(RACE.name), true);
    assert.equal((await virsh('net-list', '--all', '--name')).split('\n').filter((n) => n.trim() === RACE.name).length, 1);
  });

  test('a NAT network is only made from a sane subnet', () => {
    assert.throws(() => natNetworkXml({ name: 'x', cidr: '10.0.0.0/8' }), HypervisorError);
    assert.throws(() => natNetworkXml({ name: 'x', cidr: 'not-an-address/24' }), HypervisorError);
    assert.throws(() => natNetworkXml({ name: '-bad', cidr: '10.0.0.0/24' }), HypervisorError);
    assert.match(natNetworkXml({ name: 'wide', cidr: '10.9.0.0/16' }), /<range start="10\.9\.0\.2" end="10\.9\.255\.254"/);
  });
});
