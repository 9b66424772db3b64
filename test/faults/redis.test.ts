// Redis restarts, and Redis away for a whole minute (private redis-servers: the shared one is
// never touched). Two API processes share one database and one Redis; a user's socket lives on
// one, the change is made on the other.
// - Restart: live events flow again once Redis is back, and a revocation after it closes the
//   socket at once.
// - Down for a minute: the API keeps answering; a user disabled meanwhile (the revocation message
//   is lost: Redis pub/sub keeps nothing) has their socket closed within the socket re-check period
//   (HANGAR_SOCKET_RECHECK_SECONDS) after Redis returns, or sooner. The minute is real: how the
//   Redis clients retry and drop queued commands depends on how long Redis is away. The two cases
//   run side by side, so the file costs about the minute.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { freshPostgresDatabase, setupAdmin, startTestHangar, subscribe, userWithRole, wsClient, type TestHangar } from '../support/hangar.ts';
import { waitFor } from '../support/libvirt.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.ts';

const RECHECK_SECONDS = 10;
const DOWN_MS = 60_000;

interface Pair {
  a: TestHangar;
  b: TestHangar;
  redis: PrivateRedis;
  admin: string;
}

const pairs: Array<Partial<Pair> & { drop?: () => Promise<void> }> = [];
after(async () => {
  for (const p of pairs) {
    await p.a?.stop().catch(() => {});
    await p.b?.stop().catch(() => {});
    await p.redis?.remove().catch(() => {});
    await p.drop?.().catch(() => {});
  }
});

/** Two API processes on a fresh database and a private Redis. */
async function pair(): Promise<Pair> {
  const entry: Partial<Pair> & { drop?: () => Promise<void> } = {};
  pairs.push(entry);
  const database = await freshPostgresDatabase();
  entry.drop = database.drop;
  entry.redis = await startPrivateRedis();
  const env = { DATABASE_URL: database.url, REDIS_URL: entry.redis.url, HANGAR_SOCKET_RECHECK_SECONDS: String(RECHECK_SECONDS) };
  entry.a = await startTestHangar('postgres', env);
  entry.b = await startTestHangar('postgres', env);
  entry.admin = await setupAdmin(entry.a);
  return entry as Pair;
}

const closeCode = (sub: ReturnType<typeof subscribe>) => sub.closed.then((reason) => (reason as { code?: number })?.code);

describe('Redis faults', { concurrency: true, timeout: 5 * 60_000 }, () => {
  test('after a Redis restart, events flow again and a revocation closes the socket at once', async () => {
    const { a, b, redis, admin } = await pair();
    const user = await userWithRole(a, admin, 'User');
    const client = wsClient(b.url, { cookie: user.cookie });
    const sub = subscribe(client, 'subscription($id: ID!) { userUpdated(id: $id) { name disabled } }', { id: user.id });
    await new Promise((r) => setTimeout(r, 300));
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.start();
    // Both processes are back on Redis when a change made on a reaches the socket on b.
    await waitFor(
      'an event through the restarted Redis',
      async () => {
        const renamed = await a.gql('mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { __typename } }', { id: user.id, input: { name: `renamed ${Date.now()}` } }, { cookie: admin });
        assert.equal(renamed.data?.updateUser?.__typename, 'User', JSON.stringify(renamed));
        return sub.events.some((e) => String(e.data?.userUpdated?.name).startsWith('renamed'));
      },
      15_000,
      500,
    );
    const code = closeCode(sub);
    const disabledAt = Date.now();
    await a.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: user.id }, { cookie: admin });
    assert.equal(await code, 4401);
    assert.ok(Date.now() - disabledAt < 2000, `closed after ${Date.now() - disabledAt} ms`);
    await client.dispose();
  });

  test('a user disabled while Redis is down for a minute loses their socket once it is back, or sooner', { timeout: 3 * 60_000 }, async (ctx) => {
    const { a, b, redis, admin } = await pair();
    const user = await userWithRole(a, admin, 'User');
    const client = wsClient(b.url, { cookie: user.cookie });
    const sub = subscribe(client, 'subscription($id: ID!) { userUpdated(id: $id) { disabled } }', { id: user.id });
    await new Promise((r) => setTimeout(r, 300));
    let closedAt = 0;
    const code = closeCode(sub).then((c) => ((closedAt = Date.now()), c));

    await redis.stop();
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 2000));
    // The API keeps working without Redis: the change is made and recorded.
    const disabled = await a.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: user.id }, { cookie: admin });
    assert.equal(disabled.data?.disableUser?.__typename, 'User', JSON.stringify(disabled));
    assert.equal((await b.gql('{ me { id } }', {}, { cookie: user.cookie })).data?.me ?? null, null, 'b refuses the session over HTTP while Redis is down');
    await new Promise((r) => setTimeout(r, Math.max(0, DOWN_MS - (Date.now() - downAt))));
    await redis.start();
    const backAt = Date.now();
    await Promise.race([code, new Promise((r) => setTimeout(r, (RECHECK_SECONDS + 5) * 1000))]);
    assert.ok(closedAt, `the socket is still open ${Math.round((Date.now() - backAt) / 1000)} s after Redis came back`);
    assert.equal(await code, 4401);
    ctx.diagnostic(closedAt < backAt ? `closed while Redis was down, ${Math.round((closedAt - downAt) / 1000)} s after it went` : `closed ${closedAt - backAt} ms after Redis came back`);
    await client.dispose();
  });
});
