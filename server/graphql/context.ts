import type { Logger } from '../log.ts';
import type { ServiceContext } from '../services/context.ts';

/** A file a multipart request carried, streamed to disk by http/uploads.ts; the Upload scalar reads it. */
export interface UploadedFile {
  /** The temp file in the image store's incoming/ folder; deleted when the request ends unless moved. */
  path: string;
  /** The name the client gave, without directories or control characters. */
  filename: string;
  mimeType: string;
  size: number;
  sha256: string;
}

/** token → file, for one request. */
export type UploadedFiles = ReadonlyMap<string, UploadedFile>;

/**
 * What every resolver receives: one per HTTP request, one per subscription over a socket. It is the
 * request's service context (the services take it as is) with what only the API uses besides.
 */
export interface Context extends ServiceContext {
  log: Logger;
  /** Sets or clears the browser's session cookie; sockets cannot, so there it is a no-op. */
  setSessionCookie(secret: string | null, expiresAt?: Date): void;
  /** The files of a multipart request, by the token its variables hold (see http/uploads.ts). */
  uploads?: UploadedFiles;
}
