import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'hangar_session';

export function sessionCookieFrom(headers: IncomingHttpHeaders): string | null {
  const header = headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return null;
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
