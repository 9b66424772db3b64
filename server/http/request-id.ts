import { randomUUID } from 'node:crypto';

// Accepted from callers only when it cannot smuggle anything into logs or headers.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && VALID_REQUEST_ID.test(given) ? given : randomUUID();
}
