// Open sockets must not outlive their credential: a session or API token that expires while its
// WebSocket is open closes it at the expiry, a cached viewer is never served past it, and a rights
// change made while Redis was down (its message lost for good) still closes the socket: at once when
// Redis returns, and within HANGAR_SOCKET_RECHECK_SECONDS even while it stays down.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { freshPostgresDatabase, login, setupAdmin, startTestHangar, subscribe, userWithRole, useTestHangar, wsClient, ADMIN, type TestHangar } from '../support/hangar.ts';
import WebSocket from 'ws';
import { removeLeftoverVms, VM_FIELDS, vmMutation } from '../support/libvirt.ts';
import { makePowerOffIso, MAX_DELAY_SECONDS } from '../support/poweroff-iso.ts';
import { startPrivateRedis } from '../support/private-redis.ts';
import { hashSecret } from '../../server/services/secrets.ts';

const AUDIT = 'subscription { auditEntryAdded { action } }';

/** Resolves with the close code and the time it came. */
function closing(sub: ReturnType<typeof subscribe>) {
  return sub.closed.then((reason) => ({ code: (reason as { code?: number })?.code, at: Date.now() }));
}

/** The value, or a failure once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what}: nothing within ${ms} ms`)))]);
}

describe('a session that expires while its socket is open', () => {
  // Sessions of 3 seconds, and a periodic re-check an hour apart: only the expiry itself can close these sockets in time.
  const hangar = useTestHangar('postgres', { HANGAR_SESSION_TTL_HOURS: String(3 / 3600), HANGAR_SOCKET_RECHECK_SECONDS: '3600' });

  async function signIn(t: TestHangar) {
    const cookie = await login(t, ADMIN.email, ADMIN.password);
    const secret = decodeURIComponent(cookie.split('=')[1]);
    const row = await t.hangar.db.selectFrom('sessions').select('expires_at').where('token_hash', '=', hashSecret(secret)).executeTakeFirstOrThrow();
    return { cookie, expiresAt: row.expires_at.getTime() };
  }

  test('its socket is closed with 4401 within a second or two of the expiry', async () => {
    const t = hangar();
    await setupAdmin(t);
    const { cookie, expiresAt } = await signIn(t);
    const client = wsClient(t.url, { cookie });
    const sub = subscribe(client, AUDIT);
    const { code, at } = await within(closing(sub), 8000, 'the socket of an expired session');
    assert.equal(code, 4401);
    assert.ok(at >= expiresAt - 100 && at - expiresAt < 2000, `closed ${at - expiresAt} ms after the expiry`);
    await client.dispose();
  });

  test('a viewer cached at sign-in is not served past the session\u2019s expiry', async () => {
    const t = hangar();
    const { cookie, expiresAt } = await signIn(t);
    assert.equal((await t.gql('{ me { email } }', {}, { cookie })).data.me?.email, ADMIN.email);
    await sleep(expiresAt - Date.now() + 300);
    assert.equal((await t.gql('{ me { email } }', {}, { cookie })).data.me, null);
  });
});

describe('an API token that expires while its socket is open', () => {
  const hangar = useTestHangar('postgres', { HANGAR_SOCKET_RECHECK_SECONDS: '3600' });

  test('its socket is closed with 4401 within a second or two of the expiry', async () => {
    const t = hangar();
    const admin = await setupAdmin(t);
    const created = await t.gql('mutation { createApiToken(input: { name: "short", privileges: [Audit_Read] }) { ... on CreatedApiToken { secret token { id } } } }', {}, { cookie: admin });
    const { secret } = created.data.createApiToken;
    // Tokens live whole days: this one is cut short in the database (it was never used, so nothing caches it).
    const row = await sql<{ expires_at: Date }>`update api_tokens set expires_at = now() + interval '3 seconds' where token_hash = ${hashSecret(secret)} returning expires_at`.execute(t.hangar.db);
    const expiresAt = row.rows[0].expires_at.getTime();
    const client = wsClient(t.url, { token: secret });
    const sub = subscribe(client, AUDIT);
    const { code, at } = await within(closing(sub), 8000, 'the socket of an expired token');
    assert.equal(code, 4401);
    assert.ok(at >= expiresAt - 100 && at - expiresAt < 2000, `closed ${at - expiresAt} ms after the expiry`);
    await client.dispose();
  });
});

describe('a rights change made while Redis is down still closes the socket', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  });

  /** Two API processes on one database and a Redis of this test's own. */
  async function pair(recheckSeconds: string) {
    const redis = await startPrivateRedis();
    cleanup.push(() => redis.remove());
    const database = await freshPostgresDatabase();
    cleanup.push(() => database.drop());
    const env = { DATABASE_URL: database.url, REDIS_URL: redis.url, HANGAR_SOCKET_RECHECK_SECONDS: recheckSeconds };
    const a: TestHangar = await startTestHangar('postgres', env);
    cleanup.push(() => a.stop());
    const b: TestHangar = await startTestHangar('postgres', env);
    cleanup.push(() => b.stop());
    const admin = await setupAdmin(a);
    return { redis, a, b, admin };
  }

  test('disabled while Redis is down: the socket on the other process closes as soon as Redis is back', async () => {
    // Periodic re-checks an hour apart: only the re-check after the reconnect can close it in time.
    const { redis, a, b, admin } = await pair('3600');
    const user = await userWithRole(a, admin, 'User');
    const client = wsClient(b.url, { cookie: user.cookie });
    const sub = subscribe(client, 'subscription($id: ID!) { userUpdated(id: $id) { disabled } }', { id: user.id });
    const closed = closing(sub);
    await sleep(500);

    await redis.stop();
    await sleep(500);
    const disabled = await a.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: user.id }, { cookie: admin });
    assert.equal(disabled.data.disableUser.__typename, 'User', JSON.stringify(disabled));
    // The revocation was published into the void; wait a little before bringing Redis back.
    await sleep(1500);
    await redis.start();
    const back = Date.now();
    const { code, at } = await within(closed, 10_000, 'the socket of a user disabled while Redis was down');
    assert.equal(code, 4401);
    // ioredis retries at most every 2 s; then one ping and one query.
    assert.ok(at - back < 5000, `closed ${at - back} ms after Redis came back`);
    await client.dispose();
  });

  test('disabled while Redis stays down: the periodic re-check closes the socket within its period', async () => {
    const { redis, a, b, admin } = await pair('2');
    const user = await userWithRole(a, admin, 'User');
    const client = wsClient(b.url, { cookie: user.cookie });
    const sub = subscribe(client, 'subscription($id: ID!) { userUpdated(id: $id) { disabled } }', { id: user.id });
    const closed = closing(sub);
    await sleep(500);

    await redis.stop();
    const disabled = await a.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: user.id }, { cookie: admin });
    assert.equal(disabled.data.disableUser.__typename, 'User', JSON.stringify(disabled));
    const done = Date.now();
    const { code, at } = await within(closed, 10_000, 'the socket of a user disabled while Redis stays down');
    assert.equal(code, 4401);
    assert.ok(at - done < 3500, `closed ${at - done} ms after the change (period 2 s)`);
    await client.dispose();
    await redis.start();
  });
});

