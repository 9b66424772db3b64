// Cross-origin access to /graphql. A browser sends the session cookie (SameSite=Lax) to every
// origin of the same site, another port or a sibling subdomain included, so the API answers
// cross-origin only to the partner origins an administrator listed (HANGAR_CORS_ORIGINS): to any
// other origin it sends no Access-Control-* header at all and refuses its preflights.
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'GET, POST';
const ALLOWED_HEADERS = 'content-type, x-hangar-csrf, x-request-id, authorization';
const MAX_AGE_SECONDS = '600';

export type CorsOutcome = 'continue' | 'answered';

/**
 * Sets the CORS headers of a /graphql response, and answers preflights (OPTIONS) itself: 204 for
 * a listed origin, 403 for any other. Returns 'answered' when the response is complete.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[], refuse: (status: number, code: string, message: string) => void): CorsOutcome {
  const origin = req.headers.origin;
  const partner = origin !== undefined && allowedOrigins.includes(origin);
  // Caches must not hand one origin's answer (with or without the headers) to another.
  if (allowedOrigins.length > 0) res.setHeader('vary', 'Origin');
  if (partner) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', 'x-request-id');
  }
  if (req.method !== 'OPTIONS') return 'continue';
  if (req.headers['access-control-request-method'] === undefined) {
    // Not a preflight (browsers preflight only cross-origin requests): just what the endpoint allows.
    res.writeHead(204, { allow: `${ALLOWED_METHODS}, OPTIONS`, 'content-length': '0' });
    res.end();
    return 'answered';
  }
  if (!partner) {
    refuse(403, 'CORS', `Cross-origin requests from ${origin ?? 'this page'} are not allowed (HANGAR_CORS_ORIGINS)`);
    return 'answered';
  }
  res.writeHead(204, {
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': MAX_AGE_SECONDS,
    'content-length': '0',
  });
  res.end();
  return 'answered';
}
