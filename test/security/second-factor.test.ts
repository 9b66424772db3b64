// Second factors through the API against a real Postgres: TOTP with its ±1 step window and no replay,
// one-time recovery codes, the pending sign-in's limits and throttling, roles that require a second
// factor (enforced by the server, not the client), API tokens unaffected, and administrators
// clearing factors under the rule that no one outranks their source.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from 'otplib';
import { ADMIN, setupAdmin, useTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

const PASSWORD = 'a long enough password';
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) {
  __typename
  ... on SecondFactorRequired { token methods expiresAt }
  ... on LoginSuccess { secondFactorEnrolmentRequired }
  ... on Error { message } } }`;
const VERIFY = `mutation($input: VerifySecondFactorInput!) { verifySecondFactor(input: $input) {
  __typename ... on LoginSuccess { user { email } } ... on LoginThrottledError { retryAfterSeconds } ... on Error { message } } }`;
const START_TOTP = `mutation { startTotpEnrolment { __typename ... on TotpEnrolment { secret uri } ... on Error { message } } }`;
const CONFIRM_TOTP = `mutation($code: String!) { confirmTotpEnrolment(code: $code) { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } } }`;

const cookieOf = (headers: Headers) => headers.get('set-cookie')?.split(';')[0];

async function loginStep(t: TestHangar, email: string, password = PASSWORD) {
  const result = await t.gql(LOGIN, { input: { email, password } });
  return { login: result.data.login, cookie: cookieOf(result.headers) };
}

async function pendingToken(t: TestHangar, email: string): Promise<string> {
  const { login } = await loginStep(t, email);
  assert.equal(login.__typename, 'SecondFactorRequired', JSON.stringify(login));
  return login.token;
}

async function verify(t: TestHangar, input: Record<string, string>) {
  const result = await t.gql(VERIFY, { input });
  return { result: result.data.verifySecondFactor, cookie: cookieOf(result.headers) };
}

/** The code for `offsetSteps` time steps from now. */
function codeAt(secret: string, offsetSteps: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
}

/** Waits out the end of a 30 s step when it is close, so a code made now is still of the step the server sees. */
async function awayFromStepEdge(): Promise<void> {
  const intoStep = (Date.now() / 1000) % 30;
  if (intoStep > 25) await sleep((30 - intoStep + 0.5) * 1000);
}

/** Enrols TOTP for the session; the secret and the recovery codes. */
async function enrolTotp(t: TestHangar, cookie: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await t.gql(START_TOTP, {}, { cookie });
  assert.equal(started.data.startTotpEnrolment.__typename, 'TotpEnrolment', JSON.stringify(started));
  const { secret } = started.data.startTotpEnrolment;
  await awayFromStepEdge();
  // The step before this one: this step's code stays unused for the sign-in that follows.
  const confirmed = await t.gql(CONFIRM_TOTP, { code: await codeAt(secret, -1) }, { cookie });
  assert.equal(confirmed.data.confirmTotpEnrolment.__typename, 'SecondFactorEnrolled', JSON.stringify(confirmed));
  return { secret, recoveryCodes: confirmed.data.confirmTotpEnrolment.recoveryCodes };
}

describe('second factors', () => {
  const hangar = useTestHangar('postgres', { HANGAR_LOGIN_MAX_FAILURES: '4', HANGAR_LOGIN_MAX_FAILURES_PER_ADDRESS: '1000', HANGAR_LOGIN_BACKOFF_SECONDS: '60' });
  let admin: string;

  test('TOTP is on only once a code from it was verified, and then sign-in asks for it', async () => {
    const t = hangar();
    admin = await setupAdmin(t);
    const user = await userWithRole(t, admin, 'User');
    const started = await t.gql(START_TOTP, {}, { cookie: user.cookie });
    const { secret, uri } = started.data.startTotpEnrolment;
    assert.match(uri, /^otpauth:\/\/totp\/Hangar:/);
    assert.ok(uri.includes(`secret=${secret}`));
    // Not on yet: sign-in needs only the password.
    assert.equal((await loginStep(t, user.email)).login.__typename, 'LoginSuccess');
    const wrong = await t.gql(CONFIRM_TOTP, { code: '000000' === (await codeAt(secret, 0)) ? '111111' : '000000' }, { cookie: user.cookie });
    assert.equal(wrong.data.confirmTotpEnrolment.__typename, 'ValidationError');
    assert.equal((await loginStep(t, user.email)).login.__typename, 'LoginSuccess');

    await awayFromStepEdge();
    const confirmed = await t.gql(CONFIRM_TOTP, { code: await codeAt(secret, 0) }, { cookie: user.cookie });
    const codes: string[] = confirmed.data.confirmTotpEnrolment.recoveryCodes;
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    const { login, cookie } = await loginStep(t, user.email);
    assert.equal(login.__typename, 'SecondFactorRequired');
    assert.deepEqual(login.methods, ['TOTP', 'RECOVERY_CODE']);
    assert.equal(cookie, undefined, 'no session before the second factor');
    // The pending token is no session.
    const me = await t.gql('{ me { email } }', {}, { token: login.token });
    assert.equal(me.data?.me ?? null, null);
  });

  test('a code one step off either way is accepted, two steps off refused, and no code is accepted twice', async () => {
    const t = hangar();
    const user = await userWithRole(t, admin, 'User');
    const { secret } = await enrolTotp(t, user.cookie);
    // Enrolment used the previous step's code: in the next step, -1 is a step not yet used.
    await sleep(((30 - ((Date.now() / 1000) % 30)) + 0.5) * 1000);
    await awayFromStepEdge();

    for (const offset of [-2, 2]) {
      const { result } = await verify(t, { token: await pendingToken(t, user.email), totpCode: await codeAt(secret, offset) });
      assert.equal(result.__typename, 'InvalidCredentialsError', `offset ${offset}: ${JSON.stringify(result)}`);
    }
    for (const offset of [-1, 0, 1]) {
      const { result, cookie } = await verify(t, { token: await pendingToken(t, user.email), totpCode: await codeAt(secret, offset) });
      assert.equal(result.__typename, 'LoginSuccess', `offset ${offset}: ${JSON.stringify(result)}`);
      assert.ok(cookie, 'a session cookie');
      const me = await t.gql('{ me { email } }', {}, { cookie });
      assert.equal(me.data.me.email, user.email);
    }
    // +1 was used: it and every earlier step are spent.
    for (const offset of [1, 0]) {
      const { result } = await verify(t, { token: await pendingToken(t, user.email), totpCode: await codeAt(secret, offset) });
      assert.equal(result.__typename, 'InvalidCredentialsError', `replayed offset ${offset}`);
      assert.match(result.message, /used already/);
    }
  });

  test('the same fresh code sent twice at once signs in exactly once', async () => {
    const t = hangar();
    const user = await userWithRole(t, admin, 'User');
    const { secret } = await enrolTotp(t, user.cookie);
    const [a, b] = [await pendingToken(t, user.email), await pendingToken(t, user.email)];
    const code = await codeAt(secret, 1);
    const results = await Promise.all([verify(t, { token: a, totpCode: code }), verify(t, { token: b, totpCode: code })]);
    assert.deepEqual(results.map((r) => r.result.__typename).sort(), ['InvalidCredentialsError', 'LoginSuccess']);
  });

  test('a recovery code signs in once; the others still do; regenerating voids the old ones', async () => {
    const t = hangar();
    const user = await userWithRole(t, admin, 'User');
    const { recoveryCodes } = await enrolTotp(t, user.cookie);
    const first = await verify(t, { token: await pendingToken(t, user.email), recoveryCode: recoveryCodes[0].toUpperCase() });
    assert.equal(first.result.__typename, 'LoginSuccess', JSON.stringify(first.result));
    const again = await verify(t, { token: await pendingToken(t, user.email), recoveryCode: recoveryCodes[0] });
    assert.equal(again.result.__typename, 'InvalidCredentialsError');
    const settings = await t.gql('{ mySecondFactor { totpEnabled recoveryCodesLeft required enrolmentRequired } }', {}, { cookie: first.cookie });
    assert.deepEqual(settings.data.mySecondFactor, { totpEnabled: true, recoveryCodesLeft: 9, required: false, enrolmentRequired: false });

    const fresh = await t.gql('mutation { regenerateRecoveryCodes { ... on SecondFactorEnrolled { recoveryCodes } } }', {}, { cookie: first.cookie });
    assert.equal(fresh.data.regenerateRecoveryCodes.recoveryCodes.length, 10);
    const old = await verify(t, { token: await pendingToken(t, user.email), recoveryCode: recoveryCodes[1] });
    assert.equal(old.result.__typename, 'InvalidCredentialsError');
    const renewed = await verify(t, { token: await pendingToken(t, user.email), recoveryCode: fresh.data.regenerateRecoveryCodes.recoveryCodes[1] });
    assert.equal(renewed.result.__typename, 'LoginSuccess');
  });

  test('wrong codes are throttled like passwords, and a pending sign-in takes five tries at most', async () => {
    const t = hangar();
    const user = await userWithRole(t, admin, 'User');
    const { secret } = await enrolTotp(t, user.cookie);
    const token = await pendingToken(t, user.email);
    const kinds: string[] = [];
    for (let i = 0; i < 6; i++) kinds.push((await verify(t, { token, totpCode: String(100000 + i) })).result.__typename);
    // HANGAR_LOGIN_MAX_FAILURES=4: four codes checked, then the back-off; the sixth try finds the pending sign-in used up.
    assert.deepEqual(kinds.slice(0, 4), ['InvalidCredentialsError', 'InvalidCredentialsError', 'InvalidCredentialsError', 'InvalidCredentialsError']);
    assert.equal(kinds[4], 'LoginThrottledError');
    const used = await verify(t, { token, totpCode: await codeAt(secret, 0) });
    assert.equal(used.result.__typename, 'InvalidCredentialsError');
    assert.match(used.result.message, /sign in again/);
    // A new pending sign-in is still throttled: the right code waits too.
    const right = await verify(t, { token: await pendingToken(t, user.email), totpCode: await codeAt(secret, 1) });
    assert.equal(right.result.__typename, 'LoginThrottledError');
    assert.ok(right.result.retryAfterSeconds > 0);
  });

  test('a role that requires a second factor leaves its users only enrolment until they enrol; API tokens go on', async () => {
    const t = hangar();
    const created = await t.gql(
      `mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on Role { id } ... on Error { message } } }`,
      { input: { name: 'Guarded', privileges: ['VM_Create', 'VM_PowerMgmt'] } },
      { cookie: admin },
    );
    const guarded = created.data.createRole.id;
    const user = await userWithRole(t, admin, 'User');
    await t.gql(`mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename } }`, { id: user.id, roles: [guarded] }, { cookie: admin });
    const token = await t.gql(
      `mutation { createApiToken(input: { name: "ci", privileges: [VM_Create] }) { ... on CreatedApiToken { secret } ... on Error { message } } }`,
      {},
      { cookie: user.cookie },
    );
    const secret = token.data.createApiToken.secret;
    assert.ok(secret, JSON.stringify(token));

    const required = await t.gql(
      `mutation($id: ID!) { setRoleRequiresSecondFactor(id: $id, required: true) { __typename ... on Role { requiresSecondFactor } } }`,
      { id: guarded },
      { cookie: admin },
    );
    assert.equal(required.data.setRoleRequiresSecondFactor.requiresSecondFactor, true);

    // The open session is held to it at once; a new sign-in says so.
    const { login, cookie } = await loginStep(t, user.email);
    assert.equal(login.__typename, 'LoginSuccess');
    assert.equal(login.secondFactorEnrolmentRequired, true);
    for (const session of [user.cookie, cookie!]) {
      const vms = await t.gql('{ vms { edges { node { id } } } }', {}, { cookie: session });
      assert.equal(vms.errors?.[0]?.extensions?.code, 'SECOND_FACTOR_ENROLMENT_REQUIRED', JSON.stringify(vms));
      const viaFragment = await t.gql('query { ...Q } fragment Q on Query { roles { edges { node { id } } } }', {}, { cookie: session });
      assert.equal(viaFragment.errors?.[0]?.extensions?.code, 'SECOND_FACTOR_ENROLMENT_REQUIRED');
      const mint = await t.gql(`mutation { createApiToken(input: { name: "escape", privileges: [] }) { __typename } }`, {}, { cookie: session });
      assert.equal(mint.errors?.[0]?.extensions?.code, 'SECOND_FACTOR_ENROLMENT_REQUIRED');
      const me = await t.gql('{ me { email privileges } mySecondFactor { required enrolmentRequired } }', {}, { cookie: session });
      assert.equal(me.data.me.email, user.email);
      assert.deepEqual(me.data.me.privileges, []);
      assert.deepEqual(me.data.mySecondFactor, { required: true, enrolmentRequired: true });
    }
    // Not with a token: it is the factor.
    const withToken = await t.gql('{ vms { edges { node { id } } } }', {}, { token: secret });
    assert.equal(withToken.errors, undefined, JSON.stringify(withToken.errors));
    const tokenEnrols = await t.gql(START_TOTP, {}, { token: secret });
    assert.equal(tokenEnrols.errors?.[0]?.extensions?.code, 'FORBIDDEN');

    // Enrolling frees the same session.
    await enrolTotp(t, cookie!);
    const vms = await t.gql('{ vms { edges { node { id } } } me { privileges } }', {}, { cookie });
    assert.equal(vms.errors, undefined, JSON.stringify(vms.errors));
    assert.deepEqual(vms.data.me.privileges, ['VM.Create', 'VM.PowerMgmt'].map((p) => p.replace('.', '_')));
    assert.equal((await loginStep(t, user.email)).login.__typename, 'SecondFactorRequired');

    // No longer required: the role as the other tests expect it.
    await t.gql(`mutation($id: ID!) { setRoleRequiresSecondFactor(id: $id, required: false) { __typename } }`, { id: guarded }, { cookie: admin });
  });

  test('a lesser administrator cannot clear an administrator\'s factors; one who outranks the user can, and it is audited', async () => {
    const t = hangar();
    // The Administrator enrols; a helpdesk role with User.Manage but not everything the Administrator holds.
    await enrolTotp(t, admin);
    const helpdeskRole = await t.gql(
      `mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on Role { id } ... on Error { message } } }`,
      { input: { name: 'Helpdesk', privileges: ['User_View', 'User_Manage'] } },
      { cookie: admin },
    );
    const helper = await userWithRole(t, admin, 'User');
    await t.gql(`mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename } }`, { id: helper.id, roles: [helpdeskRole.data.createRole.id] }, { cookie: admin });
    const me = await t.gql('{ me { id } }', {}, { cookie: admin });
    const CLEAR = `mutation($id: ID!) { clearSecondFactors(id: $id) { __typename ... on User { secondFactorMethods } ... on Error { message } } }`;
    const refused = await t.gql(CLEAR, { id: me.data.me.id }, { cookie: helper.cookie });
    assert.equal(refused.data.clearSecondFactors.__typename, 'PermissionError', JSON.stringify(refused));
    assert.equal((await loginStep(t, ADMIN.email, ADMIN.password)).login.__typename, 'SecondFactorRequired', 'the factors are still there');

    // A user who lost their factor is recovered by the Administrator.
    const lost = await userWithRole(t, admin, 'User');
    await enrolTotp(t, lost.cookie);
    const before = await t.gql('query($id: ID!) { node(id: $id) { ... on User { secondFactorMethods } } }', { id: lost.id }, { cookie: admin });
    assert.deepEqual(before.data.node.secondFactorMethods, ['TOTP', 'RECOVERY_CODE']);
    const cleared = await t.gql(CLEAR, { id: lost.id }, { cookie: admin });
    assert.equal(cleared.data.clearSecondFactors.__typename, 'User', JSON.stringify(cleared));
    assert.deepEqual(cleared.data.clearSecondFactors.secondFactorMethods, []);
    assert.equal((await loginStep(t, lost.email)).login.__typename, 'LoginSuccess');

    const audit = await t.gql(
      `query { auditLog(filter: { action: "clearSecondFactors" }) { edges { node { result actor { id } detail } } } }`,
      {},
      { cookie: admin },
    );
    const results = audit.data.auditLog.edges.map((e: any) => e.node.result).sort();
    assert.deepEqual(results, ['FAILED', 'OK'].sort(), JSON.stringify(audit.data));
  });
});
