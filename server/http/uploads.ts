// GraphQL multipart requests (https://github.com/jaydenseric/graphql-multipart-request-spec),
// streamed: each file goes straight to disk while it is hashed and counted, never into memory.
// yoga then gets a plain JSON request in which every file variable holds an opaque token; the
// Upload scalar's resolvers look the token up in this request's map (Context.uploads).
import busboy from 'busboy';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UploadedFile, UploadedFiles } from '../graphql/context.ts';

export interface MultipartGraphqlRequest {
  /** The `operations` JSON with each mapped variable set to its token. */
  body: Buffer;
  uploads: UploadedFiles;
  /** Deletes the temp files still in place (call when the request ends). */
  cleanup(): Promise<void>;
}

/** The request cannot be processed; answered with this HTTP status and a GraphQL error. */
export class UploadRequestError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'UploadRequestError';
    this.status = status;
    this.code = code;
  }
}

export interface UploadLimits {
  /** The folder temp files are written to (made when missing). */
  dir: string;
  maxFileBytes: number;
  /** For the operations and map fields. */
  maxFieldBytes: number;
  maxFiles?: number;
}

// After a refusal the rest of the body is read and dropped, so the client can read the answer;
// beyond this the connection is cut instead.
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

export function isMultipartRequest(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === 'multipart/form-data';
}

const badRequest = (message: string) => new UploadRequestError(400, 'BAD_REQUEST', message);

/**
 * Uploads in progress, counted per user and in all, so that a few callers cannot hold every
 * connection and fill the disk at once. A slot is held from the first byte read until the response ends.
 */
export class UploadSlots {
  #total = 0;
  readonly #perUser = new Map<string, number>();
  readonly #limits: { maxConcurrent: number; maxConcurrentPerUser: number };

  constructor(limits: { maxConcurrent: number; maxConcurrentPerUser: number }) {
    this.#limits = limits;
  }

  /** A release function, or the refusal (429) when a limit is reached. */
  take(userId: string): (() => void) | UploadRequestError {
    const mine = this.#perUser.get(userId) ?? 0;
    if (mine >= this.#limits.maxConcurrentPerUser) {
      return new UploadRequestError(429, 'TOO_MANY_REQUESTS', `You already have ${mine} uploads in progress, the most allowed at once (HANGAR_UPLOAD_MAX_CONCURRENT_PER_USER): wait for one to finish`);
    }
    if (this.#total >= this.#limits.maxConcurrent) {
      return new UploadRequestError(429, 'TOO_MANY_REQUESTS', `The server is receiving ${this.#total} uploads, the most it takes at once (HANGAR_UPLOAD_MAX_CONCURRENT): try again shortly`);
    }
    this.#total++;
    this.#perUser.set(userId, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = (this.#perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.#perUser.set(userId, left);
      else this.#perUser.delete(userId);
    };
  }
}

