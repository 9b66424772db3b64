// A real OpenID Provider (panva's oidc-provider) on 127.0.0.1 for the single sign-on tests, with
// one client registered for Hangar's callback and accounts whose claims a test changes at will.
// Its development sign-in page takes any password: the account is whatever login is typed.
import { createServer } from 'node:net';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { roleId, type TestHangar } from './hangar.ts';

export interface AccountClaims {
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  groups?: string[];
}

export interface TestOpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claims by login; a login not here signs in with no claims but its sub. */
  accounts: Map<string, AccountClaims>;
  stop(): Promise<void>;
}

/** A port free now on 127.0.0.1: the issuer URL must be known before Hangar's callback is. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startOpenIdProvider(port: number, redirectUris: string[]): Promise<TestOpenIdProvider> {
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, AccountClaims>();
  const clientId = 'hangar';
  const clientSecret = 'hangar-test-client-secret';
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    cookies: { keys: ['test-only-cookie-key'] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, ...accounts.get(id) }) }),
    // A first-party client: consent is given for it, so a sign-in is the login page only.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  const server: Server = provider.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies of one browser, across Hangar and the provider (both on 127.0.0.1: cookies ignore ports). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0\b/i.test(line) || /expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** A GET (or a form POST) that does not follow redirects, with this jar's cookies. */
  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const response = await fetch(url, {
      redirect: 'manual',
      method: form ? 'POST' : 'GET',
      headers: { cookie: this.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form) : undefined,
    });
    this.take(response);
    return response;
  }
}

export interface SsoOutcome {
  /** Where Hangar's callback sent the browser. */
  location: string;
  /** The Hangar session cookie (name=value) when signed in. */
  session: string | null;
  /** The refusal the sign-in page is given (#sign-in-error=…). */
  error: string | null;
}

/**
 * Signs in to Hangar through the provider as a browser would, by HTTP: start, the provider's
 * sign-in page (as `login`), back to Hangar's callback. `tamper` may change the callback URL first.
 */
export async function signInWithProvider(hangarUrl: string, providerId: string, login: string, tamper?: (callback: URL) => void): Promise<SsoOutcome> {
  const jar = new CookieJar();
  const start = await jar.request(`${hangarUrl}/auth/oidc/${providerId}/start`);
  if (start.status !== 302) throw new Error(`start answered ${start.status}`);
  let location = new URL(start.headers.get('location')!);
  // The provider: its sign-in page, the form, then back through its resume endpoint to Hangar.
  for (let hops = 0; !location.href.startsWith(`${hangarUrl}/auth/oidc/`); hops++) {
    if (hops > 10) throw new Error('too many redirects at the provider');
    let response = await jar.request(location.href);
    if (response.status === 200 && location.pathname.startsWith('/interaction/')) response = await jar.request(location.href, { prompt: 'login', login, password: 'any password' });
    const next = response.headers.get('location');
    if (!next) throw new Error(`the provider answered ${response.status} at ${location.href}: ${(await response.text()).slice(0, 500)}`);
    location = new URL(next, location);
  }
  tamper?.(location);
  const callback = await jar.request(location.href);
  const to = callback.headers.get('location') ?? '';
  const error = /#sign-in-error=(.*)$/.exec(to)?.[1];
  const session = jar.cookies.get('hangar_session');
  return { location: to, session: session ? `hangar_session=${session}` : null, error: error ? decodeURIComponent(error) : null };
}

/**
 * A real provider registered in Hangar as "Test IdP" (users created at first sign-in), the
 * groups named giving the roles named: the provider's port is chosen first, so the issuer is
 * known when Hangar's callback is, and the provider starts with that callback registered.
 */
export async function connectTestProvider(t: TestHangar, adminCookie: string, groupRoles: Record<string, string>): Promise<{ idp: TestOpenIdProvider; providerId: string; callbackUrl: string }> {
  const port = await freePort();
  const mapping = await Promise.all(Object.entries(groupRoles).map(async ([group, role]) => ({ group, roleId: await roleId(t, adminCookie, role) })));
  const added = await t.gql(
    `mutation($input: AddOidcProviderInput!) { addOidcProvider(input: $input) { __typename ... on OidcProvider { id callbackUrl } ... on Error { message } } }`,
    { input: { name: 'Test IdP', issuer: `http://127.0.0.1:${port}`, clientId: 'hangar', clientSecret: 'hangar-test-client-secret', scopes: 'openid email profile groups', createUsers: true, groupRoles: mapping } },
    { cookie: adminCookie },
  );
  if (added.data?.addOidcProvider?.__typename !== 'OidcProvider') throw new Error(`addOidcProvider failed: ${JSON.stringify(added)}`);
  const { id, callbackUrl } = added.data.addOidcProvider;
  return { idp: await startOpenIdProvider(port, [callbackUrl]), providerId: Buffer.from(id, 'base64').toString().split(':')[1]!, callbackUrl };
}
