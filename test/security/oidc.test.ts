// Single sign-on through a real OpenID Provider (oidc-provider on 127.0.0.1) against a real
// Postgres: users made on first sign-in with the roles their groups give, roles following the
// groups at every sign-in, disabled and unknown users kept out, and the provider's answer checked
// (state, nonce, the ID token's signature) so that a forged or replayed one signs no one in.
// The nonce and signature cases use a small hand-built issuer whose token endpoint a test steers.
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from 'otplib';
import { schema } from '../../server/graphql/schema.ts';
import { checkIssuerUrl } from '../../server/services/oidc.ts';
import { roleId, setupAdmin, startTestHangar, type TestHangar } from '../support/hangar.ts';
import { connectTestProvider, CookieJar, signInWithProvider, type TestOpenIdProvider } from '../support/oidc-provider.ts';

const ADD = `mutation($input: AddOidcProviderInput!) { addOidcProvider(input: $input) {
  __typename ... on OidcProvider { id callbackUrl } ... on ValidationError { fieldErrors { path message } } ... on Error { message } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateOidcProviderInput!) { updateOidcProvider(id: $id, input: $input) {
  __typename ... on OidcProvider { id issuer createUsers } ... on ValidationError { fieldErrors { path message } } ... on Error { message } } }`;
const ME = '{ me { email name roles { name } } }';

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

async function rolesOf(t: TestHangar, session: string): Promise<string[]> {
  const me = await t.gql(ME, {}, { cookie: session });
  return me.data.me.roles.map((r: { name: string }) => r.name).sort();
}

async function auditResults(t: TestHangar): Promise<string[]> {
  const rows = await t.hangar.db.selectFrom('audit_log').select(['result', 'detail']).where('action', '=', 'oidcLogin').orderBy('id').execute();
  return rows.map((r) => r.result);
}

async function lastSignInAudit(t: TestHangar) {
  return t.hangar.db.selectFrom('audit_log').select(['result', 'detail']).where('action', '=', 'oidcLogin').orderBy('id', 'desc').executeTakeFirstOrThrow();
}

test('an issuer must be https, and http or a private address only where HANGAR_OIDC_ALLOWED_NETWORKS allows', () => {
  assert.throws(() => checkIssuerUrl('http://127.0.0.1:9000/', []), /https/);
  assert.throws(() => checkIssuerUrl('https://127.0.0.1:9000/', []), /loopback/);
  assert.throws(() => checkIssuerUrl('https://10.1.2.3/', []), /private/);
  assert.throws(() => checkIssuerUrl('http://idp.example.com/', ['127.0.0.0/8']), /https/);
  assert.throws(() => checkIssuerUrl('https://idp.example.com/?x=1', []), /query/);
  assert.equal(checkIssuerUrl('http://127.0.0.1:9000/', ['127.0.0.0/8']).host, '127.0.0.1:9000');
  assert.equal(checkIssuerUrl('https://idp.example.com/realms/x', []).pathname, '/realms/x');
});

test('no field of the API returns a provider\'s client secret', () => {
  const type = schema.getType('OidcProvider') as import('graphql').GraphQLObjectType;
  assert.ok(type, 'the OidcProvider type exists');
  assert.deepEqual(Object.keys(type.getFields()).filter((f) => /secret/i.test(f)), []);
});

