// A second, remote hypervisor (scripts/test-host: another libvirtd in its own namespaces, reached
// by qemu+tcp) added by URI like any remote host: Hangar deploys a VM there from an image (cached
// through libvirt volumes), follows it by events and reconcile, samples its metrics and proxies its
// console. Real libvirtd both sides, a real Debian guest.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { uploadImage } from '../support/images.ts';
import { rawId, waitFor, waitForTask } from '../support/libvirt.ts';
import { holdSecondHost, SECOND_HOST, startSecondHost, virsh2 } from '../support/second-host.ts';
import { testImagePath } from '../support/test-image.ts';

const DEPLOY_TIMEOUT_MS = 10 * 60_000;
const ADD_HOST = `mutation($input: AddHostInput!) { addHost(input: $input) {
  __typename ... on Host { id name status domainType capabilities { cpus memoryMb } settings { network { name } vncListen } } ... on Error { message } } }`;
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) {
  __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } ... on ValidationError { fieldErrors { path message } } } }`;

describe('a remote host reached by URI (a second real libvirtd)', { timeout: 20 * 60_000 }, () => {
  let t: TestHangar;
  let admin: string;
  let hostId: string;
  let vmId = '';

  let release: (() => void) | undefined;
  before(async () => {
    // One after the other: a Hangar started beside a second host that failed would outlive the file.
    release = await holdSecondHost('shared');
    await startSecondHost();
    t = await startTestHangar('postgres', { HANGAR_RECONCILE_SECONDS: '2', HANGAR_METRICS_INTERVAL_SECONDS: '2' }, { processes: ['api', 'worker', 'collector'] });
    admin = await setupAdmin(t);
  });

  after(async () => {
    // What this file made on the second host goes (the host itself stays for other files; npm test stops it).
    if (vmId) {
      await virsh2('destroy', rawId(vmId)).catch(() => {});
      await virsh2('undefine', rawId(vmId), '--nvram').catch(() => {});
    }
    // Its VM's volumes and the image it cached there (other files use hv2 too: nothing else).
    const mine = (pool: string, name: string) => (pool === 'hangar-images' ? name.startsWith('image-') : vmId !== '' && name.startsWith(rawId(vmId)));
    for (const pool of ['hangar-disks', 'hangar-images']) {
      const volumes = (await virsh2('vol-list', '--pool', pool).catch(() => '')).split('\n').map((l) => l.trim().split(/\s+/)[0]).filter((v) => v && mine(pool, v));
      for (const name of volumes) await virsh2('vol-delete', '--pool', pool, name).catch(() => {});
    }
    await t?.stop();
    release?.();
  });

  test('added by its URI, it is online with its own capabilities', async () => {
    const added = await t.gql(ADD_HOST, { input: { name: 'hv2', uri: SECOND_HOST.uri, settings: { vncListen: SECOND_HOST.address } } }, { cookie: admin });
    assert.equal(added.data.addHost.__typename, 'Host', JSON.stringify(added));
    const host = added.data.addHost;
    hostId = host.id;
    assert.equal(host.status, 'ONLINE');
    assert.ok(host.capabilities.cpus > 0 && host.capabilities.memoryMb > 0);
    // It has no network of Hangar's: its VMs get no NIC, and say so.
    assert.equal(host.settings.network, null);
    assert.equal((await virsh2('hostname')).trim(), SECOND_HOST.hostname);
  });

  test('a VM deployed there from an image runs there, not here, with its console and metrics through Hangar', { timeout: DEPLOY_TIMEOUT_MS + 120_000 }, async () => {
    const image = await uploadImage(t, admin, await testImagePath(), { name: 'Debian 12 (test)', osFamily: 'debian', osVersion: '12', cloudInit: true, defaultUser: 'debian' });
    const created = await t.gql(CREATE, { i: { name: 'remote one', vcpus: 1, memoryMb: 768, diskGb: 4, imageId: image.id, hostId, guest: { password: 'correct-Horse-7' } } }, { cookie: admin });
    assert.equal(created.data.createVm.__typename, 'VmTaskPayload', JSON.stringify(created));
    vmId = created.data.createVm.vm.id;
    const task = await waitForTask(t, admin, created.data.createVm.task.id, DEPLOY_TIMEOUT_MS);
    assert.equal(task.status, 'SUCCEEDED', JSON.stringify(task));
    assert.match(task.steps[0].message, /On hv2, no NIC/);
    const id = rawId(vmId);
    assert.match(await virsh2('domstate', id), /running/);
    // The image was cached on hv2 through libvirt (a volume of its image pool), not on this machine's.
    assert.match(await virsh2('vol-list', '--pool', 'hangar-images'), /image-[0-9a-f]{32}\.qcow2/);

    // Metrics: the collector samples hv2 over its URI.
    await waitFor(
      'metrics of the remote VM',
      async () => {
        const { data } = await t.gql(`query($id: ID!, $from: DateTime!) { node(id: $id) { ... on Vm { metrics(from: $from) { times } } } }`, { id: vmId, from: new Date(Date.now() - 600_000).toISOString() }, { cookie: admin });
        return data.node.metrics.times.length > 0;
      },
      60_000,
      500,
    );

    // The console: a ticket opens a WebSocket on the API, which reaches QEMU's VNC server on hv2's address.
    const ticket = await t.gql(`mutation($id: ID!) { createConsoleTicket(vmId: $id) { __typename ... on ConsoleTicket { path } ... on Error { message } } }`, { id: vmId }, { cookie: admin });
    assert.equal(ticket.data.createConsoleTicket.__typename, 'ConsoleTicket', JSON.stringify(ticket));
    const banner = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(t.url.replace(/^http/, 'ws') + ticket.data.createConsoleTicket.path, { origin: t.url });
      ws.binaryType = 'nodebuffer';
      ws.once('message', (data: Buffer) => {
        resolve(data.subarray(0, 12).toString('latin1'));
        ws.close();
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`console refused: ${res.statusCode}`)));
    });
    assert.equal(banner, 'RFB 003.008\n');

    // Events over the remote connection: a power-off made on hv2 behind Hangar's back is seen.
    await virsh2('destroy', id);
    await waitFor(
      'the VM seen stopped',
      async () => (await t.gql(`query($id: ID!) { node(id: $id) { ... on Vm { state } } }`, { id: vmId }, { cookie: admin })).data.node.state === 'STOPPED',
      30_000,
      200,
    );
    const deleted = await t.gql(`mutation($id: ID!) { deleteVm(id: $id) { ... on VmTaskPayload { task { id } } } }`, { id: vmId }, { cookie: admin });
    const deletion = await waitForTask(t, admin, deleted.data.deleteVm.task.id);
    assert.equal(deletion.status, 'SUCCEEDED', JSON.stringify(deletion));
    await assert.rejects(virsh2('domstate', id), 'the domain is gone from hv2');
    assert.doesNotMatch(await virsh2('vol-list', '--pool', 'hangar-disks'), new RegExp(id));
    vmId = '';
  });
});
