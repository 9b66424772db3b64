// A fetch for requests Hangar makes to servers an administrator named (OIDC issuers): every
// connection is checked against the outbound address rules (outbound-address.ts), as downloads are.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { DownloadError, guardedLookup } from './downloads.ts';
import { addressAllowed } from './outbound-address.ts';

/** Bodies above this are refused: discovery documents, key sets and token responses are small. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const TIMEOUT_MS = 15_000;

export interface GuardedFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

export type GuardedFetch = (url: string, options: GuardedFetchOptions) => Promise<Response>;

/** A fetch (no redirects followed) whose connections may only reach allowed addresses. */
export function guardedFetch(allowedNetworks: readonly string[]): GuardedFetch {
  return (rawUrl, options) =>
    new Promise((resolve, reject) => {
      const url = new URL(rawUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return reject(new DownloadError(`Only http and https are fetched, not ${url.protocol}`));
      const body = bodyOf(options.body);
      const client = url.protocol === 'https:' ? https : http;
      const request = client.request(url, {
        method: options.method ?? 'GET',
        agent: false,
        lookup: guardedLookup(allowedNetworks),
        headers: { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: TIMEOUT_MS,
        signal: options.signal,
      });
      request.on('socket', (socket: Socket) => {
        socket.once('connect', () => {
          const address = socket.remoteAddress;
          // A literal address skips the lookup: it is judged here, once connected.
          if (!address || !addressAllowed(address, allowedNetworks)) {
            request.destroy(new DownloadError(`The connection went to ${address ?? 'an unknown address'}, a private, loopback or otherwise non-public address`));
          }
        });
      });
      request.on('timeout', () => request.destroy(new DownloadError(`No answer from ${url.host} for ${TIMEOUT_MS / 1000} s`)));
      request.on('error', reject);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) return response.destroy(new DownloadError(`${url.host} answered with more than ${MAX_RESPONSE_BYTES} bytes`));
          chunks.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
          }
          const status = response.statusCode ?? 502;
          const empty = status === 204 || status === 304 || (status >= 100 && status < 200);
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status, statusText: response.statusMessage, headers }));
        });
      });
      request.end(body);
    });
}

function bodyOf(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new DownloadError('A request body of this kind is not supported');
}