describe('single sign-on with a real OpenID Provider', () => {
  let t: TestHangar;
  let idp: TestOpenIdProvider;
  let admin: string;
  let providerId: string;

  before(async () => {
    t = await startTestHangar('postgres', { HANGAR_OIDC_ALLOWED_NETWORKS: '127.0.0.0/8' });
    admin = await setupAdmin(t);
    let callbackUrl: string;
    ({ idp, providerId, callbackUrl } = await connectTestProvider(t, admin, { 'hangar-admins': 'Administrator', 'hangar-operators': 'Operator' }));
    assert.equal(callbackUrl, `${t.url}/auth/oidc/${providerId}/callback`);
  });

  after(async () => {
    await idp?.stop();
    await t?.stop();
  });

  test('the sign-in page lists enabled providers to anyone, and only administrators read their settings', async () => {
    const listed = await t.gql('{ signInProviders { id name startUrl } }');
    assert.deepEqual(listed.data.signInProviders.map((p: { name: string; startUrl: string }) => [p.name, p.startUrl]), [['Test IdP', `/auth/oidc/${providerId}/start`]]);
    const anonymous = await t.gql('{ oidcProviders { id } }');
    assert.equal(anonymous.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const read = await t.gql('{ oidcProviders { name clientId scopes groupRoles { group role { name } } } }', {}, { cookie: admin });
    assert.deepEqual(read.data.oidcProviders, [
      { name: 'Test IdP', clientId: 'hangar', scopes: 'openid email profile groups', groupRoles: [{ group: 'hangar-admins', role: { name: 'Administrator' } }, { group: 'hangar-operators', role: { name: 'Operator' } }] },
    ]);
  });

  test('bad provider settings are refused with a ValidationError and change nothing', async () => {
    const id = Buffer.from(`OidcProvider:${providerId}`).toString('base64');
    const noOpenId = await t.gql(ADD, { input: { name: 'Other', issuer: 'https://idp.example.com', clientId: 'c', clientSecret: 's', scopes: 'email profile' } }, { cookie: admin });
    assert.equal(noOpenId.data.addOidcProvider.__typename, 'ValidationError');
    assert.match(JSON.stringify(noOpenId.data.addOidcProvider.fieldErrors), /openid/);
    const loopback = await t.gql(UPDATE, { id, input: { issuer: 'https://169.254.169.254/', createUsers: false } }, { cookie: admin });
    assert.equal(loopback.data.updateOidcProvider.__typename, 'ValidationError');
    const badRole = await t.gql(UPDATE, { id, input: { groupRoles: [{ group: 'x', roleId: 'not an id' }] } }, { cookie: admin });
    assert.equal(badRole.data.updateOidcProvider.__typename, 'ValidationError');
    const rows = await t.hangar.db.selectFrom('oidc_providers').select(['name', 'issuer', 'create_users']).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.create_users, true);
    assert.match(rows[0]!.issuer, /^http:\/\/127\.0\.0\.1:/);
    assert.equal(await t.hangar.db.selectFrom('oidc_group_roles').select('group_name').execute().then((r) => r.length), 2);
  });

  test('provider changes are audited, refused ones too, and the client secret is never written to the log', async () => {
    const rows = await t.hangar.db.selectFrom('audit_log').select(['action', 'result', 'target_type', 'target_id', 'detail']).where('action', 'in', ['addOidcProvider', 'updateOidcProvider']).orderBy('id').execute();
    const added = rows.find((r) => r.action === 'addOidcProvider' && r.result === 'ok');
    assert.ok(added, JSON.stringify(rows));
    assert.deepEqual([added.target_type, added.target_id], ['OidcProvider', providerId]);
    assert.equal((added.detail as { arguments: { input: { clientSecret: string } } }).arguments.input.clientSecret, '[redacted]');
    assert.ok(rows.some((r) => r.action === 'updateOidcProvider' && r.result === 'failed'), 'the refused update is on record');
    assert.doesNotMatch(JSON.stringify(rows), /hangar-test-client-secret/);
  });

  test('a first sign-in creates the user with the roles their groups give', async () => {
    idp.accounts.set('alice', { email: 'alice@example.com', email_verified: true, name: 'Alice Liddell', preferred_username: 'alice', groups: ['hangar-operators', 'unrelated'] });
    const outcome = await signInWithProvider(t.url, providerId, 'alice');
    assert.equal(outcome.error, null);
    assert.equal(outcome.location, '/');
    assert.ok(outcome.session, 'a Hangar session cookie is set');
    const me = await t.gql(ME, {}, { cookie: outcome.session! });
    assert.equal(me.data.me.email, 'alice@example.com');
    assert.equal(me.data.me.name, 'Alice Liddell');
    assert.deepEqual(await rolesOf(t, outcome.session!), ['Operator']);
    const identity = await t.hangar.db.selectFrom('oidc_identities').select(['subject', 'username']).executeTakeFirstOrThrow();
    assert.deepEqual(identity, { subject: 'alice', username: 'alice' });
    assert.deepEqual(await auditResults(t), ['ok']);
  });

  test('a group change at the provider moves the user at the next sign-in', async () => {
    idp.accounts.set('alice', { ...idp.accounts.get('alice'), groups: ['hangar-admins'] });
    const outcome = await signInWithProvider(t.url, providerId, 'alice');
    assert.ok(outcome.session, outcome.error ?? outcome.location);
    assert.deepEqual(await rolesOf(t, outcome.session!), ['Administrator']);
    idp.accounts.set('alice', { ...idp.accounts.get('alice'), groups: [] });
    const again = await signInWithProvider(t.url, providerId, 'alice');
    assert.ok(again.session);
    // No mapped group left: the mapped roles go, and no role is given in their place.
    assert.deepEqual(await rolesOf(t, again.session!), []);
    assert.equal((await t.hangar.db.selectFrom('users').select('id').where('email', '=', 'alice@example.com').execute()).length, 1, 'still one user');
  });

  test('a disabled user stays out', async () => {
    idp.accounts.set('bob', { email: 'bob@example.com', email_verified: true, name: 'Bob', groups: ['hangar-operators'] });
    const first = await signInWithProvider(t.url, providerId, 'bob');
    assert.ok(first.session, first.error ?? first.location);
    const me = await t.hangar.db.selectFrom('users').select('id').where('email', '=', 'bob@example.com').executeTakeFirstOrThrow();
    const disabled = await t.gql('mutation($id: ID!) { disableUser(id: $id) { __typename } }', { id: Buffer.from(`User:${me.id}`).toString('base64') }, { cookie: admin });
    assert.equal(disabled.data.disableUser.__typename, 'User');
    const refused = await signInWithProvider(t.url, providerId, 'bob');
    assert.equal(refused.session, null);
    assert.match(refused.error ?? '', /disabled/);
    assert.equal((await auditResults(t)).at(-1), 'refused');
  });

  test('with creating users off, an unknown user is refused and nothing is made, while a known one still signs in', async () => {
    const id = Buffer.from(`OidcProvider:${providerId}`).toString('base64');
    const off = await t.gql(UPDATE, { id, input: { createUsers: false } }, { cookie: admin });
    assert.equal(off.data.updateOidcProvider.createUsers, false);
    const users = async () => (await t.hangar.db.selectFrom('users').select('email').execute()).length;
    const before = await users();
    idp.accounts.set('carol', { email: 'carol@example.com', email_verified: true, name: 'Carol', groups: ['hangar-admins'] });
    const refused = await signInWithProvider(t.url, providerId, 'carol');
    assert.equal(refused.session, null);
    assert.match(refused.error ?? '', /no Hangar account/);
    assert.equal(await users(), before);
    const known = await signInWithProvider(t.url, providerId, 'alice');
    assert.ok(known.session, known.error ?? known.location);
    await t.gql(UPDATE, { id, input: { createUsers: true } }, { cookie: admin });
  });

  test('a tampered state is refused, and the sign-in cannot be finished twice', async () => {
    const tampered = await signInWithProvider(t.url, providerId, 'alice', (callback) => callback.searchParams.set('state', `${callback.searchParams.get('state')}x`));
    assert.equal(tampered.session, null);
    assert.match(tampered.error ?? '', /refused/);
    // The same provider answer brought twice: the second finds no sign-in under way.
    let callbackUrl = '';
    const first = await signInWithProvider(t.url, providerId, 'alice', (callback) => (callbackUrl = callback.href));
    assert.ok(first.session);
    const replay = await fetch(callbackUrl, { redirect: 'manual' });
    assert.equal(replay.headers.getSetCookie().filter((c) => c.startsWith('hangar_session=') && !/Max-Age=0/.test(c)).length, 0);
    assert.match(decodeURIComponent(replay.headers.get('location') ?? ''), /expired or was started in another browser/);
  });

  test('a user with a second factor gives it after the provider, as after a password', async () => {
    const outcome = await signInWithProvider(t.url, providerId, 'alice');
    const started = await t.gql('mutation { startTotpEnrolment { ... on TotpEnrolment { secret } } }', {}, { cookie: outcome.session! });
    const { secret } = started.data.startTotpEnrolment;
    if ((Date.now() / 1000) % 30 > 25) await sleep(6000);
    const epoch = Math.floor(Date.now() / 1000) - 30;
    const confirmed = await t.gql('mutation($code: String!) { confirmTotpEnrolment(code: $code) { __typename } }', { code: await generate({ secret, epoch }) }, { cookie: outcome.session! });
    assert.equal(confirmed.data.confirmTotpEnrolment.__typename, 'SecondFactorEnrolled');

    const pending = await signInWithProvider(t.url, providerId, 'alice');
    assert.equal(pending.session, null, 'no session before the second factor');
    const fragment = /^\/#second-factor=(.+)$/.exec(pending.location)?.[1];
    assert.ok(fragment, pending.location);
    const { token, methods } = JSON.parse(Buffer.from(fragment, 'base64url').toString());
    assert.deepEqual(methods, ['TOTP', 'RECOVERY_CODE']);
    const verified = await t.gql('mutation($input: VerifySecondFactorInput!) { verifySecondFactor(input: $input) { __typename } }', { input: { token, totpCode: await generate({ secret }) } });
    assert.equal(verified.data.verifySecondFactor.__typename, 'LoginSuccess', JSON.stringify(verified));
  });
});

