// The serial console: the same console ticket opens a WebSocket on /console/serial that reaches the
// VM's first serial port through `virsh console` on the local libvirtd. The guest is a boot sector
// that answers each byte on COM1 with its case flipped, so what comes back is the guest's own answer.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { domState, rawId, removeLeftoverVms, VM_FIELDS, vmMutation, waitFor } from '../support/libvirt.ts';
import { makeSerialEchoIso } from '../support/poweroff-iso.ts';

const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { ${VM_FIELDS} } task { id } } ... on Error { message } } }`;
const TICKET = `mutation($id: ID!) { createConsoleTicket(vmId: $id) { __typename ... on ConsoleTicket { path } ... on Error { message } } }`;
const DELETE = `mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

/** An open serial console: the text it received so far, and how it closed. */
interface Serial {
  ws: WebSocket;
  text: () => string;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens the serial console with a fresh ticket's path; resolves with the open console or the HTTP status it was refused with. */
function openSerial(t: TestHangar, ticketPath: string): Promise<Serial | number> {
  const path = ticketPath.replace(/^\/console\?/, '/console/serial?');
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(t.url.replace(/^http/, 'ws') + path, ['binary']);
    let received = '';
    ws.on('message', (data: Buffer) => (received += data.toString('latin1')));
    const closed = new Promise<{ code: number; reason: string }>((done) => ws.on('close', (code, reason) => done({ code, reason: reason.toString() })));
    ws.once('open', () => resolve({ ws, text: () => received, closed }));
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', reject);
  });
}

async function ticketPath(t: TestHangar, cookie: string, vmId: string): Promise<string> {
  const r = await t.gql(TICKET, { id: vmId }, { cookie });
  assert.equal(r.data?.createConsoleTicket?.__typename, 'ConsoleTicket', JSON.stringify(r));
  return r.data.createConsoleTicket.path;
}

/** Types `word` until the guest's answer (its case flipped) arrives: the guest may still be booting. */
async function answerOf(serial: Serial, word: string): Promise<string> {
  const expected = [...word].map((c) => String.fromCharCode(c.charCodeAt(0) ^ 0x20)).join('');
  return waitFor(`the guest to answer ${word} with ${expected}`, async () => {
    if (serial.text().includes(expected)) return expected;
    serial.ws.send(Buffer.from(word, 'latin1'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    return serial.text().includes(expected) ? expected : null;
  }, 30_000, 200);
}

/** The `virsh console` processes for a domain (none should outlive their console). */
async function virshConsoles(vmId: string): Promise<number> {
  const { stdout } = await promisify(execFile)('ps', ['-eo', 'args']);
  return stdout.split('\n').filter((line) => line.includes('virsh') && line.includes(' console') && line.includes(`hangar-${vmId}`)).length;
}

describe('the serial console on real libvirt (Postgres, Redis)', () => {
  let t: TestHangar;
  let admin: string;
  let vmId: string;
  before(async () => {
    t = await startTestHangar('postgres', {}, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    const iso = await makeSerialEchoIso('/var/lib/libvirt/images/hangar-test');
    const created = await vmMutation(t, admin, CREATE, { i: { name: 'wtd-serial', vcpus: 1, memoryMb: 128, diskGb: 1, isoPath: iso } });
    assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
    vmId = created.vmId;
    assert.equal(await domState(rawId(vmId)), 'running');
  });
  after(async () => {
    if (t && vmId) await vmMutation(t, admin, DELETE, { id: vmId }).catch(() => {});
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  });

  test('text typed into the serial console reaches the guest and its answer comes back; closing ends virsh and is audited', async () => {
    const serial = await openSerial(t, await ticketPath(t, admin, vmId));
    assert.ok(typeof serial !== 'number', `refused with ${serial}`);
    assert.equal(await answerOf(serial, 'hello'), 'HELLO');
    // A paste is many bytes in one frame.
    assert.equal(await answerOf(serial, 'pastedTextInOneGoAndThenSomeMoreLetters'), 'PASTEDtEXTiNoNEgOaNDtHENsOMEmORElETTERS');
    assert.doesNotMatch(serial.text(), /Authorization not available|Connected to domain/, 'virsh\u2019s own chatter is not the guest\u2019s');
    serial.ws.close();
    assert.equal((await serial.closed).code, 1005);
    await waitFor('virsh console to end', async () => (await virshConsoles(rawId(vmId))) === 0, 5000, 100);
    const { data } = await t.gql(`query($id: ID!) { auditLog(first: 20, filter: { targetId: $id }) { edges { node { action detail } } } }`, { id: vmId }, { cookie: admin });
    const entries = data.auditLog.edges.map((e: any) => ({ action: e.node.action, detail: JSON.parse(e.node.detail) }));
    assert.ok(entries.some((e: any) => e.action === 'openConsole' && e.detail.type === 'serial'), JSON.stringify(entries));
    assert.ok(entries.some((e: any) => e.action === 'closeConsole' && e.detail.bytesToVm > 0));
  });

  test('another user\u2019s VM is refused: no ticket for it, and a used ticket opens nothing', async () => {
    const stranger = await userWithRole(t, admin, 'User');
    const hidden = await t.gql(TICKET, { id: vmId }, { cookie: stranger.cookie });
    assert.equal(hidden.data.createConsoleTicket.__typename, 'NotFoundError');
    const auditor = await userWithRole(t, admin, 'Auditor');
    const forbidden = await t.gql(TICKET, { id: vmId }, { cookie: auditor.cookie });
    assert.equal(forbidden.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'an Auditor sees the VM but holds no VM.Console');
    assert.equal(await openSerial(t, '/console?ticket=hgc_' + 'A'.repeat(43)), 401, 'a made-up ticket');
    const path = await ticketPath(t, admin, vmId);
    const first = await openSerial(t, path);
    assert.ok(typeof first !== 'number');
    first.ws.close();
    assert.equal(await openSerial(t, path), 401, 'a ticket is used once, whichever console it opened');
  });

  test('a disabled user\u2019s serial console closes at once (4401)', async () => {
    const operator = await userWithRole(t, admin, 'Operator');
    const serial = await openSerial(t, await ticketPath(t, operator.cookie, vmId));
    assert.ok(typeof serial !== 'number');
    assert.equal(await answerOf(serial, 'ok'), 'OK');
    const disabled = await t.gql(`mutation($id: ID!) { disableUser(id: $id) { __typename } }`, { id: operator.id }, { cookie: admin });
    assert.equal(disabled.data.disableUser.__typename, 'User');
    assert.equal((await serial.closed).code, 4401);
    await waitFor('virsh console to end', async () => (await virshConsoles(rawId(vmId))) === 0, 5000, 100);
  });

  // Last: the VM stays stopped.
  test('a serial console ends when its VM powers off', async () => {
    const serial = await openSerial(t, await ticketPath(t, admin, vmId));
    assert.ok(typeof serial !== 'number');
    assert.equal(await answerOf(serial, 'bye'), 'BYE');
    const stopped = await vmMutation(t, admin, `mutation($id: ID!) { stopVm(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id } } } }`, { id: vmId });
    assert.equal(stopped.task.status, 'SUCCEEDED');
    assert.equal((await serial.closed).code, 1000);
    await waitFor('virsh console to end', async () => (await virshConsoles(rawId(vmId))) === 0, 5000, 100);
  });
});