describe('consoles end with their credential too', () => {
  let t: TestHangar;
  let sweeping: TestHangar;
  let admin: string;
  let vmId: string;
  const TICKET = 'mutation($id: ID!) { createConsoleTicket(vmId: $id) { __typename ... on ConsoleTicket { path } ... on Error { message } } }';

  before(async () => {
    // t: re-checks an hour apart (only an expiry can close in time); sweeping: a second API process on the same database re-checking every 2 s.
    t = await startTestHangar('postgres', { HANGAR_SOCKET_RECHECK_SECONDS: '3600' }, { processes: ['api', 'worker'], registerLocalHost: true });
    sweeping = await startTestHangar('postgres', { DATABASE_URL: t.env.DATABASE_URL, HANGAR_SOCKET_RECHECK_SECONDS: '2' });
    admin = await setupAdmin(t);
    // A tiny guest that waits for hours: its VNC server is what the console reaches.
    const iso = await makePowerOffIso('/var/lib/libvirt/images/hangar-test', MAX_DELAY_SECONDS);
    const created = await vmMutation(t, admin, `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { ${VM_FIELDS} } task { id } } ... on Error { message } } }`, { i: { name: 'console-expiry', vcpus: 1, memoryMb: 128, diskGb: 1, isoPath: iso } });
    assert.equal(created.task.status, 'SUCCEEDED', JSON.stringify(created.task));
    vmId = created.vmId;
  });
  after(async () => {
    if (t) await removeLeftoverVms(t);
    await sweeping?.stop();
    await t?.stop();
  });

  /** Opens the console through `on`; resolves once open, with its close code and time to come. */
  async function openConsole(on: TestHangar, auth: { cookie?: string; token?: string }) {
    const ticket = await on.gql(TICKET, { id: vmId }, auth);
    assert.equal(ticket.data?.createConsoleTicket?.__typename, 'ConsoleTicket', JSON.stringify(ticket));
    const ws = new WebSocket(on.url.replace(/^http/, 'ws') + ticket.data.createConsoleTicket.path, ['binary']);
    const closed = new Promise<{ code: number; at: number }>((resolve) => ws.on('close', (code) => resolve({ code, at: Date.now() })));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`console refused: ${res.statusCode}`)));
    });
    return { ws, closed };
  }

  test('a console opened with an API token closes with 4401 at the token\u2019s expiry', async () => {
    const created = await t.gql('mutation { createApiToken(input: { name: "console", privileges: [VM_Console, VM_ManageAll] }) { ... on CreatedApiToken { secret } ... on Error { message } } }', {}, { cookie: admin });
    const { secret } = created.data.createApiToken;
    assert.ok(secret, JSON.stringify(created));
    // Cut short before its first use (nothing has cached it yet).
    const row = await sql<{ expires_at: Date }>`update api_tokens set expires_at = now() + interval '4 seconds' where token_hash = ${hashSecret(secret)} returning expires_at`.execute(t.hangar.db);
    const expiresAt = row.rows[0].expires_at.getTime();
    const { ws, closed } = await openConsole(t, { token: secret });
    const { code, at } = await within(closed, 10_000, 'the console of an expired token');
    assert.equal(code, 4401);
    assert.ok(at >= expiresAt - 100 && at - expiresAt < 2000, `closed ${at - expiresAt} ms after the expiry`);
    ws.terminate();
  });

  test('a console whose session vanished without a word (no pub/sub message) closes within the re-check period', async () => {
    const cookie = await login(sweeping, ADMIN.email, ADMIN.password);
    const { ws, closed } = await openConsole(sweeping, { cookie });
    const secret = decodeURIComponent(cookie.split('=')[1]);
    // Behind Hangar's back: no announcement reaches the console proxy.
    await t.hangar.db.deleteFrom('sessions').where('token_hash', '=', hashSecret(secret)).execute();
    const gone = Date.now();
    const { code, at } = await within(closed, 10_000, 'the console of a deleted session');
    assert.equal(code, 4401);
    assert.ok(at - gone < 3500, `closed ${at - gone} ms after the session went (period 2 s)`);
    ws.terminate();
  });
});
