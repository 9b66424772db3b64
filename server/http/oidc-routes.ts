// The browser's side of OIDC sign-in (services/oidc.ts): /auth/oidc/<provider>/start sends it to
// the provider, /auth/oidc/<provider>/callback brings it back signed in, asked for a second factor,
// or with the reason it was refused. What a sign-in needs between the two stays on the server; the
// browser holds only a random key to it, in an httpOnly cookie scoped to these paths.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceContext } from '../services/context.ts';
import { finishOidcSignIn, OIDC_LOGIN_TTL_MS, OidcSignInError, startOidcSignIn } from '../services/oidc.ts';
import { cookieFrom, sessionCookie } from './session-cookie.ts';

const OIDC_COOKIE = 'hangar_oidc';
const ROUTE = /^\/auth\/oidc\/([^/]+)\/(start|callback)$/;

export interface OidcRoute {
  providerId: string;
  step: 'start' | 'callback';
}

export function oidcRoute(path: string): OidcRoute | null {
  const match = ROUTE.exec(path);
  return match ? { providerId: match[1]!, step: match[2] as OidcRoute['step'] } : null;
}

type Deps = Omit<ServiceContext, 'viewer' | 'requestInfo'> & { requestId: string; secureCookie: boolean };

export async function serveOidc(req: IncomingMessage, res: ServerResponse, route: OidcRoute, deps: Deps): Promise<void> {
  if (req.method !== 'GET') {
    res.writeHead(405, { allow: 'GET', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Only GET\n');
    return;
  }
  const { requestId, secureCookie, ...services } = deps;
  const ctx: ServiceContext = {
    ...services,
    viewer: null,
    requestInfo: { requestId, ip: req.socket.remoteAddress ?? null, userAgent: req.headers['user-agent'] ?? null, host: req.headers.host ?? null },
  };
  const base = publicBase(ctx);
  if (!base) return redirect(res, '/', [], 'Single sign-on needs HANGAR_PUBLIC_URL or a Host header');
  const redirectUri = `${base}/auth/oidc/${encodeURIComponent(route.providerId)}/callback`;
  const attributes = ['Path=/auth/oidc', 'HttpOnly', 'SameSite=Lax', ...(secureCookie ? ['Secure'] : [])];
  const clearBrowserCookie = [`${OIDC_COOKIE}=`, 'Max-Age=0', ...attributes].join('; ');

  if (route.step === 'start') {
    try {
      const started = await startOidcSignIn(ctx, route.providerId, redirectUri);
      const cookie = [`${OIDC_COOKIE}=${encodeURIComponent(started.browserSecret)}`, `Max-Age=${OIDC_LOGIN_TTL_MS / 1000}`, ...attributes].join('; ');
      return redirect(res, started.authorizationUrl, [cookie]);
    } catch (error) {
      if (error instanceof OidcSignInError) return redirect(res, '/', [], error.message);
      throw error;
    }
  }

  const callbackUrl = new URL(redirectUri);
  callbackUrl.search = new URL(req.url ?? '/', 'http://x').search;
  try {
    const result = await finishOidcSignIn(ctx, route.providerId, cookieFrom(req.headers, OIDC_COOKIE), callbackUrl);
    if (result.kind === 'signed-in') {
      // The very cookie password sign-in sets (server.ts, through setSessionCookie).
      return redirect(res, '/', [clearBrowserCookie, sessionCookie(result.session.secret, result.session.expiresAt, secureCookie)]);
    }
    // The second step happens on the sign-in page; the fragment never reaches a server or a Referer.
    const pending = Buffer.from(JSON.stringify({ token: result.token, methods: result.methods, passkeyOptions: result.passkeyOptions })).toString('base64url');
    return redirect(res, `/#second-factor=${pending}`, [clearBrowserCookie]);
  } catch (error) {
    if (error instanceof OidcSignInError) return redirect(res, '/', [clearBrowserCookie], error.message);
    throw error;
  }
}

/** Where the browser reaches Hangar: HANGAR_PUBLIC_URL, or the Host it asked for. */
function publicBase(ctx: ServiceContext): string | null {
  if (ctx.config.publicUrl) return new URL(ctx.config.publicUrl).origin;
  const host = ctx.requestInfo.host;
  if (!host || !/^[\w.-]+(:\d+)?$|^\[[\da-fA-F:.]+\](:\d+)?$/.test(host)) return null;
  return `http://${host}`;
}

function redirect(res: ServerResponse, location: string, cookies: string[], error?: string): void {
  const to = error ? `${location}#sign-in-error=${encodeURIComponent(error)}` : location;
  res.writeHead(302, { location: to, 'cache-control': 'no-store', ...(cookies.length ? { 'set-cookie': cookies } : {}) });
  res.end();
}
