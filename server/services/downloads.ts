// Downloads from outside (image imports, repository indexes): an http(s) URL streamed to a file,
// hashed on the way. Every connection (the first, each redirect, a host name that now resolves
// elsewhere) is checked against the address policy.
import { createHash } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { addressAllowed, checkImportUrl } from './images.ts';

const MAX_REDIRECTS = 5;
/** No byte for this long (connecting, waiting for headers, or mid-body) ends the download. */
const IDLE_TIMEOUT_MS = 60_000;
const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** Resolves like dns.lookup, refusing a name when any of its addresses is not allowed. */
export function guardedLookup(allowedNetworks: readonly string[]): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { family: options.family ?? 0, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const refused = addresses.find((a) => !addressAllowed(a.address, allowedNetworks));
      if (refused) return callback(new DownloadError(`${hostname} resolves to ${refused.address}, a private, loopback or otherwise non-public address`));
      if (!addresses.length) return callback(new DownloadError(`${hostname} has no address`));
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  }) as LookupFunction;
}

export interface DownloadOptions {
  allowedNetworks: readonly string[];
  maxBytes: number;
  onProgress?: (bytes: number, total: number | null) => void;
}

/**
 * Streams the URL's body to dest (created, must not exist), following up to 5 redirects, each
 * checked again. Returns the size and sha256. A partial dest is removed on failure.
 */
export async function downloadFile(rawUrl: string, dest: string, options: DownloadOptions): Promise<{ bytes: number; sha256: string; url: string }> {
  let url = checkUrl(rawUrl, options.allowedNetworks);
  for (let redirects = 0; ; redirects++) {
    const response = await get(url, options.allowedNetworks);
    const status = response.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status)) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new DownloadError(`The server answered ${status} without a Location`);
      if (redirects >= MAX_REDIRECTS) throw new DownloadError(`More than ${MAX_REDIRECTS} redirects`);
      let next: string;
      try {
        next = new URL(location, url).href;
      } catch {
        throw new DownloadError('The server redirected to an invalid URL');
      }
      url = checkUrl(next, options.allowedNetworks);
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new DownloadError(`The server answered ${status} ${response.statusMessage ?? ''}`.trim());
    }
    const declared = response.headers['content-length'] ? Number(response.headers['content-length']) : null;
    const total = declared !== null && Number.isFinite(declared) ? declared : null;
    if (total !== null && total > options.maxBytes) {
      response.destroy();
      throw new DownloadError(`The file is ${mib(total)} MiB, over the limit of ${mib(options.maxBytes)} MiB (HANGAR_IMAGE_MAX_BYTES)`);
    }
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > options.maxBytes) return callback(new DownloadError(`The file is over the limit of ${mib(options.maxBytes)} MiB (HANGAR_IMAGE_MAX_BYTES)`));
        hash.update(chunk);
        options.onProgress?.(bytes, total);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(response, meter, createWriteStream(dest, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      await rm(dest, { force: true });
      if (error instanceof DownloadError) throw error;
      throw new DownloadError(`The download broke off after ${mib(bytes)} MiB: ${(error as Error).message}`);
    }
    if (total !== null && bytes !== total) {
      await rm(dest, { force: true });
      throw new DownloadError(`The download broke off after ${mib(bytes)} of ${mib(total)} MiB`);
    }
    return { bytes, sha256: hash.digest('hex'), url: url.href };
  }
}

function checkUrl(raw: string, allowedNetworks: readonly string[]): URL {
  try {
    return checkImportUrl(raw, allowedNetworks);
  } catch (error) {
    throw new DownloadError(`${(error as Error).message} (${raw.slice(0, 200)})`);
  }
}

/** One GET on a fresh connection whose address is checked once connected (literal IPs skip lookup). */
function get(url: URL, allowedNetworks: readonly string[]): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'GET',
      agent: false,
      lookup: guardedLookup(allowedNetworks),
      headers: { 'user-agent': 'Hangar image import', accept: '*/*', 'accept-encoding': 'identity' },
      timeout: IDLE_TIMEOUT_MS,
    });
    request.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const address = socket.remoteAddress;
        if (!address || !addressAllowed(address, allowedNetworks)) {
          request.destroy(new DownloadError(`The connection went to ${address ?? 'an unknown address'}, a private, loopback or otherwise non-public address`));
        }
      });
    });
    request.on('timeout', () => request.destroy(new DownloadError(`No answer from ${url.host} for ${IDLE_TIMEOUT_MS / 1000} s`)));
    request.on('error', (error) => reject(error instanceof DownloadError ? error : new DownloadError(`Cannot download from ${url.host}: ${describe(error)}`)));
    request.on('response', resolve);
    request.end();
  });
}

function describe(error: Error & { code?: string; cause?: unknown }): string {
  if (error.cause instanceof DownloadError) return error.cause.message;
  return error.code ? `${error.message}` : error.message;
}