// ─── A hand-built issuer whose token endpoint says what a test wants ─────────────────────────────

interface StubIssuer {
  issuer: string;
  /** What the next token response's ID token carries. */
  next: { nonce?: string; signWith: 'published key' | 'other key' };
  /** TCP connections accepted so far. */
  connections: number;
  stop(): Promise<void>;
}

function jwt(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

async function startStubIssuer(clientId: string): Promise<StubIssuer> {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let issuer = '';
  const stub = {
    issuer: '',
    next: { signWith: 'published key' } as StubIssuer['next'],
    connections: 0,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json({ keys: [{ ...published.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    if (url.pathname === '/token' && req.method === 'POST') {
      const now = Math.floor(Date.now() / 1000);
      const claims = { iss: issuer, sub: 'mallory', aud: clientId, iat: now, exp: now + 300, nonce: stub.next.nonce, email: 'mallory@example.com', email_verified: true, name: 'Mallory', groups: ['hangar-admins'] };
      return json({ access_token: 'stub-access-token', token_type: 'Bearer', expires_in: 300, id_token: jwt(claims, stub.next.signWith === 'published key' ? published.privateKey : other.privateKey, 'k1') });
    }
    res.writeHead(404).end();
  });
  server.on('connection', () => stub.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.issuer = issuer;
  return stub;
}

describe('single sign-on refuses a forged ID token', () => {
  let t: TestHangar;
  let stub: StubIssuer;
  let providerId: string;

  before(async () => {
    t = await startTestHangar('postgres', { HANGAR_OIDC_ALLOWED_NETWORKS: '127.0.0.0/8' });
    const admin = await setupAdmin(t);
    stub = await startStubIssuer('hangar');
    const added = await t.gql(
      ADD,
      { input: { name: 'Stub', issuer: stub.issuer, clientId: 'hangar', clientSecret: 's', createUsers: true, groupRoles: [{ group: 'hangar-admins', roleId: await roleId(t, admin, 'Administrator') }] } },
      { cookie: admin },
    );
    assert.equal(added.data.addOidcProvider.__typename, 'OidcProvider', JSON.stringify(added));
    providerId = rawId(added.data.addOidcProvider.id);
  });

  after(async () => {
    await stub?.stop();
    await t?.stop();
  });

  /** Starts a sign-in at Hangar and comes back to its callback with a code, as the stub's answer would. */
  async function callback(idToken: { nonce: 'as sent' | string; signWith: StubIssuer['next']['signWith'] }) {
    const jar = new CookieJar();
    const start = await jar.request(`${t.url}/auth/oidc/${providerId}/start`);
    const authorize = new URL(start.headers.get('location')!);
    assert.equal(authorize.origin + authorize.pathname, `${stub.issuer}/authorize`);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    stub.next = { nonce: idToken.nonce === 'as sent' ? authorize.searchParams.get('nonce')! : idToken.nonce, signWith: idToken.signWith };
    const back = await jar.request(`${t.url}/auth/oidc/${providerId}/callback?code=stub-code&state=${authorize.searchParams.get('state')}`);
    return { location: back.headers.get('location') ?? '', session: jar.cookies.get('hangar_session') ?? null };
  }

  test('an ID token signed with the published key and the nonce sent signs in (the stub is otherwise sound)', async () => {
    const outcome = await callback({ nonce: 'as sent', signWith: 'published key' });
    assert.equal(outcome.location, '/');
    assert.ok(outcome.session);
  });

  test('an ID token with another nonce is refused', async () => {
    const outcome = await callback({ nonce: 'a-nonce-hangar-never-sent', signWith: 'published key' });
    assert.equal(outcome.session, null);
    assert.match(decodeURIComponent(outcome.location), /#sign-in-error=.*refused/);
    const last = await lastSignInAudit(t);
    assert.equal(last.result, 'refused');
    assert.match(JSON.stringify(last.detail), /nonce/);
  });

  test('an ID token signed with a key the issuer did not publish is refused', async () => {
    const outcome = await callback({ nonce: 'as sent', signWith: 'other key' });
    assert.equal(outcome.session, null);
    assert.match(decodeURIComponent(outcome.location), /#sign-in-error=.*refused/);
    const last = await lastSignInAudit(t);
    assert.equal(last.result, 'refused');
    assert.match(JSON.stringify(last.detail), /signature/i);
  });
});

describe('single sign-on binds the answer to the browser that started it', () => {
  let t: TestHangar;
  let stub: StubIssuer;
  let providerId: string;

  before(async () => {
    t = await startTestHangar('postgres', { HANGAR_OIDC_ALLOWED_NETWORKS: '127.0.0.0/8' });
    const admin = await setupAdmin(t);
    stub = await startStubIssuer('hangar');
    const added = await t.gql(ADD, { input: { name: 'Stub', issuer: stub.issuer, clientId: 'hangar', clientSecret: 's', createUsers: true } }, { cookie: admin });
    providerId = rawId(added.data.addOidcProvider.id);
  });

  after(async () => {
    await stub?.stop();
    await t?.stop();
  });

  test('an answer brought to another browser (login CSRF) signs no one in, and the browser that started still can', async () => {
    const victim = new CookieJar();
    const attacker = new CookieJar();
    // The victim has a sign-in of their own under way: only the one their browser started counts.
    await victim.request(`${t.url}/auth/oidc/${providerId}/start`);
    assert.ok(victim.cookies.get('hangar_oidc'));
    const start = await attacker.request(`${t.url}/auth/oidc/${providerId}/start`);
    const authorize = new URL(start.headers.get('location')!);
    stub.next = { nonce: authorize.searchParams.get('nonce')!, signWith: 'published key' };
    const callbackUrl = `${t.url}/auth/oidc/${providerId}/callback?code=stub-code&state=${authorize.searchParams.get('state')}`;
    const planted = await victim.request(callbackUrl);
    // The victim's browser finds its own sign-in, whose state is not the one brought: refused.
    assert.match(decodeURIComponent(planted.headers.get('location') ?? ''), /#sign-in-error=.*refused/);
    assert.equal(victim.cookies.get('hangar_session'), undefined);
    const own = await attacker.request(callbackUrl);
    assert.equal(own.headers.get('location'), '/');
    assert.ok(attacker.cookies.get('hangar_session'));
  });
});

describe('single sign-on follows the outbound address rules', () => {
  let t: TestHangar;
  let stub: StubIssuer;

  before(async () => {
    // No HANGAR_OIDC_ALLOWED_NETWORKS: loopback is out of reach, as for image imports.
    t = await startTestHangar('postgres');
    stub = await startStubIssuer('hangar');
  });

  after(async () => {
    await stub?.stop();
    await t?.stop();
  });

  test('an issuer whose name resolves to a loopback address is never connected to', async () => {
    const admin = await setupAdmin(t);
    const port = new URL(stub.issuer).port;
    // A name, not an address: it passes the form check, and the connection itself must be refused.
    const added = await t.gql(ADD, { input: { name: 'Sneaky', issuer: `https://localhost:${port}`, clientId: 'hangar', clientSecret: 's' } }, { cookie: admin });
    assert.equal(added.data.addOidcProvider.__typename, 'OidcProvider', JSON.stringify(added));
    const connections = stub.connections;
    const start = await fetch(`${t.url}/auth/oidc/${rawId(added.data.addOidcProvider.id)}/start`, { redirect: 'manual' });
    assert.equal(start.status, 302);
    assert.match(decodeURIComponent(start.headers.get('location') ?? ''), /#sign-in-error=Sneaky cannot be reached/);
    assert.equal(stub.connections, connections, 'no connection reached the issuer');
  });
});
