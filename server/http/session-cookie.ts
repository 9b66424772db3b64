import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'hangar_session';

export function sessionCookieFrom(headers: IncomingHttpHeaders): string | null {
  return cookieFrom(headers, SESSION_COOKIE);
}

/** A cookie's value from the request's Cookie header, or null. */
export function cookieFrom(headers: IncomingHttpHeaders, name: string): string | null {
  const header = headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    // The value is everything after the first '=' (it may hold more).
    if ((eq < 0 ? item : item.slice(0, eq)) === name) return decodeURIComponent(eq < 0 ? '' : item.slice(eq + 1));
  }
  return null;
}

/** Cookies carry Secure when Hangar is reached over https (HANGAR_PUBLIC_URL says so). */
export function secureCookies(publicUrl: string | undefined): boolean {
  return publicUrl?.startsWith('https:') ?? false;
}

export function bearerTokenFrom(headers: IncomingHttpHeaders): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  return match ? match[1] : null;
}

export function sessionCookie(secret: string | null, expiresAt: Date | undefined, secure: boolean): string {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])];
  if (!secret) return [`${SESSION_COOKIE}=`, 'Max-Age=0', ...attributes].join('; ');
  return [`${SESSION_COOKIE}=${encodeURIComponent(secret)}`, `Expires=${(expiresAt ?? new Date()).toUTCString()}`, ...attributes].join('; ');
}
