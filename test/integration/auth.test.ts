import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ADMIN, BACKENDS, login, setupAdmin, useTestHangar, userWithRole } from '../support/hangar.ts';

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { __typename ... on Error { message } ... on LoginThrottledError { retryAfterSeconds } ... on LoginSuccess { user { email } } } }`;
const ME = `{ me { email name privileges roles { name } } }`;

for (const backend of BACKENDS) {
  describe(`sign-in and sessions [${backend}]`, () => {
    const hangar = useTestHangar(backend, { HANGAR_LOGIN_MAX_FAILURES: '3', HANGAR_LOGIN_WINDOW_SECONDS: '60' });

    test('the first administrator can be created only while no user exists', async () => {
      const t = hangar();
      assert.equal((await t.gql('{ setupRequired }')).data.setupRequired, true);
      const cookie = await setupAdmin(t);
      assert.equal((await t.gql('{ setupRequired }')).data.setupRequired, false);
      const again = await t.gql(`mutation($input: SetupAdministratorInput!) { setupAdministrator(input: $input) { __typename ... on Error { message } } }`, {
        input: { email: 'second@example.com', name: 'Second', password: 'another long password' },
      });
      assert.equal(again.data.setupAdministrator.__typename, 'ConflictError');
      const me = await t.gql(ME, {}, { cookie });
      assert.equal(me.data.me.email, ADMIN.email);
      assert.deepEqual(me.data.me.roles, [{ name: 'Administrator' }]);
      assert.ok(me.data.me.privileges.includes('User_Manage'));
    });

    test('login sets an httpOnly SameSite cookie holding a 32-byte secret', async () => {
      const t = hangar();
      const result = await t.gql(LOGIN, { input: { email: ADMIN.email.toUpperCase(), password: ADMIN.password } });
      assert.equal(result.data.login.__typename, 'LoginSuccess');
      const cookie = result.headers.get('set-cookie')!;
      assert.match(cookie, /^hangar_session=hgs_[A-Za-z0-9_-]{43};/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      const rows = await t.hangar.db.selectFrom('sessions').select('token_hash').execute();
      const secret = decodeURIComponent(cookie.split(';')[0].split('=')[1]);
      assert.ok(rows.every((r) => r.token_hash !== secret && /^[0-9a-f]{64}$/.test(r.token_hash)), 'only hashes are stored');
    });

    test('a wrong password is refused with a typed error, and repeated failures are throttled', async () => {
      const t = hangar();
      const victim = await userWithRole(t, await login(t, ADMIN.email, ADMIN.password), 'User');
      for (let i = 0; i < 3; i++) {
        const wrong = await t.gql(LOGIN, { input: { email: victim.email, password: 'wrong password' } });
        assert.equal(wrong.data.login.__typename, 'InvalidCredentialsError');
      }
      const throttled = await t.gql(LOGIN, { input: { email: victim.email, password: 'a long enough password' } });
      assert.equal(throttled.data.login.__typename, 'LoginThrottledError');
      assert.ok(throttled.data.login.retryAfterSeconds > 0 && throttled.data.login.retryAfterSeconds <= 60);
      // Another account from the same address is not locked by this one's failures.
      assert.equal((await t.gql(LOGIN, { input: { email: ADMIN.email, password: ADMIN.password } })).data.login.__typename, 'LoginSuccess');
    });

    test('an unknown email gets the same error as a wrong password', async () => {
      const t = hangar();
      const result = await t.gql(LOGIN, { input: { email: 'nobody@example.com', password: 'whatever it is' } });
      assert.equal(result.data.login.__typename, 'InvalidCredentialsError');
    });

    test('logout ends the session', async () => {
      const t = hangar();
      const cookie = await login(t, ADMIN.email, ADMIN.password);
      assert.equal((await t.gql('mutation { logout }', {}, { cookie })).data.logout, true);
      assert.equal((await t.gql(ME, {}, { cookie })).data.me, null);
    });

    test('changing your password needs the current one and ends your other sessions', async () => {
      const t = hangar();
      const admin = await login(t, ADMIN.email, ADMIN.password);
      const user = await userWithRole(t, admin, 'User');
      const otherSession = await login(t, user.email, 'a long enough password');
      const CHANGE = `mutation($input: ChangePasswordInput!) { changePassword(input: $input) { __typename ... on ValidationError { fieldErrors { path message } } } }`;
      const wrong = await t.gql(CHANGE, { input: { currentPassword: 'not it at all', newPassword: 'a brand new password' } }, { cookie: user.cookie });
      assert.equal(wrong.data.changePassword.__typename, 'ValidationError');
      const short = await t.gql(CHANGE, { input: { currentPassword: 'a long enough password', newPassword: 'short' } }, { cookie: user.cookie });
      assert.equal(short.data.changePassword.__typename, 'ValidationError');
      const ok = await t.gql(CHANGE, { input: { currentPassword: 'a long enough password', newPassword: 'a brand new password' } }, { cookie: user.cookie });
      assert.equal(ok.data.changePassword.__typename, 'User');
      assert.ok((await t.gql(ME, {}, { cookie: user.cookie })).data.me, 'the current session stays');
      assert.equal((await t.gql(ME, {}, { cookie: otherSession })).data.me, null, 'other sessions end');
      await login(t, user.email, 'a brand new password');
    });

    test('an API token carries only the privileges it was given, and stops working when revoked', async () => {
      const t = hangar();
      const admin = await login(t, ADMIN.email, ADMIN.password);
      const created = await t.gql(
        `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { __typename ... on CreatedApiToken { secret token { id privileges expiresAt } } } }`,
        { input: { name: 'grafana', privileges: ['Audit_Read'] } },
        { cookie: admin },
      );
      const { secret, token } = created.data.createApiToken;
      assert.match(secret, /^hgt_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(token.privileges, ['Audit_Read']);
      assert.ok(new Date(token.expiresAt).getTime() > Date.now());
      const me = await t.gql(`{ me { email } auditLog(first: 1) { edges { node { action } } } }`, {}, { token: secret });
      assert.equal(me.data.me.email, ADMIN.email);
      assert.equal(me.data.auditLog.edges.length, 1);
      const refused = await t.gql(`{ users { edges { node { id } } } }`, {}, { token: secret });
      assert.equal(refused.errors?.[0].extensions?.code, 'FORBIDDEN');
      const revoke = await t.gql(`mutation($id: ID!) { revokeApiToken(id: $id) { __typename ... on ApiToken { revokedAt } } }`, { id: token.id }, { cookie: admin });
      assert.ok(revoke.data.revokeApiToken.revokedAt);
      const after = await t.gql(`{ me { email } }`, {}, { token: secret });
      assert.equal(after.status, 401);
      assert.equal(after.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
    });

    test('a token cannot be given privileges its owner lacks', async () => {
      const t = hangar();
      const user = await userWithRole(t, await login(t, ADMIN.email, ADMIN.password), 'User');
      const result = await t.gql(
        `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { __typename ... on Error { message } } }`,
        { input: { name: 'sneaky', privileges: ['User_Manage'] } },
        { cookie: user.cookie },
      );
      assert.equal(result.data.createApiToken.__typename, 'PermissionError');
      assert.equal(await t.hangar.db.selectFrom('api_tokens').select('id').where('name', '=', 'sneaky').executeTakeFirst(), undefined);
    });

    test('a disabled user is signed out at once and cannot sign in', async () => {
      const t = hangar();
      const admin = await login(t, ADMIN.email, ADMIN.password);
      const user = await userWithRole(t, admin, 'User');
      await t.gql(`mutation($id: ID!) { disableUser(id: $id) { __typename } }`, { id: user.id }, { cookie: admin });
      assert.equal((await t.gql(ME, {}, { cookie: user.cookie })).data.me, null);
      assert.equal((await t.gql(LOGIN, { input: { email: user.email, password: 'a long enough password' } })).data.login.__typename, 'InvalidCredentialsError');
    });
  });
}

describe('sign-in throttling per address [pglite]', () => {
  const hangar = useTestHangar('pglite', { HANGAR_LOGIN_MAX_FAILURES_PER_ADDRESS: '4', HANGAR_LOGIN_WINDOW_SECONDS: '60' });

  test('many failures from one address, spread over accounts, throttle that address', async () => {
    const t = hangar();
    await setupAdmin(t);
    for (let i = 0; i < 4; i++) {
      const result = await t.gql(LOGIN, { input: { email: `guess${i}@example.com`, password: 'a guess' } });
      assert.equal(result.data.login.__typename, 'InvalidCredentialsError');
    }
    const blocked = await t.gql(LOGIN, { input: { email: ADMIN.email, password: ADMIN.password } });
    assert.equal(blocked.data.login.__typename, 'LoginThrottledError');
  });
});
