// The browser console: a ticket from GraphQL opens a WebSocket on /console that reaches the VM's
// real VNC server (QEMU on the local libvirtd), spoken to here in RFB as noVNC would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { hashSecret } from '../../server/services/secrets.ts';
import { roleId, setupAdmin, startTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';
import { domState, rawId, removeLeftoverVms, VM_FIELDS, vmMutation, waitFor } from '../support/libvirt.ts';
import { makePowerOffIso, MAX_DELAY_SECONDS } from '../support/poweroff-iso.ts';

const PUBLIC_URL = 'http://hangar.example.test';
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { ${VM_FIELDS} } task { id } } ... on Error { message } } }`;
const TICKET = `mutation($id: ID!) { createConsoleTicket(vmId: $id) {
  __typename ... on ConsoleTicket { ticket expiresAt path } ... on Error { message } } }`;
const DELETE = `mutation($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id } } ... on Error { message } } }`;

/** The bytes a console receives, read in the sizes RFB messages have. */
class ConsoleStream {
  private buffer = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;

  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, data]);
      this.wake?.();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  async read(length: number, timeoutMs = 15_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.buffer.length < length) {
      if (Date.now() > deadline) throw new Error(`only ${this.buffer.length} of ${length} bytes arrived`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    const chunk = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return chunk;
  }

  send(bytes: number[] | Buffer): void {
    this.ws.send(Buffer.from(bytes));
  }
}

interface Refusal {
  status: number;
  body: string;
}

/** Opens /console?…; resolves with the open stream, or with the HTTP status the upgrade was refused with. */
function openConsole(t: TestHangar, path: string, options: { origin?: string; protocols?: string[] } = {}): Promise<ConsoleStream | Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(t.url.replace(/^http/, 'ws') + path, options.protocols ?? [], options.origin ? { origin: options.origin } : {});
    // Listening before the upgrade completes: the VNC banner may come in the same packet as the 101.
    const stream = new ConsoleStream(ws);
    ws.once('open', () => resolve(stream));
    ws.once('unexpected-response', (req, res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    ws.on('error', reject);
  });
}

async function ticketFor(t: TestHangar, cookie: string, vmId: string): Promise<{ ticket: string; expiresAt: string; path: string }> {
  const result = await t.gql(TICKET, { id: vmId }, { cookie });
  assert.equal(result.data?.createConsoleTicket?.__typename, 'ConsoleTicket', JSON.stringify(result));
  return result.data.createConsoleTicket;
}

/** The VM's audit entries, newest first. */
async function consoleAudit(t: TestHangar, cookie: string, vmId: string): Promise<any[]> {
  const { data } = await t.gql(
    `query($id: ID!) { auditLog(first: 50, filter: { targetId: $id }) { edges { node { action result requestId detail actorName } } } }`,
    { id: vmId },
    { cookie },
  );
  return data.auditLog.edges.map((e: any) => e.node);
}

async function refusalOf(t: TestHangar, path: string): Promise<number> {
  const outcome = await openConsole(t, path);
  if (outcome instanceof ConsoleStream) {
    outcome.ws.close();
    throw new Error(`the console opened for ${path}`);
  }
  return outcome.status;
}

/** RFB 3.8 up to ServerInit, without a password (libvirt's VNC offers security type None). */
async function handshake(stream: ConsoleStream): Promise<{ width: number; height: number; bitsPerPixel: number; name: string }> {
  assert.equal((await stream.read(12)).toString('latin1'), 'RFB 003.008\n');
  stream.send(Buffer.from('RFB 003.008\n', 'latin1'));
  const count = (await stream.read(1))[0];
  assert.ok(count > 0, 'the server offers at least one security type');
  const types = [...(await stream.read(count))];
  assert.ok(types.includes(1), `security type None offered (got ${types})`);
  stream.send([1]);
  assert.equal((await stream.read(4)).readUInt32BE(0), 0, 'SecurityResult OK');
  stream.send([1]); // ClientInit, shared
  const init = await stream.read(24);
  const name = (await stream.read(init.readUInt32BE(20))).toString('utf8');
  return { width: init.readUInt16BE(0), height: init.readUInt16BE(2), bitsPerPixel: init[4], name };
}

const RAW = 0;
/** RFB's DesktopSize pseudo-encoding: the server says when the guest changes its screen mode. */
const DESKTOP_SIZE = -223;

interface Screen {
  width: number;
  height: number;
  bitsPerPixel: number;
}

/** SetEncodings: raw pixels, and DesktopSize so a mode change mid-test is announced, not guessed. */
function setEncodings(stream: ConsoleStream): void {
  const message = Buffer.alloc(4 + 8);
  message.writeUInt8(2, 0);
  message.writeUInt16BE(2, 2);
  message.writeInt32BE(RAW, 4);
  message.writeInt32BE(DESKTOP_SIZE, 8);
  stream.send(message);
}

/**
 * Asks for the whole screen and reads one FramebufferUpdate in raw encoding; returns its pixel bytes.
 * A booting guest changes mode (640×480 to text mode, for one): on DesktopSize the screen takes the
 * new size and the whole screen is asked for again.
 */
async function framebuffer(stream: ConsoleStream, screen: Screen): Promise<Buffer[]> {
  for (;;) {
    const request = Buffer.alloc(10);
    request.writeUInt8(3, 0);
    request.writeUInt16BE(screen.width, 6);
    request.writeUInt16BE(screen.height, 8);
    stream.send(request);
    const header = await stream.read(4);
    assert.equal(header[0], 0, 'a FramebufferUpdate');
    const rects: Buffer[] = [];
    let resized = false;
    for (let i = 0; i < header.readUInt16BE(2); i++) {
      const rect = await stream.read(12);
      const [w, h, encoding] = [rect.readUInt16BE(4), rect.readUInt16BE(6), rect.readInt32BE(8)];
      if (encoding === DESKTOP_SIZE) {
        Object.assign(screen, { width: w, height: h });
        resized = true;
        continue;
      }
      assert.equal(encoding, RAW, 'raw encoding, the only one asked for');
      rects.push(await stream.read((w * h * screen.bitsPerPixel) / 8));
    }
    if (!resized) return rects;
  }
}

describe('the browser console on real libvirt (Postgres, Redis)', () => {
  let t: TestHangar;
  let admin: string;
  let vmId: string;
  before(async () => {
    t = await startTestHangar('postgres', { HANGAR_PUBLIC_URL: PUBLIC_URL }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    // A guest that prints "P" and then waits (18 hours) before powering off.
    const iso = await makePowerOffIso('/var/lib/libvirt/images/hangar-test', MAX_DELAY_SECONDS);
    const created = await vmMutation(t, admin, CREATE, { i: { name: 'console', vcpus: 1, memoryMb: 128, diskGb: 1, isoPath: iso } });
    assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
    vmId = created.vmId;
    assert.equal(await domState(rawId(vmId)), 'running');
  });
  after(async () => {
    if (t && vmId) await vmMutation(t, admin, DELETE, { id: vmId }).catch(() => {});
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  });

  test('a ticket opens the VM\u2019s own VNC server: banner, no-password security, ServerInit and a frame', async () => {
    const asked = Date.now();
    const { ticket, expiresAt, path } = await ticketFor(t, admin, vmId);
    assert.match(ticket, /^hgc_[A-Za-z0-9_-]{43}$/);
    assert.equal(path, `/console?ticket=${ticket}`);
    const ttl = Date.parse(expiresAt) - asked;
    assert.ok(ttl > 25_000 && ttl < 35_000, `valid about 30 s (${ttl} ms)`);
    // Only the hash is stored.
    const rows = await t.hangar.db.selectFrom('console_tickets').select('token_hash').execute();
    assert.deepEqual(rows.map((r) => r.token_hash), [hashSecret(ticket)]);

    const stream = await openConsole(t, path, { protocols: ['binary'], origin: PUBLIC_URL });
    assert.ok(stream instanceof ConsoleStream, JSON.stringify(stream));
    assert.equal(stream.ws.protocol, 'binary');
    const init = await handshake(stream);
    assert.ok(init.width > 0 && init.height > 0, JSON.stringify(init));
    assert.match(init.name, new RegExp(`hangar-${rawId(vmId)}`));
    assert.equal(init.bitsPerPixel, 32);

    // The whole screen arrives (about a megabyte through the proxy), and the guest's text shows on it.
    const screen: Screen = { width: init.width, height: init.height, bitsPerPixel: init.bitsPerPixel };
    setEncodings(stream);
    let rects = await framebuffer(stream, screen);
    assert.ok(screen.width > 0 && screen.height > 0, JSON.stringify(screen));
    assert.equal(rects.reduce((sum, r) => sum + r.length, 0), (screen.width * screen.height * screen.bitsPerPixel) / 8);
    const deadline = Date.now() + 20_000;
    while (!rects.some((r) => r.some((byte) => byte !== 0))) {
      assert.ok(Date.now() < deadline, 'the guest\u2019s text shows on the screen within 20 s');
      await new Promise((r) => setTimeout(r, 200));
      rects = await framebuffer(stream, screen);
    }

    stream.ws.close();
    await stream.closed;
    assert.equal(await t.hangar.db.selectFrom('console_tickets').select('token_hash').executeTakeFirst(), undefined, 'the ticket is used up');

    // The ticket, the opening and the closing are in the audit log, the ticket itself in none.
    const entries = await waitFor('the console\u2019s closing to be audited', async () => {
      const list = await consoleAudit(t, admin, vmId);
      return list.some((e: any) => e.action === 'closeConsole') ? list : null;
    }, 5000, 50);
    const issued = entries.find((e: any) => e.action === 'createConsoleTicket');
    const opened = entries.find((e: any) => e.action === 'openConsole');
    const closed = entries.find((e: any) => e.action === 'closeConsole');
    assert.equal(issued?.result, 'OK', JSON.stringify(entries));
    assert.equal(opened?.result, 'OK', JSON.stringify(entries));
    assert.equal(opened.actorName, 'admin@example.com');
    assert.equal(JSON.parse(opened.detail).ticketRequestId, issued.requestId);
    // The closing pairs with the opening and tells how it ended and what went through.
    assert.equal(closed.requestId, opened.requestId);
    assert.equal(closed.actorName, 'admin@example.com');
    const closedDetail = JSON.parse(closed.detail);
    assert.equal(closedDetail.closedBy, 'browser');
    assert.equal(closedDetail.code, 1005, 'the browser closed without a code');
    assert.ok(closedDetail.bytesToBrowser >= (screen.width * screen.height * 4), JSON.stringify(closedDetail));
    assert.ok(closedDetail.bytesToVm > 0 && closedDetail.seconds >= 0, JSON.stringify(closedDetail));
    assert.ok(!JSON.stringify(entries).includes(ticket.slice(4)), 'no ticket in the audit log');
  });

  test('a ticket opens one console only; expired, forged and missing tickets are refused with 401', async () => {
    const { path } = await ticketFor(t, admin, vmId);
    const first = await openConsole(t, path);
    assert.ok(first instanceof ConsoleStream);
    assert.equal((await first.read(12)).toString('latin1'), 'RFB 003.008\n');
    assert.equal(await refusalOf(t, path), 401, 'a second use');
    first.ws.close();

    // A ticket past its 30 seconds, put in place of waiting for one to age.
    const me = await t.gql('{ me { id } }', {}, { cookie: admin });
    const expired = 'hgc_expired-ticket-for-this-test-000000000000000';
    await t.hangar.db
      .insertInto('console_tickets')
      .values({ token_hash: hashSecret(expired), user_id: rawId(me.data.me.id), vm_id: rawId(vmId), request_id: 'test', expires_at: new Date(Date.now() - 1000) })
      .execute();
    assert.equal(await refusalOf(t, `/console?ticket=${expired}`), 401, 'an expired ticket');
    assert.equal(await refusalOf(t, `/console?ticket=hgc_${'A'.repeat(43)}`), 401, 'a made-up ticket');
    assert.equal(await refusalOf(t, '/console'), 401, 'no ticket');
    const refusal = await openConsole(t, '/console');
    assert.ok(!(refusal instanceof ConsoleStream) && /createConsoleTicket/.test(refusal.body), 'the refusal says what to do');
  });

  test('with HANGAR_PUBLIC_URL set, a browser on another origin cannot open a console', async () => {
    const { path } = await ticketFor(t, admin, vmId);
    const foreign = await openConsole(t, path, { origin: 'http://evil.example' });
    assert.equal((foreign as Refusal).status, 403);
    // The refused attempt did not use the ticket up.
    const own = await openConsole(t, path, { origin: PUBLIC_URL });
    assert.ok(own instanceof ConsoleStream);
    own.ws.close();
  });

  test('a user who cannot see the VM gets NotFoundError; a VM that does not run gets ConflictError', async () => {
    const stranger = await userWithRole(t, admin, 'User');
    const hidden = await t.gql(TICKET, { id: vmId }, { cookie: stranger.cookie });
    assert.equal(hidden.data.createConsoleTicket.__typename, 'NotFoundError');
    const auditor = await userWithRole(t, admin, 'Auditor');
    const forbidden = await t.gql(TICKET, { id: vmId }, { cookie: auditor.cookie });
    assert.equal(forbidden.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'an Auditor sees the VM but holds no VM.Console');

    const stopped = await vmMutation(t, admin, CREATE, { i: { name: 'never started', vcpus: 1, memoryMb: 128, diskGb: 1, start: false } });
    const refused = await t.gql(TICKET, { id: stopped.vmId }, { cookie: admin });
    assert.equal(refused.data.createConsoleTicket.__typename, 'ConflictError');
    assert.match(refused.data.createConsoleTicket.message, /stopped/);
    await vmMutation(t, admin, DELETE, { id: stopped.vmId });
  });

  test('losing VM.Console closes an open console (4403), and so does being disabled (4401); unused tickets stop working', async () => {
    const operator = await userWithRole(t, admin, 'Operator');
    const setRoles = (role: string) =>
      t.gql(`mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename } }`, { id: operator.id, roles: [role] }, { cookie: admin });

    const open = await openConsole(t, (await ticketFor(t, operator.cookie, vmId)).path);
    assert.ok(open instanceof ConsoleStream);
    await handshake(open);
    const spare = await ticketFor(t, operator.cookie, vmId);
    await setRoles(await roleId(t, admin, 'Auditor'));
    const closed = await Promise.race([open.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 5000))]);
    assert.deepEqual(closed, { code: 4403, reason: 'Forbidden: your rights changed' });
    // The audit log says why it ended.
    const audited = await waitFor('the forced closing to be audited', async () => (await consoleAudit(t, admin, vmId)).find((e: any) => e.action === 'closeConsole' && JSON.parse(e.detail).code === 4403) ?? null, 5000, 50);
    assert.equal(JSON.parse(audited.detail).reason, 'Forbidden: your rights changed');
    assert.equal(JSON.parse(audited.detail).closedBy, 'hangar');
    assert.equal(await refusalOf(t, spare.path), 403, 'a ticket asked for before the change');

    await setRoles(await roleId(t, admin, 'Operator'));
    const again = await openConsole(t, (await ticketFor(t, operator.cookie, vmId)).path);
    assert.ok(again instanceof ConsoleStream);
    await handshake(again);
    const disabled = await t.gql(`mutation($id: ID!) { disableUser(id: $id) { __typename } }`, { id: operator.id }, { cookie: admin });
    assert.equal(disabled.data.disableUser.__typename, 'User', JSON.stringify(disabled));
    assert.equal((await again.closed).code, 4401);

    // An administrator's console is untouched by all this.
    const own = await openConsole(t, (await ticketFor(t, admin, vmId)).path);
    assert.ok(own instanceof ConsoleStream);
    await handshake(own);
    own.ws.close();
  });

  test('a console ends when its VM powers off', async () => {
    const { path } = await ticketFor(t, admin, vmId);
    const stream = await openConsole(t, path);
    assert.ok(stream instanceof ConsoleStream);
    await handshake(stream);
    const stopped = await vmMutation(t, admin, `mutation($id: ID!) { stopVm(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id } } } }`, { id: vmId });
    assert.equal(stopped.task.status, 'SUCCEEDED');
    assert.equal((await stream.closed).code, 1000);
    const refused = await t.gql(TICKET, { id: vmId }, { cookie: admin });
    assert.equal(refused.data.createConsoleTicket.__typename, 'ConflictError');
  });
});

describe('console tickets on embedded PGlite', () => {
  let t: TestHangar;
  before(async () => {
    t = await startTestHangar('pglite');
  });
  after(async () => {
    await t?.stop();
  });

  test('a ticket is used up even when the host cannot be reached, which gets 502', async () => {
    const admin = await setupAdmin(t);
    const me = await t.gql('{ me { id } }', {}, { cookie: admin });
    // A VM said to run on a host whose libvirt does not answer: no VM is started for this.
    const host = await t.hangar.db.insertInto('hosts').values({ name: 'unreachable', uri: 'qemu+tcp://127.0.0.1:1/system', settings: '{}', capabilities: '{}' }).returning('id').executeTakeFirstOrThrow();
    const vm = await t.hangar.db
      .insertInto('vms')
      .values({ name: 'elsewhere', owner_id: rawId(me.data.me.id), vcpus: 1, memory_mb: 128, disk_gb: 1, state: 'running', host_id: host.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { path, expiresAt } = await ticketFor(t, admin, Buffer.from(`Vm:${vm.id}`).toString('base64'));
    assert.ok(Date.parse(expiresAt) > Date.now());
    const unreachable = await openConsole(t, path);
    assert.equal((unreachable as Refusal).status, 502);
    assert.equal(await refusalOf(t, path), 401);
  });
});