export async function readMultipartGraphqlRequest(req: IncomingMessage, limits: UploadLimits): Promise<MultipartGraphqlRequest> {
  const maxFiles = limits.maxFiles ?? 4;
  const created: string[] = [];
  const cleanup = async () => {
    await Promise.all(created.map((path) => rm(path, { force: true })));
  };
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxFiles * limits.maxFileBytes + limits.maxFieldBytes * 2 + 1024 * 1024) {
    drain(req);
    throw tooLarge(limits.maxFileBytes);
  }
  await mkdir(limits.dir, { recursive: true });

  return new Promise<MultipartGraphqlRequest>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fieldSize: limits.maxFieldBytes, fields: 16, files: maxFiles, parts: maxFiles + 16, headerPairs: 64 },
      });
    } catch (error) {
      drain(req);
      return reject(badRequest(`Malformed multipart request: ${(error as Error).message}`));
    }
    let operations: unknown;
    let map: Record<string, string[]> | undefined;
    const files = new Map<string, UploadedFile>();
    const writing: Array<Promise<void>> = [];
    const active = new Set<NodeJS.ReadableStream & { destroy(error?: Error): void }>();
    let failed = false;

    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      drain(req);
      const refusal = error instanceof UploadRequestError ? error : badRequest(`The upload failed: ${(error as Error).message}`);
      // Files still being written get no more data: end their pipelines so the cleanup can run.
      for (const stream of active) stream.destroy(refusal);
      void Promise.allSettled(writing)
        .then(cleanup)
        .finally(() => reject(refusal));
    };

    parser.on('field', (name, value, info) => {
      if (failed) return;
      if (info.valueTruncated) return fail(new UploadRequestError(413, 'PAYLOAD_TOO_LARGE', `The ${name} field exceeds ${limits.maxFieldBytes} bytes`));
      if (name === 'operations') {
        if (operations !== undefined) return fail(badRequest('The operations field is given twice'));
        try {
          operations = JSON.parse(value);
        } catch {
          return fail(badRequest('The operations field is not JSON'));
        }
        if (!operations || typeof operations !== 'object') return fail(badRequest('The operations field is not a GraphQL request'));
      } else if (name === 'map') {
        if (operations === undefined) return fail(badRequest('The operations field must come before the map field'));
        if (map) return fail(badRequest('The map field is given twice'));
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          return fail(badRequest('The map field is not JSON'));
        }
        const valid =
          !!parsed &&
          typeof parsed === 'object' &&
          !Array.isArray(parsed) &&
          Object.values(parsed).every((paths) => Array.isArray(paths) && paths.length > 0 && paths.length <= 16 && paths.every((p) => typeof p === 'string'));
        if (!valid) return fail(badRequest('The map field must be an object of file field names to arrays of variable paths'));
        if (Object.keys(parsed as object).length > maxFiles) return fail(new UploadRequestError(413, 'PAYLOAD_TOO_LARGE', `At most ${maxFiles} files per request`));
        map = parsed as Record<string, string[]>;
      }
      // Other fields are not part of the spec: ignored.
    });

    parser.on('file', (name, stream, info) => {
      if (failed) return void stream.resume();
      if (operations === undefined || !map) {
        stream.resume();
        return fail(badRequest('The operations and map fields must come before the files'));
      }
      if (!Object.hasOwn(map, name) || files.has(name)) return void stream.resume();
      const path = join(limits.dir, randomUUID());
      created.push(path);
      active.add(stream);
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (size > limits.maxFileBytes) return callback(tooLarge(limits.maxFileBytes));
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      const done = pipeline(stream, meter, createWriteStream(path, { flags: 'wx', mode: 0o600 })).then(
        () => void files.set(name, { path, filename: cleanFilename(info.filename), mimeType: info.mimeType, size, sha256: hash.digest('hex') }),
        (error: unknown) => fail(error),
      ).finally(() => active.delete(stream));
      writing.push(done);
    });

    parser.on('filesLimit', () => fail(new UploadRequestError(413, 'PAYLOAD_TOO_LARGE', `At most ${maxFiles} files per request`)));
    parser.on('fieldsLimit', () => fail(badRequest('Too many fields')));
    parser.on('partsLimit', () => fail(badRequest('Too many parts')));
    parser.on('error', (error: Error) => fail(badRequest(`Malformed multipart request: ${error.message}`)));
    req.on('error', (error) => fail(badRequest(`The request was interrupted: ${error.message}`)));

    parser.on('close', () => {
      void Promise.all(writing).then(() => {
        if (failed) return;
        if (operations === undefined || !map) return fail(badRequest('A multipart GraphQL request needs the operations and map fields'));
        const uploads = new Map<string, UploadedFile>();
        try {
          for (const [key, paths] of Object.entries(map)) {
            const file = files.get(key);
            if (!file) throw badRequest(`No file was sent for map entry ${JSON.stringify(key)}`);
            const token = `upload-${randomBytes(18).toString('base64url')}`;
            uploads.set(token, file);
            for (const path of paths) setAtPath(operations, path, token);
          }
        } catch (error) {
          return fail(error);
        }
        resolve({ body: Buffer.from(JSON.stringify(operations)), uploads, cleanup });
      });
    });

    req.pipe(parser);
  });
}

function tooLarge(maxFileBytes: number): UploadRequestError {
  return new UploadRequestError(413, 'PAYLOAD_TOO_LARGE', `The file exceeds the limit of ${formatBytes(maxFileBytes)} (HANGAR_IMAGE_MAX_BYTES)`);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

/** Reads and drops the rest of a refused body (bounded), so the client gets to read the answer. */
export function drain(req: IncomingMessage): void {
  let dropped = 0;
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > DRAIN_LIMIT_BYTES) req.socket.destroy();
  });
  req.resume();
}

function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  return base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255) || 'file';
}

/**
 * Puts the token where the map says: `variables.x.y` (or `<n>.variables.…` in a batch). The path
 * must lead to an existing null, inside the variables.
 */
function setAtPath(operations: unknown, path: string, token: string): void {
  const segments = path.split('.');
  const refuse = () => badRequest(`The map path ${JSON.stringify(path)} does not name a null variable`);
  if (segments.some((s) => FORBIDDEN_SEGMENTS.has(s) || s === '')) throw refuse();
  const variablesAt = Array.isArray(operations) ? 1 : 0;
  if (segments[variablesAt] !== 'variables' || segments.length < variablesAt + 2) throw refuse();
  let node: unknown = operations;
  for (let i = 0; i < segments.length; i++) {
    if (!node || typeof node !== 'object') throw refuse();
    const segment = segments[i];
    if (Array.isArray(node) && !/^\d+$/.test(segment)) throw refuse();
    if (!Object.hasOwn(node, segment)) throw refuse();
    if (i === segments.length - 1) {
      if ((node as Record<string, unknown>)[segment] !== null) throw refuse();
      (node as Record<string, unknown>)[segment] = token;
      return;
    }
    node = (node as Record<string, unknown>)[segment];
  }
}
