// Sign-in throttling under attack: parallel guesses, a stranger locking the Administrator out, an
// address spraying many accounts, and a back-off that grows. Requests come from real, different
// source addresses (127.0.0.x: every one of them reaches the server over loopback), since the
// server takes the address from the TCP connection, not from a header a client could set.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN, setupAdmin, useTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { __typename ... on LoginThrottledError { retryAfterSeconds } } }`;
const PASSWORD = 'a long enough password';

/** One sign-in over its own TCP connection from `source`; the typename and retryAfterSeconds. */
function loginFrom(t: TestHangar, source: string, email: string, password: string): Promise<{ kind: string; retryAfter?: number }> {
  const body = JSON.stringify({ query: LOGIN, variables: { input: { email, password } } });
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.url}/graphql`,
      { method: 'POST', agent: false, localAddress: source, headers: { 'content-type': 'application/json', 'x-hangar-csrf': '1', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c));
        res.on('end', () => {
          try {
            const login = JSON.parse(text).data.login;
            resolve({ kind: login.__typename, retryAfter: login.retryAfterSeconds });
          } catch {
            reject(new Error(`unexpected answer ${res.statusCode}: ${text}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function tally(results: Array<{ kind: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return counts;
}

describe('sign-in throttling holds under concurrency and keeps strangers from locking anyone out', () => {
  const hangar = useTestHangar('postgres', { HANGAR_LOGIN_MAX_FAILURES: '5', HANGAR_LOGIN_MAX_FAILURES_PER_ADDRESS: '8', HANGAR_LOGIN_WINDOW_SECONDS: '600' });

  test('20 parallel wrong passwords from one address: at most 5 are checked, the rest are throttled', async () => {
    const t = hangar();
    const admin = await setupAdmin(t);
    const victim = await userWithRole(t, admin, 'User');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => loginFrom(t, '127.0.0.2', victim.email, `wrong guess ${i}`)));
    const counts = tally(results);
    // Each InvalidCredentialsError is one password checked.
    assert.ok((counts.InvalidCredentialsError ?? 0) <= 5, `passwords checked: ${JSON.stringify(counts)}`);
    assert.equal((counts.InvalidCredentialsError ?? 0) + (counts.LoginThrottledError ?? 0), 20, JSON.stringify(counts));
    // The right password from that address waits too: that pair is backing off.
    assert.equal((await loginFrom(t, '127.0.0.2', victim.email, PASSWORD)).kind, 'LoginThrottledError');
  });

  test('a stranger failing from another address does not lock the Administrator out', async () => {
    const t = hangar();
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => loginFrom(t, '127.0.0.3', ADMIN.email, `guess ${round}-${i}`)));
      assert.ok(results.every((r) => r.kind !== 'LoginSuccess'));
    }
    assert.equal((await loginFrom(t, '127.0.0.3', ADMIN.email, ADMIN.password)).kind, 'LoginThrottledError', 'the stranger is slowed');
    assert.equal((await loginFrom(t, '127.0.0.4', ADMIN.email, ADMIN.password)).kind, 'LoginSuccess', 'the Administrator signs in from their own address');
  });

  test('one address spraying many accounts in parallel is held to its own limit', async () => {
    const t = hangar();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => loginFrom(t, '127.0.0.5', `spray${i}@example.com`, 'a guess')));
    const counts = tally(results);
    assert.ok((counts.InvalidCredentialsError ?? 0) <= 8, `passwords checked: ${JSON.stringify(counts)}`);
    assert.equal(counts.LoginThrottledError, 20 - (counts.InvalidCredentialsError ?? 0), JSON.stringify(counts));
    // That address is held for every account, right password or not; others are not.
    assert.equal((await loginFrom(t, '127.0.0.5', ADMIN.email, ADMIN.password)).kind, 'LoginThrottledError');
    assert.equal((await loginFrom(t, '127.0.0.6', ADMIN.email, ADMIN.password)).kind, 'LoginSuccess');
  });

  test('successful sign-ins from a shared address do not count against it', async () => {
    const t = hangar();
    for (let i = 0; i < 12; i++) assert.equal((await loginFrom(t, '127.0.0.7', ADMIN.email, ADMIN.password)).kind, 'LoginSuccess', `sign-in ${i + 1}`);
  });
});

describe('the back-off of an (account, address) pair doubles per failure', () => {
  const hangar = useTestHangar('postgres', { HANGAR_LOGIN_MAX_FAILURES: '2', HANGAR_LOGIN_BACKOFF_SECONDS: '1', HANGAR_LOGIN_WINDOW_SECONDS: '600' });

  test('1 s, then 2 s, then 4 s; the right password afterwards signs in and starts afresh', async () => {
    const t = hangar();
    await setupAdmin(t);
    const from = '127.0.0.8';
    assert.equal((await loginFrom(t, from, ADMIN.email, 'wrong 1')).kind, 'InvalidCredentialsError');
    assert.equal((await loginFrom(t, from, ADMIN.email, 'wrong 2')).kind, 'InvalidCredentialsError');
    const waits: number[] = [];
    for (let failure = 3; failure <= 4; failure++) {
      const held = await loginFrom(t, from, ADMIN.email, ADMIN.password);
      assert.equal(held.kind, 'LoginThrottledError');
      waits.push(held.retryAfter!);
      assert.ok(held.retryAfter! <= 4, `asked to wait ${held.retryAfter} s`);
      await sleep(held.retryAfter! * 1000 + 100);
      assert.equal((await loginFrom(t, from, ADMIN.email, `wrong ${failure}`)).kind, 'InvalidCredentialsError');
    }
    const held = await loginFrom(t, from, ADMIN.email, ADMIN.password);
    assert.equal(held.kind, 'LoginThrottledError');
    waits.push(held.retryAfter!);
    assert.deepEqual(waits, [1, 2, 4]);
    await sleep(4100);
    assert.equal((await loginFrom(t, from, ADMIN.email, ADMIN.password)).kind, 'LoginSuccess');
    assert.equal((await loginFrom(t, from, ADMIN.email, 'wrong again')).kind, 'InvalidCredentialsError', 'a success starts the count afresh');
    assert.equal((await loginFrom(t, from, ADMIN.email, ADMIN.password)).kind, 'LoginSuccess');
  });
});
