// A credential made while its source is being ended must end with it: a sign-in whose password was
// checked just before the user was disabled (or the password reset), or a token asked for by a
// session the disable was deleting, must not come out alive after it (and be revived by enableUser).
// The race is made exact: a trigger holds the credential's INSERT on an advisory lock the test owns,
// the revocation runs meanwhile, then the insert is let go. Against a real API on Postgres.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { login, setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';

const PASSWORD = 'a long enough password';
const LOCK = 716_016;
const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1];
const result = '{ __typename ... on Error { message } }';

describe('a credential made during its source\u2019s revocation does not outlive it', () => {
  let t: TestHangar;
  let admin: string;
  let holder: pg.Client;
  let counter = 0;

  before(async () => {
    t = await startTestHangar('postgres');
    admin = await setupAdmin(t);
    holder = new pg.Client({ connectionString: t.env.DATABASE_URL });
    await holder.connect();
    // Inserts of credentials of users named "held-…" wait for the test's advisory lock.
    await holder.query(`create function test_hold_credential() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from users where id = new.user_id and email like 'held-%') then perform pg_advisory_xact_lock_shared(${LOCK}); end if;
        return new;
      end $$`);
    for (const table of ['sessions', 'api_tokens']) await holder.query(`create trigger test_hold before insert on ${table} for each row execute function test_hold_credential()`);
  });
  after(async () => {
    await holder?.end();
    await t?.stop();
  });

  async function user(): Promise<{ id: string; email: string }> {
    const email = `held-${++counter}-${randomBytes(3).toString('hex')}@example.com`;
    const r = await t.gql('mutation($input: CreateUserInput!) { createUser(input: $input) { ... on User { id } ... on Error { message } } }', { input: { email, name: 'Someone', password: PASSWORD } }, { cookie: admin });
    assert.ok(r.data.createUser.id, JSON.stringify(r));
    return { id: r.data.createUser.id, email };
  }

  /** Backends of this database waiting on a lock (the held insert, a revocation waiting on a row). */
  async function waiting(): Promise<Array<{ wait_event: string }>> {
    const r = await holder.query(`select wait_event from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`);
    return r.rows;
  }

  async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Starts `make` (which inserts a credential), holds its insert, runs `revoke` meanwhile (until it is
   * done, or itself waits on a lock the credential's transaction holds), then lets the insert go.
   */
  async function race<T>(make: () => Promise<T>, revoke: () => Promise<unknown>): Promise<T> {
    await holder.query('select pg_advisory_lock($1)', [LOCK]);
    let made: Promise<T>;
    try {
      made = make();
      await until('the credential\u2019s insert to be held', async () => (await waiting()).some((w) => w.wait_event === 'advisory'));
      let revoked = false;
      const revocation = revoke().then((r) => {
        revoked = true;
        return r;
      });
      await until('the revocation to finish or wait', async () => revoked || (await waiting()).length >= 2);
      await holder.query('select pg_advisory_unlock($1)', [LOCK]);
      await revocation;
    } catch (error) {
      await holder.query('select pg_advisory_unlock_all()');
      throw error;
    }
    return made;
  }

  const me = async (auth: { cookie?: string; token?: string }) => (await t.gql('{ me { id } }', {}, auth)).data?.me?.id ?? null;
  const disable = (id: string) => t.gql(`mutation($id: ID!) { disableUser(id: $id) ${result} }`, { id }, { cookie: admin });
  const enable = async (id: string) => assert.equal((await t.gql(`mutation($id: ID!) { enableUser(id: $id) ${result} }`, { id }, { cookie: admin })).data.enableUser.__typename, 'User');

  test('a sign-in racing a disable: enableUser does not revive its session', async () => {
    const u = await user();
    const signIn = () => t.gql('mutation($input: LoginInput!) { login(input: $input) { __typename } }', { input: { email: u.email, password: PASSWORD } });
    const r = await race(signIn, async () => assert.equal((await disable(u.id)).data.disableUser.__typename, 'User'));
    await enable(u.id);
    const cookie = r.headers.get('set-cookie')?.split(';')[0];
    if (cookie && r.data?.login?.__typename === 'LoginSuccess') assert.equal(await me({ cookie }), null, 'a session opened during the disable came back with enableUser');
    const sessions = await t.hangar.db.selectFrom('sessions').select('id').where('user_id', '=', rawId(u.id)).execute();
    assert.deepEqual(sessions, [], 'no session of the user outlived the disable');
  });

  test('a sign-in with the old password racing a password reset gets no session', async () => {
    const u = await user();
    const signIn = () => t.gql('mutation($input: LoginInput!) { login(input: $input) { __typename } }', { input: { email: u.email, password: PASSWORD } });
    const reset = () => t.gql(`mutation($id: ID!) { updateUser(id: $id, input: { password: "the new long password" }) ${result} }`, { id: u.id }, { cookie: admin });
    const r = await race(signIn, async () => assert.equal((await reset()).data.updateUser.__typename, 'User'));
    const cookie = r.headers.get('set-cookie')?.split(';')[0];
    if (cookie && r.data?.login?.__typename === 'LoginSuccess') assert.equal(await me({ cookie }), null, 'the old password\u2019s session outlived the reset');
    const sessions = await t.hangar.db.selectFrom('sessions').select('id').where('user_id', '=', rawId(u.id)).execute();
    assert.deepEqual(sessions, [], 'no session of the user outlived the reset');
  });

  test('a token asked for by a session the disable is ending does not come back with enableUser', async () => {
    const u = await user();
    // Signed in before the race (its insert is held only while the lock is taken).
    const cookie = await login(t, u.email, PASSWORD);
    const mint = () => t.gql('mutation { createApiToken(input: { name: "late", privileges: [VM_Create] }) { __typename ... on CreatedApiToken { secret } } }', {}, { cookie });
    const r = await race(mint, async () => assert.equal((await disable(u.id)).data.disableUser.__typename, 'User'));
    await enable(u.id);
    const secret = r.data?.createApiToken?.secret as string | undefined;
    if (secret) assert.equal(await me({ token: secret }), null, 'a token minted during the disable came back with enableUser');
    const live = await t.hangar.db.selectFrom('api_tokens').select('id').where('user_id', '=', rawId(u.id)).where('revoked_at', 'is', null).execute();
    assert.deepEqual(live, [], 'no token of the user outlived the disable');
  });
});
